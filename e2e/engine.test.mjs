// The browser checkout engine against the sandbox's generic PG: every window mode, the failure
// paths, result relay and its origin checks, and inert field values.
import { test } from "node:test";
import { readdirSync } from "node:fs";
import assert from "node:assert/strict";
import { useSandbox, launchBrowser, packagePage } from "./harness.mjs";

const KAKAOTALK_UA =
  "Mozilla/5.0 (Linux; Android 13; SM-S911N Build/TP1A.220624.014; wv) AppleWebKit/537.36 " +
  "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 KAKAOTALK 10.4.5";
const NAVER_IOS_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) " +
  "Mobile/15E148 Safari/605.1 NAVER(inapp; search; 2000; 12.1.4; 15)";

const env = useSandbox();

/** Opens the generic checkout page in a fresh context and chooses a mode. */
async function checkout(mode, contextOptions = {}, init) {
  const context = await env.browser.newContext(contextOptions);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(`${env.url}/generic.html`);
  await page.waitForFunction(() => !document.getElementById("pay").disabled);
  await page.check(`input[name=mode][value=${mode}]`);
  return { context, page };
}

async function outcome(page, state) {
  await page.waitForSelector(`#outcome[data-state=${state}]`, { timeout: 15_000 });
  return page.textContent("#outcome");
}

test("popup: the PG window opens as payWindow and the verified result comes back", async () => {
  const { context, page } = await checkout("popup");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("#approve");
  assert.equal(await popup.evaluate(() => window.name), "payWindow");
  await popup.click("#approve");
  const result = JSON.parse(await outcome(page, "paid"));
  assert.equal(result.success, true);
  assert.equal(result.code, "0000");
  assert.equal(result.amount, 1004);
  assert.match(result.tid, /^GTID/);
  // The return page closes itself after relaying (and the engine closes it too).
  for (let i = 0; i < 50 && !popup.isClosed(); i++) await page.waitForTimeout(100);
  assert.equal(popup.isClosed(), true, "popup closed after the result");
  await context.close();
});

test("popup: window.open is called synchronously inside the click", async () => {
  const { context, page } = await checkout("popup", {}, () => {
    const original = window.open;
    window.__openCalls = [];
    window.open = function (...args) {
      window.__openCalls.push({ name: args[1], activation: navigator.userActivation?.isActive ?? null });
      return original.apply(this, args);
    };
    // A bubbling listener on the document runs right after the button's own click handler.
    document.addEventListener("click", (e) => {
      if (e.target?.id === "pay") window.__openCallsWhenHandlerReturned = window.__openCalls.length;
    });
  });
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  const calls = await page.evaluate(() => window.__openCalls);
  assert.equal(await page.evaluate(() => window.__openCallsWhenHandlerReturned), 1, "window.open ran before the click handler returned");
  assert.equal(calls[0].name, "payWindow");
  assert.equal(calls[0].activation, true, "inside the user activation");
  await popup.close();
  await outcome(page, "error");
  await context.close();
});

test("popup blocked: window.open returning null falls back to the iframe layer and reports why", async () => {
  const { context, page } = await checkout("popup", {}, () => {
    window.open = () => null;
  });
  await page.click("#pay");
  const frame = await (await page.waitForSelector("iframe[name=payFrame]")).contentFrame();
  await frame.waitForSelector("#approve");
  assert.equal(await page.textContent("#log"), "fallback: POPUP_BLOCKED → iframe");
  await frame.click("#approve");
  const result = JSON.parse(await outcome(page, "paid"));
  assert.equal(result.success, true);
  assert.equal(await page.$("[data-hanpay=layer]"), null, "layer removed after the result");
  await context.close();
});

test("popup closed by the user rejects with USER_CANCEL", async () => {
  const { context, page } = await checkout("popup");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("#approve");
  await popup.close();
  assert.match(await outcome(page, "error"), /^USER_CANCEL/);
  await context.close();
});

