// KISPG against the sandbox: /v2/auth in the iframe `pay_frame` on desktop, whose result comes
// as the message {resultCode, data} that hanpay posts to returnUrl (the official paySample.jsp;
// `mode: "popup"` keeps the popup with the returnUrl relay), same-window submit on mobile, the
// auth result with encData, then the merchant server's /v2/payment approval.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, payInPopup as payInWindow, outcome, payByRedirect, orderState, tamper } from "./pg-flows.mjs";
import { payInFrame } from "./vendor-routes.mjs";

const payInPopup = (page) => payInFrame(page, "pay_frame");

const env = useSandbox();

test("desktop: pay_frame auth → message → returnUrl → {next: approve, tid} → server /v2/payment → paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kispg");
  const popup = await payInPopup(page);
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "approve");
  assert.match(next.tid, /^kistest00m0101\d{16}$/);
  const result = JSON.parse(o.text);
  assert.equal(result.code, "3001");
  assert.equal(result.amount, 1004);
  assert.equal((await orderState(env.url, "kispg", next.orderId)).status, "paid");
  await context.close();
});

test("mobile: same-window submit (model=MOB) → approve → return page approves server-side", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "kispg");
  const r = await payByRedirect(page);
  assert.equal(r.relayed, "false");
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  assert.equal(r.result.code, "3001");
  await context.close();
});

test("inside a hybrid app (?appScheme=) the auth form carries the app's return scheme", async () => {
  // An iOS WKWebView user agent (no Safari/ token), as in ios-sample/.
  const WKWEBVIEW_UA =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
  const context = await env.browser.newContext({ userAgent: WKWEBVIEW_UA, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${env.url}/pg/kispg.html?appScheme=hanpaysample://`);
  await page.waitForSelector("#pay:not([disabled])");
  const [auth] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && /\/pg\/kispg\/v2\/auth/.test(r.url())),
    page.click("#pay"),
  ]);
  const sent = new URLSearchParams(auth.postData());
  assert.equal(sent.get("appSchemeFlg"), "1");
  assert.equal(sent.get("resultScheme"), "hanpaysample://");
  assert.equal(sent.get("cancelScheme"), "hanpaysample://");
  await page.waitForSelector("[data-pg-window]");
  await context.close();
});

test("decline rejects with PG_ERROR and the PG's code", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kispg");
  const popup = await payInPopup(page);
  await popup.click("#decline");
  const o = await outcome(page);
  assert.equal(o.code, "PG_ERROR");
  assert.match(o.text, /\[D999\]/);
  await context.close();
});

test("mode popup: auth in payWindow → returnUrl relay → paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kispg", { query: "?mode=popup" });
  const popup = await payInWindow(page);
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  await context.close();
});

test("user cancel (XXXX message naming 취소) rejects with USER_CANCEL", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kispg");
  const popup = await payInPopup(page);
  await popup.click("#cancel");
  const o = await outcome(page);
  assert.equal(o.code, "USER_CANCEL", o.text);
  await context.close();
});

test("a tampered amount is caught: by the PG (encData) and by the merchant (returned amt)", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/kispg/v2/auth", "goodsAmt", "10");
  const page = await checkoutPage(context, env.url, "kispg");
  const popup = await payInPopup(page);
  assert.equal(await popup.textContent("#error-code"), "encData:mismatch");
  await context.close();

  const ctx2 = await env.browser.newContext();
  await tamper(ctx2, "**/merchant/kispg/return", "amt", "10");
  const page2 = await checkoutPage(ctx2, env.url, "kispg");
  const popup2 = await payInPopup(page2);
  await popup2.click("#approve");
  const o = await outcome(page2);
  assert.equal(o.code, "PG_ERROR");
  // The tampered post no longer matches its encData, or its amount the order: either way no approval.
  assert.match(o.text, /SIGNATURE|AMOUNT_MISMATCH/);
  assert.notEqual((await orderState(env.url, "kispg", o.orderId)).status, "paid");
  await ctx2.close();
});

test("mode popup, popup blocked: the fallback layer is KISPG's own pay_frame with its message channel", async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    window.open = () => null;
  });
  const page = await checkoutPage(context, env.url, "kispg", { query: "?mode=popup" });
  const frame = await payInFrame(page, "pay_frame");
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  await context.close();
});
