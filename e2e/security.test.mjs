// Regression tests of the browser findings of the security review (issue #17): each case is
// the review's proof of concept turned around, and fails on the code the review looked at.
// A third party on the same site (another loopback port, as in the review) is a small
// server started here; the PG stand-in is the sandbox.
import { test, before, after } from "node:test";
import { createServer } from "node:http";
import { once } from "node:events";
import { readFileSync, readdirSync } from "node:fs";
import assert from "node:assert/strict";
import { useSandbox, packagePage } from "./harness.mjs";
import { checkoutPage, payInPopup, outcome } from "./pg-flows.mjs";

const env = useSandbox();

// The third party: `/ad?name=…` is an ad or widget frame that gives its window a name.
let thirdParty = "";
let server;
before(async () => {
  server = createServer((req, res) => {
    const name = new URL(req.url, "http://x").searchParams.get("name") ?? "";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>third party</title><script>window.name = ${JSON.stringify(name)};</script>`);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  thirdParty = `http://127.0.0.1:${server.address().port}`;
});
after(() => server?.close());

/** In the page: a signed checkout form of `pg` from the sandbox merchant. */
const SIGNED_FORM = async (pg) => {
  const res = await fetch(`/api/${pg}/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ amount: 1004, goodsName: "보안 테스트", method: "card", mobile: false }),
  });
  return res.json();
};

/** A page with the package loaded and `window.signedForm(pg)`. */
async function merchantPage(path) {
  const { context, page } = await packagePage(env, path ? { path } : {});
  await page.evaluate(`window.signedForm = ${SIGNED_FORM}`);
  return { context, page };
}

/** Adds a third-party frame named `name` (by its own script) and waits until it is named. */
async function adFrame(page, name = "") {
  await page.evaluate(async (src) => {
    const f = document.createElement("iframe");
    f.src = src;
    document.body.appendChild(f);
    await new Promise((r) => f.addEventListener("load", r, { once: true }));
  }, `${thirdParty}/ad?name=${encodeURIComponent(name)}`);
  return page.frames().find((f) => f.url().startsWith(thirdParty));
}

/** Requests of `context` whose URL matches `re`, recorded from now on. */
function record(context, re) {
  const seen = [];
  context.on("request", (r) => re.test(r.url()) && seen.push(`${r.method()} ${r.url()}`));
  return seen;
}

const settleCode = (p) => `(${p}).then((r) => ({ resolved: r }), (e) => e.code)`;

test("finding 3: an inherited `sandbox` neither loads the PG script nor receives the signed form", async () => {
  const { context, page } = await merchantPage();
  // The real PG hosts are unreachable here; answer at once instead of waiting for DNS.
  await context.route(/^https:/, (route) => route.abort());
  const leaked = record(context, new RegExp(`^${thirdParty}`));
  const codes = await page.evaluate(async (origin) => {
    const forms = { xpay: await window.signedForm("xpay"), smartro: await window.signedForm("smartro") };
    Object.prototype.sandbox = origin;
    try {
      const code = (p) => p.then(() => "resolved", (e) => e.code);
      return {
        xpay: await code(window.hanpay.pay("xpay", forms.xpay, { mode: "iframe", scriptTimeoutMs: 1500 })),
        smartro: await code(window.hanpay.pay("smartro", forms.smartro, { mode: "popup", timeoutMs: 1500 })),
      };
    } finally {
      delete Object.prototype.sandbox;
    }
  }, thirdParty);
  assert.deepEqual(codes, { xpay: "SCRIPT_LOAD_FAILED", smartro: "TIMEOUT" });
  assert.deepEqual(leaked, [], "nothing went to the polluting origin");
  await context.close();
});

test("pay() reads its options with open()'s strict reader: a bad option is refused before any script or window", async () => {
  const { context, page } = await merchantPage();
  const popups = [];
  page.on("popup", (p) => popups.push(p));
  // Every PG of the registry (crates/hanpay-pg/data/pg); KISPG's and Smartro's windows are plain
  // form posts the engine shows, which load no PG script and so have no scriptTimeoutMs to refuse.
  const pgs = readdirSync(new URL("../crates/hanpay-pg/data/pg/", import.meta.url)).map((f) => f.replace(/\.json$/, ""));
  const scriptless = ["kispg", "smartro"];
  const refused = await page.evaluate(async ({ pgs, scriptless }) => {
    const form = { action: "/x", method: "POST", fields: [["a", "b"]] };
    const bad = [{ mode: "sideways" }, { timeoutMs: -1 }, { timeoutMs: "soon" }, { hostApp: 5 }, { scriptTimeoutMs: "soon" }];
    const out = {};
    for (const pg of pgs) {
      const cases = scriptless.includes(pg) ? bad.slice(0, 4) : bad;
      out[pg] = [];
      for (const o of cases) {
        // A refusal is immediate; one that is not comes back as "pending" instead of hanging.
        const pending = new Promise((r) => setTimeout(() => r("pending"), 3000));
        const paid = window.hanpay.pay(pg, form, { sandbox: location.origin, ...o }).then(() => "resolved", (e) => `${e.code}:${e.field}`);
        out[pg].push(await Promise.race([paid, pending]));
      }
    }
    // A PG without an adapter (or a name in another case) is refused the same way.
    out.unknown = [];
    for (const pg of ["nope", "XPAY", "", "kcp "]) {
      out.unknown.push(await window.hanpay.pay(pg, form, { sandbox: location.origin }).then(() => "resolved", (e) => `${e.code}:${e.field}`));
    }
    return { out, scripts: document.querySelectorAll("script[data-hanpay]").length };
  }, { pgs, scriptless });
  assert.deepEqual(refused.out.unknown, Array(4).fill("INVALID_PARAMETERS:pg"));
  assert.ok(pgs.length > scriptless.length && scriptless.every((pg) => pgs.includes(pg)), pgs.join());
  const want = ["mode", "timeoutMs", "timeoutMs", "hostApp", "scriptTimeoutMs"].map((f) => `INVALID_PARAMETERS:${f}`);
  for (const pg of pgs) assert.deepEqual(refused.out[pg], scriptless.includes(pg) ? want.slice(0, 4) : want, pg);
  assert.equal(refused.scripts, 0, "no PG script was added");
  assert.equal(popups.length, 0, "no window opened");
  await context.close();
});

test("finding 3: an explicit `sandbox` must be a loopback http origin", async () => {
  const { context, page } = await merchantPage();
  const popups = [];
  page.on("popup", (p) => popups.push(p));
  const refused = await page.evaluate(async () => {
    const form = await window.signedForm("kispg");
    const out = [];
    for (const sandbox of ["https://evil.example", "http://127.0.0.1.evil.example", "http://127.0.0.1@evil.example", "http://localhost:80/x", "javascript:1"]) {
      out.push(await window.hanpay.pay("kispg", form, { mode: "popup", sandbox, timeoutMs: 2000 }).then(() => "resolved", (e) => `${e.code}:${e.field}:${e.rule}`));
    }
    return out;
  });
  assert.deepEqual(refused, Array(5).fill("INVALID_PARAMETERS:sandbox:loopback_http_origin"));
  assert.equal(popups.length, 0, "refused before any window opened");
  await context.close();
});

for (const polluted of ["requestId", "allowedOrigins"]) {
  test(`finding 3: an inherited \`${polluted}\` accepts no forged result`, async () => {
    const { context, page } = await merchantPage();
    const foreign = env.url.replace("127.0.0.1", "localhost");
    const [popup] = await Promise.all([
      page.waitForEvent("popup"),
      page.evaluate(({ polluted, foreign }) => {
        Object.prototype[polluted] = polluted === "requestId" ? "x" : [foreign];
        window.__result = "pending";
        window.hanpay.open(window.signedForm("generic"), { mode: "popup" }).then(
          (r) => (window.__result = r.code),
          (e) => (window.__result = e.code),
        );
      }, { polluted, foreign }),
    ]);
    await popup.waitForSelector("#approve");
    const orderId = await popup.textContent("#order");
    // The forgery passes every check but the polluted one: from hanpay's own window and this
    // origin with the planted request id, or from the planted origin with the real one.
    const [requestId, targetOrigin] = polluted === "requestId" ? ["x", env.url] : [orderId, "*"];
    if (polluted === "allowedOrigins") {
      await Promise.all([popup.waitForURL(/localhost/), popup.evaluate((u) => (location.href = u), `${foreign}/index.html`)]);
    }
    await popup.evaluate(
      ({ requestId, targetOrigin }) =>
        opener.postMessage({ source: "hanpay", type: "result", requestId, result: { success: true, status: "paid", code: "FORGED" } }, targetOrigin),
      { requestId, targetOrigin },
    );
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__result), "pending", "the forged result was ignored");
    await popup.close();
    await page.waitForFunction(() => window.__result !== "pending");
    assert.equal(await page.evaluate(() => window.__result), "USER_CANCEL");
    await context.close();
  });
}