test("a forged result posted from another origin is ignored", async () => {
  const { context, page } = await checkout("popup");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("#approve");
  const orderId = await popup.textContent("#order");
  // Same server, other origin: localhost instead of 127.0.0.1.
  const foreign = env.url.replace("127.0.0.1", "localhost");
  // Navigated by the page itself (not the browser UI) so the popup keeps its opener.
  await Promise.all([popup.waitForURL(/localhost/), popup.evaluate((u) => (location.href = u), `${foreign}/index.html`)]);
  await popup.evaluate((requestId) => {
    window.opener.postMessage(
      { source: "hanpay", type: "result", requestId, result: { success: true, code: "0000", amount: 1 } },
      "*",
    );
  }, orderId);
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute("#outcome", "data-state"), "pending", "forged message must not settle");
  await popup.close();
  assert.match(await outcome(page, "error"), /^USER_CANCEL/);
  await context.close();
});

test("a result with another request id is ignored", async () => {
  const { context, page } = await checkout("popup");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("#approve");
  await popup.evaluate(() => {
    window.opener.postMessage(
      { source: "hanpay", type: "result", requestId: "GEN-other", result: { success: true } },
      window.location.origin,
    );
  });
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute("#outcome", "data-state"), "pending");
  await popup.click("#approve");
  assert.equal(JSON.parse(await outcome(page, "paid")).success, true);
  await context.close();
});

test("iframe layer: decline gives PG_ERROR with the PG's code", async () => {
  const { context, page } = await checkout("iframe");
  await page.click("#pay");
  const layer = await page.waitForSelector("[data-hanpay=layer]");
  assert.equal(await layer.$eval("[role=dialog]", (d) => d.getAttribute("aria-modal")), "true");
  const frame = await (await page.waitForSelector("iframe[name=payFrame]")).contentFrame();
  await frame.waitForSelector("#decline");
  await frame.click("#decline");
  assert.match(await outcome(page, "error"), /^PG_ERROR \[9101\]/);
  await context.close();
});

test("iframe layer: Escape closes it with USER_CANCEL and focus stays trapped", async () => {
  const { context, page } = await checkout("iframe");
  await page.click("#pay");
  const frame = await (await page.waitForSelector("iframe[name=payFrame]")).contentFrame();
  await frame.waitForSelector("#approve");
  const focused = () => page.evaluate(() => document.activeElement?.dataset.hanpay ?? document.activeElement?.tagName);
  assert.equal(await focused(), "close");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "frame", "Shift+Tab before the close button wraps to the frame");
  await page.focus("[data-hanpay=close]");
  // Tab through the PG's frame and out of it: focus never leaves the dialog and comes back around.
  const seen = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    seen.push(await focused());
  }
  assert.ok(seen.every((f) => f === "frame" || f === "close"), `focus stayed inside: ${seen}`);
  assert.ok(seen.includes("frame") && seen.lastIndexOf("close") > seen.indexOf("frame"), `wrapped: ${seen}`);
  await page.focus("[data-hanpay=close]");
  await page.keyboard.press("Escape");
  assert.match(await outcome(page, "error"), /^USER_CANCEL/);
  assert.equal(await page.$("[data-hanpay=layer]"), null);
  await context.close();
});

for (const [name, ua, isMobile] of [
  ["KakaoTalk in-app (Android)", KAKAOTALK_UA, true],
  ["NAVER in-app (iOS)", NAVER_IOS_UA, true],
]) {
  test(`${name} takes the redirect path and the return page shows the verified result`, async () => {
    const { context, page } = await checkout("auto", { userAgent: ua, isMobile, hasTouch: true });
    let popups = 0;
    page.on("popup", () => popups++);
    await Promise.all([page.waitForURL(/\/pg\/generic\/pay$/), page.click("#pay")]);
    await page.click("#approve");
    await page.waitForURL(/\/merchant\/generic\/return$/);
    await page.waitForSelector("body[data-relayed]");
    assert.equal(await page.getAttribute("body", "data-relayed"), "false");
    const result = JSON.parse(await page.textContent("#result-view"));
    assert.equal(result.success, true);
    assert.equal(popups, 0);
    await context.close();
  });
}

