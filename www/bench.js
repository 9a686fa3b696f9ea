// Latency benchmark (issue 8), driven by e2e/bench.mjs in headless Chromium: medians over many
// runs of (1) fetching + compiling + instantiating the wasm, (2) classifyUrl over a realistic URL
// mix, (3) the browser side of a checkout: detectEnvironment + building the PG form in the DOM
// from a server-signed CheckoutForm, checked by classifyUrl on its action.
import init, { classifyUrl, detectEnvironment } from "/pkg/index.js";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// What a Korean PG payment window navigates to inside a WebView (shapes from tests/data/classify.json).
const URLS = [
  ["https://mobile.inicis.com/smart/payment/", "android"],
  ["intent://TID=INIMX_ISPtest#Intent;scheme=ispmobile;package=kvp.jjy.MispAndroid320;end", "android"],
  ["intent://pay?srCode=123#Intent;scheme=shinhan-sr-ansimclick;package=com.shcard.smartpay;end", "android"],
  ["kftc-bankpay://eftpay?callbackparam1=x", "android"],
  ["kakaotalk://kakaopay/pg?url=https%3A%2F%2Fpg.example", "ios"],
  ["ispmobile://TID=INIMX_ISPtest", "ios"],
  ["javascript:alert(1)", "android"],
  ["https://play.google.com/store/apps/details?id=kvp.jjy.MispAndroid320", "android"],
  ["about:blank", "ios"],
  ["supertoss://pay?token=abc", "ios"],
];

// A CheckoutForm as a merchant server returns it (Smartro, tests/data/pg-vectors.json shape).
const FORM = {
  action: "https://tpay.smilepay.co.kr/interfaceURL.jsp",
  method: "POST",
  accept_charset: "EUC-KR",
  target: "payWindow",
  fields: [
    ["MID", "SMTPAY001m"], ["PayMethod", "CARD"], ["GoodsName", "상품"], ["Amt", "1004"],
    ["Moid", "A1"], ["ReturnURL", "https://s/r"], ["RetryURL", "https://s/n"], ["BuyerName", "홍길동"],
    ["BuyerTel", "01012345678"], ["BuyerEmail", "a@b.c"], ["UserIP", "1.2.3.4"], ["MallIP", "1.2.3.4"],
    ["GoodsCnt", "1"], ["FORWARD", "Y"], ["MallResultFWD", "Y"], ["TransType", "0"],
    ["EncodingType", "euckr"], ["OpenType", "KR"], ["SocketYN", "N"], ["ediDate", "20171206120000"],
    ["EncryptData", "MzE4Y2UwMWQyZTU1ZDM5NTkzZDBmMTkzYWY3MGY2NTQ="],
  ],
};

async function instantiateOnce() {
  // A fresh fetch + compile + instantiate each run (the browser cache is bypassed); imports are
  // stubbed because instantiation runs no Rust code (wasm-bindgen has no start section here).
  const t0 = performance.now();
  const res = await fetch(`/pkg/hanpay_bg.wasm?r=${Math.random()}`, { cache: "no-store" });
  const module = await WebAssembly.compileStreaming(res);
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.kind === "function") imports[imp.module][imp.name] = () => {};
    else if (imp.kind === "table") imports[imp.module][imp.name] = new WebAssembly.Table({ initial: 128, element: "externref" });
    else if (imp.kind === "memory") imports[imp.module][imp.name] = new WebAssembly.Memory({ initial: 17 });
    else if (imp.kind === "global") imports[imp.module][imp.name] = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
  }
  await WebAssembly.instantiate(module, imports);
  return performance.now() - t0;
}

function buildForm(form) {
  const el = document.createElement("form");
  el.action = form.action;
  el.method = form.method;
  el.acceptCharset = form.accept_charset;
  el.target = form.target;
  for (const [name, value] of form.fields) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    el.appendChild(input);
  }
  document.body.appendChild(el);
  return el;
}

async function run() {
  const runs = Number(new URLSearchParams(location.search).get("runs") || 200);
  const t0 = performance.now();
  await init();
  const firstInit = performance.now() - t0;

  const inst = [];
  for (let i = 0; i < Math.min(runs, 50); i++) inst.push(await instantiateOnce());

  for (let i = 0; i < 200; i++) for (const [u, p] of URLS) classifyUrl(u, p); // warm-up
  const classify = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    for (let k = 0; k < 10; k++) for (const [u, p] of URLS) classifyUrl(u, p);
    classify.push((performance.now() - s) / (10 * URLS.length));
  }

  // Ten checkouts per sample: one is below the browser's timer resolution.
  const form = [];
  for (let i = 0; i < runs; i++) {
    const built = [];
    const s = performance.now();
    for (let k = 0; k < 10; k++) {
      const env = detectEnvironment(navigator.userAgent, navigator.maxTouchPoints || 0);
      if (classifyUrl(FORM.action, "android").action !== "load") throw new Error("form action refused");
      const el = buildForm(FORM);
      if (el.elements.length !== FORM.fields.length || !env.mode) throw new Error("form not built");
      built.push(el);
    }
    form.push((performance.now() - s) / 10);
    for (const el of built) el.remove();
  }

  const results = {
    runs,
    first_init_ms: firstInit,
    wasm_fetch_instantiate_ms: median(inst),
    classify_url_us: median(classify) * 1000,
    form_build_validate_ms: median(form),
  };
  document.getElementById("out").textContent = JSON.stringify(results, null, 2);
  window.hanpayBench = results;
}

run().catch((e) => {
  window.hanpayBench = { error: String(e) };
  document.getElementById("out").textContent = `error: ${e}`;
});