test("finding 4: a third-party frame named payWindow is neither used as the popup nor posted into", async () => {
  const { context, page } = await merchantPage();
  const ad = await adFrame(page, "payWindow");
  const posted = record(context, /\/pg\/generic\/pay/);
  let popups = 0;
  page.on("popup", () => popups++);
  const code = await page.evaluate(settleCode(`window.hanpay.open(window.signedForm("generic"), { mode: "popup", timeoutMs: 3000 })`));
  assert.equal(code, "NAME_CONFLICT");
  assert.equal(popups, 0);
  assert.deepEqual(posted, []);
  assert.match(ad.url(), /\/ad\?name=payWindow$/, "the ad frame was not navigated");
  await context.close();
});

test("finding 4: a frame that takes the name payWindow after the popup opened does not get the form", async () => {
  const { context, page } = await merchantPage();
  const ad = await adFrame(page);
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    page.evaluate(() => {
      window.__form = new Promise((r) => (window.__release = r));
      window.__result = window.hanpay.open(window.__form, { mode: "popup" }).then((r) => r.code, (e) => e.code);
    }),
  ]);
  await ad.evaluate(() => (window.name = "payWindow"));
  await page.evaluate(async () => window.__release(await window.signedForm("generic")));
  // The PG page loads in hanpay's popup, under the name the PG expects.
  await popup.waitForSelector("#approve");
  assert.equal(await popup.evaluate(() => window.name), "payWindow");
  assert.match(ad.url(), /\/ad\?name=$/, "the ad frame was not navigated");
  await popup.click("#approve");
  assert.equal(await page.evaluate(() => window.__result), "0000");
  await context.close();
});