test("redirect: coming back from the PG page through the bfcache rejects once with USER_CANCEL", async () => {
  const bfBrowser = await launchBrowser({ bfcache: true });
  try {
    const page = await bfBrowser.newPage();
    await page.goto(`${env.url}/generic.html`);
    await page.waitForFunction(() => !document.getElementById("pay").disabled);
    await page.check("input[name=mode][value=redirect]");
    await page.evaluate(() => {
      window.__pageshows = 0;
      addEventListener("pageshow", (e) => e.persisted && window.__pageshows++);
    });
    await Promise.all([page.waitForURL(/\/pg\/generic\/pay$/), page.click("#pay")]);
    // A page restored from the bfcache fires pageshow, not load.
    await page.goBack({ waitUntil: "commit" });
    const first = await outcome(page, "error");
    assert.match(first, /^USER_CANCEL/);
    assert.equal(await page.evaluate(() => window.__pageshows), 1, "restored from the bfcache, not reloaded");
    // Another restore must not settle again. (A second real back/forward trip detaches
    // Playwright's page object now and then, so the restore is replayed as its event.)
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
    await page.waitForTimeout(100);
    assert.equal(await page.textContent("#outcome"), first);
  } finally {
    await bfBrowser.close();
  }
});

test("fields named like form members (submit, remove, action, style) are posted like any other", async () => {
  const { context, page } = await packagePage(env);
  // Such inputs hide the form's own members of that name; the engine must still post and
  // clean up. The layer's iframe shows the PG page only if the post went through.
  const left = await page.evaluate(async () => {
    const res = await fetch("/api/generic/checkout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ amount: 1000, goodsName: "members" }),
    });
    const form = await res.json();
    for (const name of ["submit", "remove", "action", "style", "method", "target"]) form.fields.push([name, "x"]);
    window.hanpay.open(form, { mode: "iframe" }).catch(() => {});
    return document.querySelectorAll("form[data-hanpay=checkout]").length;
  });
  assert.equal(left, 0, "the submitted form is removed again");
  const frame = page.frame({ name: "payFrame" });
  await frame.waitForSelector("#approve");
  assert.equal(await frame.textContent("#goods"), "members");
  await context.close();
});

