// The core checkout flows in the engines Playwright cannot drive from Debian's packages, through
// W3C WebDriver (e2e/webdriver.mjs): Firefox ESR (geckodriver) and WebKitGTK (WebKitWebDriver,
// the engine family of Safari and WKWebView). HANPAY_ENGINE=firefox|webkit picks the engine; the
// Makefile's test-e2e-firefox / test-e2e-webkit run it (issue #16 item 3). The pages and
// assertions are those of e2e/engine.test.mjs and the desktop tests of e2e/pg-*.test.mjs.
//
// The file is not named *.test.mjs so that `node --test e2e/` (Chromium, test-e2e) skips it.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, saveArtifacts } from "../harness.mjs";
import { Session, engineInstalled } from "../webdriver.mjs";

const ENGINE = process.env.HANPAY_ENGINE;
if (!["firefox", "webkit"].includes(ENGINE)) throw new Error("set HANPAY_ENGINE=firefox or webkit");
if (!engineInstalled(ENGINE)) throw new Error(`${ENGINE} or its driver is missing: run make setup`);

let sandbox;
let wd;
let main;

before(async () => {
  sandbox = await startSandbox();
  wd = await Session.start(ENGINE);
  main = await wd.windowHandle();
});

after(async () => {
  await wd?.close();
  await sandbox?.stop();
});

// A failing test leaves a screenshot and the sandbox inspector's record (e2e/artifacts/).
afterEach(async (t) => {
  if (!t.passed && wd) {
    await saveArtifacts(`${ENGINE}-${t.name}`, { screenshot: () => wd.screenshot(), base: sandbox.url });
  }
  // Every test starts in the one main window.
  for (const h of await wd.windowHandles()) {
    if (h !== main) {
      await wd.switchToWindow(h);
      await wd.closeWindow().catch(() => {});
    }
  }
  await wd.switchToWindow(main);
});

const url = (path) => `${sandbox.url}${path}`;

/**
 * The generic checkout page with `mode` chosen, ready to pay. `gesture: false` chooses it by
 * script: a WebDriver click is a user gesture, and Firefox lets a page open a popup for 5 s after
 * one (`dom.user_activation.transient.timeout`), and after geckodriver's element click it never
 * puts the page into the bfcache (a page whose flow starts by script is restored).
 */
async function checkout(mode, { gesture = true } = {}) {
  await wd.goto(url("/generic.html"));
  await wd.waitFor(() => !document.getElementById("pay").disabled, { what: "the package to initialise" });
  if (gesture) await wd.click(`input[name=mode][value=${mode}]`);
  else await wd.execute((m) => (document.querySelector(`input[name=mode][value=${m}]`).checked = true), mode);
}

/** Waits for the generic page's #outcome to reach `state`; returns its text. */
function outcome(state) {
  return wd.waitFor(
    (s) => document.getElementById("outcome").dataset.state === s && document.getElementById("outcome").textContent,
    { args: [state], what: `outcome ${state}` },
  );
}

/** Clicks `#id` inside the document of the iframe chain `frames` (same-origin, outermost first). */
function clickInFrames(frames, id) {
  return wd.waitFor(
    (chain, target) => {
      let doc = document;
      for (const sel of chain) {
        const f = doc.querySelector(sel);
        doc = f && f.contentDocument;
        if (!doc) return false;
      }
      const el = doc.getElementById(target);
      if (!el) return false;
      el.click();
      return true;
    },
    { args: [frames, id], what: `#${id} in ${frames.join(" > ")}` },
  );
}

test("popup: the PG window opens as payWindow and the verified result comes back", async () => {
  await checkout("popup");
  await wd.click("#pay");
  const popup = await wd.waitForNewWindow([main]);
  await wd.switchToWindow(popup);
  await wd.waitFor(() => !!document.getElementById("approve"), { what: "the PG window" });
  assert.equal(await wd.execute(() => window.name), "payWindow");
  await wd.click("#approve");
  // The return page relays to the opener and closes itself (and the engine closes it too).
  assert.equal(await wd.waitForWindowClosed(popup), true, "popup closed after the result");
  await wd.switchToWindow(main);
  const result = JSON.parse(await outcome("paid"));
  assert.equal(result.success, true);
  assert.equal(result.code, "0000");
  assert.equal(result.amount, 1004);
  assert.match(result.tid, /^GTID/);
});