test("finding 4: a third-party frame named payFrame does not receive the layer's form", async () => {
  const { context, page } = await merchantPage();
  const ad = await adFrame(page, "payFrame");
  const posted = record(context, /\/pg\/generic\/pay/);
  const code = await page.evaluate(settleCode(`window.hanpay.open(window.signedForm("generic"), { mode: "iframe", timeoutMs: 3000 })`));
  assert.equal(code, "NAME_CONFLICT");
  assert.deepEqual(posted, []);
  assert.match(ad.url(), /\/ad\?name=payFrame$/);
  assert.equal(await page.$("[data-hanpay=layer]"), null, "the layer is gone again");
  await context.close();
});

test("finding 4: an opener named payWindow is not navigated to the PG", async () => {
  const context = await env.browser.newContext();
  const attacker = await context.newPage();
  await attacker.goto(`${thirdParty}/ad?name=payWindow`);
  const [merchant] = await Promise.all([
    context.waitForEvent("page"),
    attacker.evaluate((u) => void window.open(u), `${env.url}/index.html`),
  ]);
  await merchant.waitForLoadState();
  await merchant.evaluate(`window.signedForm = ${SIGNED_FORM}`);
  const code = await merchant.evaluate(async () => {
    const hanpay = await import("/pkg/index.js");
    await hanpay.default();
    return hanpay.open(window.signedForm("generic"), { mode: "popup", timeoutMs: 3000 }).then(() => "resolved", (e) => e.code);
  });
  assert.equal(code, "NAME_CONFLICT");
  assert.equal(attacker.url(), `${thirdParty}/ad?name=payWindow`, "the opener stayed where it was");
  await context.close();
});

test("finding 4: a second concurrent popup checkout does not share the first one's window", async () => {
  const { context, page } = await merchantPage();
  const [popup, second] = await Promise.all([
    page.waitForEvent("popup"),
    page.evaluate(async () => {
      window.__first = window.hanpay.open(window.signedForm("generic"), { mode: "popup" }).then((r) => r.code, (e) => e.code);
      // window.open("", "payWindow") hands back the first checkout's popup.
      return window.hanpay.open(window.signedForm("generic"), { mode: "popup", timeoutMs: 3000 }).then(() => "resolved", (e) => e.code);
    }),
  ]);
  assert.equal(second, "NAME_CONFLICT");
  await popup.waitForSelector("#approve");
  await popup.click("#approve");
  assert.equal(await page.evaluate(() => window.__first), "0000", "the first checkout is unaffected");
  await context.close();
});

test("finding 5: a form that arrives after the popup was closed posts nothing and rejects USER_CANCEL", async () => {
  const { context, page } = await merchantPage();
  const posted = record(context, /\/pg\/generic\/pay/);
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    page.evaluate(() => {
      window.__form = new Promise((r) => (window.__release = r));
      window.__result = window.hanpay.open(window.__form, { mode: "popup", closeGraceMs: 10_000 }).then(() => "resolved", (e) => e.code);
    }),
  ]);
  await popup.close();
  const code = await page.evaluate(async () => {
    window.__release(await window.signedForm("generic"));
    return Promise.race([window.__result, new Promise((r) => setTimeout(() => r("pending"), 3000))]);
  });
  assert.equal(code, "USER_CANCEL");
  assert.equal(context.pages().length, 1, "no new PG window");
  assert.deepEqual(posted, []);
  await context.close();
});