test("field values shaped like HTML or script stay inert", async () => {
  const hostile = `"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'`;
  const { context, page } = await checkout("popup");
  await page.fill("#goods", hostile);
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("#approve");
  assert.equal(await popup.textContent("#goods"), hostile, "shown as text, byte for byte");
  assert.equal(await popup.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await popup.click("#approve");
  assert.equal(JSON.parse(await outcome(page, "paid")).success, true);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});

test("engine API: invalid forms, timeouts, single settlement and instanceof across copies", async () => {
  const { context, page } = await packagePage(env);
  // A second copy of the class: the package's errors.js snippet loaded again under another URL.
  const snippet = readdirSync(new URL("../pkg/snippets/", import.meta.url), { recursive: true })
    .find((f) => f.endsWith("errors.js"));
  const report = await page.evaluate(async (errorsPath) => {
    const hanpay = window.hanpay;
    const copy = await import(`/pkg/snippets/${errorsPath}?second-copy`);
    const out = {};
    const code = (p) => p.then(() => "resolved", (e) => ({ code: e.code, field: e.field, rule: e.rule, a: e instanceof hanpay.HanpayError, b: e instanceof copy.HanpayError, isError: e instanceof Error }));
    out.badAction = await code(hanpay.open({ action: "javascript:alert(1)", fields: [["orderId", "X"]] }, { mode: "redirect" }));
    out.noRequestId = await code(hanpay.open({ action: "/pg/generic/pay", fields: [] }, { mode: "redirect" }));
    out.badMode = await code(hanpay.open({ action: "/x", fields: [] }, { mode: "sideways" }));
    out.noRedirect = await code(hanpay.open({ action: "/x", fields: [["orderId", "1"]] }, { mode: "redirect", allowRedirect: false }));
    out.blockedError = await (async () => {
      const saved = window.open;
      window.open = () => null;
      try {
        return await code(hanpay.open({ action: "/x", fields: [["orderId", "1"]] }, { mode: "popup", onPopupBlocked: "error" }));
      } finally {
        window.open = saved;
      }
    })();
    // A form promise that never arrives: the layer waits, then times out and is removed.
    out.timeout = await code(hanpay.open(new Promise(() => {}), { mode: "iframe", timeoutMs: 200 }));
    out.layerLeft = document.querySelectorAll("[data-hanpay=layer]").length;
    // A rejected form promise passes its reason through and closes the layer.
    out.formFailed = await hanpay.open(Promise.reject(new Error("server said no")), { mode: "iframe" }).then(
      () => "resolved",
      (e) => e.message,
    );
    out.relayStar = (() => {
      try {
        hanpay.relayResult({ success: true }, { targetOrigin: "*", requestId: "1" });
        return "accepted";
      } catch (e) {
        return `${e.code}:${e.field}:${e.rule}`;
      }
    })();
    out.relayNoOpener = hanpay.relayResult({ success: true }, { targetOrigin: location.origin, requestId: "1" });
    return out;
  }, snippet);
  const typed = (field, rule) => ({ code: "INVALID_PARAMETERS", field, rule, a: true, b: true, isError: true });
  assert.deepEqual(report.badAction, typed("action", "http_or_relative_url"));
  assert.deepEqual(report.noRequestId, typed("requestId", "shape"));
  assert.equal(report.badMode.code, "INVALID_PARAMETERS");
  assert.equal(report.badMode.field, "mode");
  assert.equal(report.noRedirect.code, "REDIRECT_REQUIRED");
  assert.equal(report.blockedError.code, "POPUP_BLOCKED");
  assert.equal(report.timeout.code, "TIMEOUT");
  assert.equal(report.layerLeft, 0);
  assert.equal(report.formFailed, "server said no");
  assert.equal(report.relayStar, "INVALID_PARAMETERS:targetOrigin:explicit_http_origin");
  assert.equal(report.relayNoOpener, false);
  await context.close();
});

test("app-return fields and in-app escapes are derived from the real page, never applied", async () => {
  const LINE_UA =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 11_2_1 like Mac OS X) AppleWebKit/604.4.7 (KHTML, like Gecko) Mobile/15C153 Safari Line/8.4.1";
  const WKWEBVIEW_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
  const probe = async (ua) => {
    const contextOptions = ua ? { userAgent: ua, isMobile: true, hasTouch: true } : {};
    const { context, page } = await packagePage(env, { contextOptions, path: "/index.html?order=A1" });
    const out = await page.evaluate(() => {
      const hanpay = window.hanpay;
      let bad;
      try {
        hanpay.appReturnFields("not a scheme!");
      } catch (e) {
        bad = `${e.code}:${e.field}`;
      }
      return { fields: hanpay.appReturnFields("MyShop"), escape: hanpay.inAppEscapeUrl(location.href), bad, url: location.href };
    });
    await context.close();
    return out;
  };
  const line = await probe(LINE_UA);
  assert.deepEqual(line.escape, { kind: "line_external_browser", url: `${line.url}&openExternalBrowser=1` });
  const app = await probe(WKWEBVIEW_UA);
  assert.equal(app.escape, null, "the merchant's own WebView is never escaped");
  assert.deepEqual(app.fields.kispg, { appSchemeFlg: "1", resultScheme: "myshop://", cancelScheme: "myshop://", P_RESERVED: null });
  assert.equal(app.fields.ksnet.sndRtApp, "myshop://");
  assert.equal(app.bad, "INVALID_PARAMETERS:host_scheme");
  const desktop = await probe(null);
  assert.equal(desktop.escape, null);
});