test("popup without a user gesture: the engine's blocker is met with the iframe fallback", async () => {
  // window.open outside a click (here: after a timer) is what every engine's popup blocker
  // refuses; the engine must see the null window and fall back to the layer (POPUP_BLOCKED).
  await checkout("popup", { gesture: false });
  // As page code (see Session.inPage): the form object must be the page's own.
  await wd.inPage(`
    const hanpay = await import("/pkg/index.js");
    await hanpay.default();
    setTimeout(() => {
      const form = fetch("/api/generic/checkout", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ amount: 1004, goodsName: "no gesture" }),
      }).then((r) => r.json());
      const o = document.getElementById("outcome");
      hanpay
        .open(form, { mode: "popup", onFallback: (i) => (document.getElementById("log").textContent = "fallback: " + i.reason + " → " + i.to) })
        .then((r) => ((o.dataset.state = "paid"), (o.textContent = JSON.stringify(r))))
        .catch((e) => ((o.dataset.state = "error"), (o.textContent = e.code + ": " + e.message)));
    }, 50);
  `);
  const how = await wd.waitFor(
    () => (document.querySelector("iframe[name=payFrame]") ? "iframe" : null),
    { timeout: 5000, what: "the fallback layer" },
  ).catch(() => "popup");
  const handles = await wd.windowHandles();
  if (how === "iframe") {
    assert.equal(handles.length, 1, "no window opened");
    assert.equal(await wd.execute(() => document.getElementById("log").textContent), "fallback: POPUP_BLOCKED → iframe");
    await clickInFrames(["iframe[name=payFrame]"], "approve");
  } else {
    // An engine that lets the popup through must still deliver the result.
    assert.equal(handles.length, 2, "either the layer or a window");
    await wd.switchToWindow(handles.find((h) => h !== main));
    await wd.waitFor(() => !!document.getElementById("approve"));
    await wd.click("#approve");
    await wd.switchToWindow(main);
  }
  assert.equal(JSON.parse(await outcome("paid")).success, true);
  console.log(`# ${ENGINE}: window.open without a gesture → ${how}`);
  assert.equal(how, "iframe", `${ENGINE} blocks popups outside a user gesture`);
});

test("popup closed by the user rejects with USER_CANCEL", async () => {
  await checkout("popup");
  await wd.click("#pay");
  const popup = await wd.waitForNewWindow([main]);
  await wd.switchToWindow(popup);
  await wd.waitFor(() => !!document.getElementById("approve"));
  await wd.closeWindow();
  await wd.switchToWindow(main);
  assert.match(await outcome("error"), /^USER_CANCEL/);
});

test("relay: a result posted from another origin or for another request is ignored", async () => {
  await checkout("popup");
  await wd.click("#pay");
  const popup = await wd.waitForNewWindow([main]);
  await wd.switchToWindow(popup);
  await wd.waitFor(() => !!document.getElementById("approve"));
  const orderId = await wd.execute(() => document.getElementById("order").textContent);
  // Same request id, right origin, wrong request: ignored.
  await wd.execute(() =>
    window.opener.postMessage(
      { source: "hanpay", type: "result", requestId: "GEN-other", result: { success: true } },
      location.origin,
    ),
  );
  // Same server, other origin (localhost for 127.0.0.1), navigated by the page so the popup
  // keeps its opener.
  const foreign = sandbox.url.replace("127.0.0.1", "localhost");
  await wd.execute((u) => (location.href = u), `${foreign}/index.html`);
  await wd.waitFor(() => location.hostname === "localhost" && document.readyState === "complete");
  await wd.execute((requestId) => {
    window.opener.postMessage({ source: "hanpay", type: "result", requestId, result: { success: true, code: "0000", amount: 1 } }, "*");
  }, orderId);
  await wd.switchToWindow(main);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(await wd.execute(() => document.getElementById("outcome").dataset.state), "pending", "forged messages must not settle");
  await wd.switchToWindow(popup);
  await wd.closeWindow();
  await wd.switchToWindow(main);
  assert.match(await outcome("error"), /^USER_CANCEL/);
});

test("iframe layer: approve in the layer, verified result, layer removed", async () => {
  await checkout("iframe");
  await wd.click("#pay");
  await wd.waitFor(() => document.querySelector("[data-hanpay=layer] [role=dialog]")?.getAttribute("aria-modal") === "true");
  await clickInFrames(["iframe[name=payFrame]"], "approve");
  const result = JSON.parse(await outcome("paid"));
  assert.equal(result.success, true);
  assert.equal(result.amount, 1004);
  assert.equal(await wd.execute(() => document.querySelectorAll("[data-hanpay=layer]").length), 0);
});

test("iframe layer: decline gives PG_ERROR with the PG's code", async () => {
  await checkout("iframe");
  await wd.click("#pay");
  await clickInFrames(["iframe[name=payFrame]"], "decline");
  assert.match(await outcome("error"), /^PG_ERROR \[9101\]/);
});

test("redirect: the PG page replaces the checkout; the return page shows the verified result", async () => {
  await checkout("redirect");
  await wd.click("#pay");
  await wd.waitFor(() => location.pathname === "/pg/generic/pay" && !!document.getElementById("approve"));
  await wd.click("#approve");
  await wd.waitFor(() => location.pathname === "/merchant/generic/return" && document.body.dataset.relayed);
  assert.equal(await wd.execute(() => document.body.dataset.relayed), "false");
  const result = JSON.parse(await wd.execute(() => document.getElementById("result-view").textContent));
  assert.equal(result.success, true);
  assert.equal((await wd.windowHandles()).length, 1, "no popup");
});