test("finding 6: redirect mode and a message without a source window settle nothing", async () => {
  const { context, page } = await merchantPage();
  const state = await page.evaluate(async () => {
    const result = { success: true, status: "paid", code: "FORGED" };
    const watch = (p) => {
      const s = { v: "pending" };
      p.then(() => (s.v = "resolved"), (e) => (s.v = e.code));
      return s;
    };
    // Redirect mode whose form never arrives: the page stays, and a same-origin frame that is
    // not a payment window posts a result with the right id.
    const redirect = watch(window.hanpay.open(new Promise(() => {}), { mode: "redirect", requestId: "ORDER-9" }));
    const frame = document.createElement("iframe");
    frame.srcdoc = "<p>widget</p>";
    document.body.appendChild(frame);
    await new Promise((r) => frame.addEventListener("load", r, { once: true }));
    frame.contentWindow.eval(`parent.postMessage(${JSON.stringify({ source: "hanpay", type: "result", requestId: "ORDER-9", result })}, "*")`);
    // The layer, and a message event that names no source window.
    const layer = watch(window.hanpay.open(new Promise(() => {}), { mode: "iframe", requestId: "ORDER-10" }));
    dispatchEvent(new MessageEvent("message", { data: { source: "hanpay", type: "result", requestId: "ORDER-10", result }, origin: location.origin }));
    await new Promise((r) => setTimeout(r, 300));
    return { redirect: redirect.v, layer: layer.v };
  });
  assert.deepEqual(state, { redirect: "pending", layer: "pending" });
  await context.close();
});

test("finding 7: a same-origin frame calling parent.eparamSet/goResult does not settle pay('kspay')", async () => {
  const context = await env.browser.newContext();
  // KSNET's popup `_KSPAY_WIN` (the default is the frame `payment-frame`, issue #14).
  const page = await checkoutPage(context, env.url, "kspay", { query: "?mode=popup" });
  const popup = await payInPopup(page);
  await page.evaluate(async () => {
    const widget = document.createElement("iframe");
    widget.srcdoc = "<script>parent.eparamSet('ATTACKER-CHOSEN-ID', '1', 'h'); parent.goResult();</script>";
    document.body.appendChild(widget);
    await new Promise((r) => widget.addEventListener("load", r, { once: true }));
  });
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute("#outcome", "data-state"), "working", "the widget's call settled nothing");
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.match(next.reCommConId, /^KSP\d{18}$/);
  await context.close();
});

test("finding 7: a second concurrent pay('kspay') is refused and the first one completes", async () => {
  const context = await env.browser.newContext();
  // KSNET's popup `_KSPAY_WIN` (the default is the frame `payment-frame`, issue #14).
  const page = await checkoutPage(context, env.url, "kspay", { query: "?mode=popup" });
  const popup = await payInPopup(page);
  const second = await page.evaluate(async () => {
    const { pay } = await import("/pkg/index.js");
    const form = { action: "/pg/kspay/x", fields: [["sndOrdernumber", "SECOND"]] };
    return pay("kspay", form, { mode: "popup", timeoutMs: 3000 }).then(() => "resolved", (e) => `${e.code}:${e.field}`);
  });
  assert.equal(second, "NAME_CONFLICT:eparamSet");
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  assert.deepEqual(await page.evaluate(() => [typeof window.eparamSet, typeof window.goResult]), ["undefined", "undefined"]);
  await context.close();
});

test("finding 7: XPay's payment_return called while XPay's own page shows settles nothing", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "xpay");
  await page.click("#pay");
  const frame = await (await page.waitForSelector("iframe#LGD_PAYMENTWINDOW_IFRAME")).contentFrame();
  await frame.waitForSelector("[data-pg-window]");
  await page.evaluate(() => window.payment_return());
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute("#outcome", "data-state"), "working");
  await frame.click("#approve");
  assert.equal((await outcome(page)).state, "paid");
  await context.close();
});