test("redirect: back from the PG page rejects once with USER_CANCEL (bfcache restore)", async () => {
  await checkout("redirect", { gesture: false });
  await wd.execute(() => {
    window.__pageshows = 0;
    addEventListener("pageshow", (e) => e.persisted && window.__pageshows++);
  });
  // A script click: redirect mode needs no user activation (see `checkout` for why not WebDriver's).
  await wd.execute(() => document.getElementById("pay").click());
  await wd.waitFor(() => location.pathname === "/pg/generic/pay" && !!document.getElementById("approve"));
  await wd.back();
  await wd.waitFor(() => location.pathname === "/generic.html");
  // A reloaded page would have lost __pageshows (WebDriver sends undefined back as null).
  assert.equal(await wd.execute(() => window.__pageshows ?? null) === null, false, "restored from the bfcache, not reloaded");
  const first = await outcome("error");
  assert.match(first, /^USER_CANCEL/);
  assert.equal(await wd.execute(() => window.__pageshows), 1, "one persisted pageshow");
  // Another restore must not settle again.
  await wd.execute(() => dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(await wd.execute(() => document.getElementById("outcome").textContent), first);
});

// One desktop flow per PG (e2e/pg-*.test.mjs): the PG's own window kind in this engine.

/** Opens /pg/<pg>.html and clicks pay. */
async function pgCheckout(pg) {
  await wd.goto(url(`/pg/${pg}.html`));
  await wd.waitFor(() => !document.getElementById("pay").disabled, { what: `${pg} page ready` });
  await wd.click("#pay");
}

/** The PG page's verdict: {state, code, text}. */
async function pgOutcome() {
  return wd.waitFor(() => {
    const el = document.getElementById("outcome");
    const s = el.dataset.state;
    return s && s !== "working" ? { state: s, code: el.dataset.code, text: el.textContent } : null;
  }, { what: "the PG page's outcome" });
}

async function approveInPopup() {
  const popup = await wd.waitForNewWindow([main]);
  await wd.switchToWindow(popup);
  await wd.waitFor(() => !!document.querySelector("[data-pg-window], [data-pg-error]"));
  assert.equal(await wd.execute(() => document.querySelector("[data-pg-error]")?.textContent ?? null), null);
  await wd.click("#approve");
  await wd.switchToWindow(main);
}

test("smartro: desktop popup → approve → verified, paid", async () => {
  await pgCheckout("smartro");
  await approveInPopup();
  const o = await pgOutcome();
  assert.equal(o.state, "paid", o.text);
  assert.equal(JSON.parse(o.text).amount, 1004);
});

// KISPG's and KSNET's PC pages run in the PG's own iframe (`pay_frame`: KISPG's paySample.jsp;
// `payment-frame`: KSNET's kspay_web_ssl.js), as on Chromium (e2e/pg-kispg, pg-kspay).
for (const [pg, frame, code] of [
  ["kispg", "pay_frame", "3001"],
  ["kspay", "payment-frame", "O"],
]) {
  test(`${pg}: desktop ${frame} → approve → verified, paid`, async () => {
    await pgCheckout(pg);
    await clickInFrames([`iframe[name="${frame}"]`], "approve");
    const o = await pgOutcome();
    assert.equal(o.state, "paid", o.text);
    const result = JSON.parse(o.text);
    if (code) assert.equal(result.code, code);
    assert.equal(result.amount, 1004);
  });
}

test("xpay: desktop openXpay iframe → approve → payment_return → PaymentByKey → paid", async () => {
  await pgCheckout("xpay");
  await clickInFrames(["iframe#LGD_PAYMENTWINDOW_IFRAME"], "approve");
  const o = await pgOutcome();
  assert.equal(o.state, "paid", o.text);
  assert.equal(JSON.parse(o.text).code, "0000");
  assert.deepEqual(
    await wd.execute(() => [typeof window.payment_return, !!document.getElementById("LGD_PAYMENTWINDOW_TOP")]),
    ["undefined", false],
  );
});

test("kcp: desktop payplus_web.jsp (document.write) frame → approve → server approval → paid", async () => {
  await pgCheckout("kcp");
  // KCP_Pay_Execute_Web draws its layer iframe `naxIfr` (web_cross_hub.js; e2e/pg-kcp).
  await clickInFrames(["iframe[data-hanpay=kcp-frame]", "iframe#naxIfr"], "approve");
  const o = await pgOutcome();
  assert.equal(o.state, "paid", o.text);
  assert.equal(JSON.parse(o.text).code, "0000");
  assert.equal(await wd.execute(() => !!document.querySelector("[data-hanpay=kcp-frame]")), false);
});