test("finding 8: named DOM elements do not turn a desktop page into a WebView", async () => {
  const { context, page } = await merchantPage();
  const report = await page.evaluate(() => {
    const hanpay = window.hanpay;
    const before = { env: hanpay.currentEnvironment(), fields: hanpay.appReturnFields("myapp") };
    document.body.insertAdjacentHTML(
      "beforeend",
      '<img name="HanpayAndroid"><form id="webkit"><input name="messageHandlers"></form><form name="ReactNativeWebView"><input name="postMessage"></form>',
    );
    const clobbered = { env: hanpay.currentEnvironment(), fields: hanpay.appReturnFields("myapp") };
    // A real bridge object still counts.
    window.ReactNativeWebView = { postMessage() {} };
    const bridged = hanpay.currentEnvironment();
    return { before, clobbered, bridged, probes: [typeof window.HanpayAndroid, typeof window.webkit.messageHandlers] };
  });
  assert.deepEqual(report.probes, ["object", "object"], "the clobbering elements are in place");
  assert.equal(report.before.env.webview, false);
  assert.deepEqual(report.clobbered, report.before);
  assert.equal(report.bridged.webview, true);
  assert.equal(report.bridged.mode, "redirect");
  await context.close();
});

test("finding 9: relayResult takes only targetOrigins the URL parser serializes unchanged", async () => {
  const cases = JSON.parse(readFileSync(new URL("../tests/data/window-plan.json", import.meta.url))).target_origins;
  const { context, page } = await merchantPage();
  const got = await page.evaluate((cases) => cases.map(({ target }) => {
    try {
      // No opener or parent here: an accepted origin returns false, a refused one throws.
      return window.hanpay.relayResult({ status: "paid", success: true }, { targetOrigin: target, requestId: "1" }) === false;
    } catch (e) {
      if (e.code !== "INVALID_PARAMETERS" || e.field !== "targetOrigin") throw e;
      return false;
    }
  }), cases);
  assert.deepEqual(got.map((ok, i) => [cases[i].target, ok]), cases.map((c) => [c.target, c.ok]));
  await context.close();
});

test("a page handler that re-enters the KSPay flow while it settles finds it settled", async () => {
  // finish() gives focus back to the element that had it; a focus handler calling goResult
  // then re-entered the flow while its state was still borrowed, trapping the wasm instance.
  const { context, page } = await merchantPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.evaluate(() => {
    const button = document.createElement("button");
    button.textContent = "pay";
    document.body.appendChild(button);
    button.focus();
    window.__reentered = [];
    button.addEventListener("focus", () => {
      try {
        window.goResult?.();
        window.__reentered.push("returned");
      } catch (e) {
        window.__reentered.push(String(e));
      }
    });
    window.__result = window.hanpay
      .pay("kspay", window.signedForm("kspay"), { mode: "iframe", sandbox: location.origin })
      .then(() => "resolved", (e) => e.code);
  });
  const frame = await (await page.waitForSelector("iframe[name=payment-frame]")).contentFrame();
  await frame.waitForSelector("[data-pg-window]");
  await page.click("[data-hanpay=close]");
  assert.equal(await page.evaluate(() => window.__result), "USER_CANCEL");
  assert.deepEqual(await page.evaluate(() => window.__reentered), ["returned"], "the handler ran and returned normally");
  assert.deepEqual(errors, []);
  // The instance still works afterwards.
  assert.equal(typeof (await page.evaluate(() => window.hanpay.version())), "string");
  await context.close();
});

test("issue #12: a relayed result resolves whatever its status; only `cancelled` rejects", async () => {
  const { context, page } = await merchantPage();
  const run = async (result) => {
    await page.evaluate(() => {
      window.__result = window.hanpay.open(window.signedForm("generic"), { mode: "iframe" }).then(
        (r) => ({ resolved: r }),
        (e) => ({ code: e.code }),
      );
    });
    const frame = await (await page.waitForSelector("iframe[name=payFrame]")).contentFrame();
    await frame.waitForSelector("#approve");
    const requestId = await frame.textContent("#order");
    await frame.evaluate(({ requestId, result }) => parent.postMessage({ source: "hanpay", type: "result", requestId, result }, location.origin), { requestId, result });
    const settled = await page.evaluate(() => window.__result);
    await page.waitForFunction(() => !document.querySelector("[data-hanpay=layer]"));
    return settled;
  };
  const failed = { status: "failed", success: false, code: "9101", message: "declined" };
  assert.deepEqual(await run(failed), { resolved: failed });
  const pending = { status: "pending", success: false, code: "4100" };
  assert.deepEqual(await run(pending), { resolved: pending });
  // `success` is the server's, not recomputed from the status.
  const odd = { status: "paid", success: false };
  assert.deepEqual(await run(odd), { resolved: odd });
  assert.deepEqual(await run({ status: "cancelled", success: false, cancelled: true }), { code: "USER_CANCEL" });
  await context.close();
});
