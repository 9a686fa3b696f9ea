// KSNET KSPay WebHost against the sandbox: the PC module KSPayWebV1.4/KSPayPWeb.jsp in the
// iframe `payment-frame` on desktop (KSNET's PC script's default; `mode: "popup"` gets its
// popup `_KSPAY_WIN`, e2e/vendor-kspay.test.mjs) whose relay page calls the parent's
// eparamSet/goResult, or mcancel for the buyer's cancel; a full-page POST on mobile with sndReply as the
// result page; the merchant server fetches the outcome from recv_post.jsp (KSNET signs
// nothing the merchant can verify, so declines and amounts are only known after the fetch).
// KSNET documents no virtual-account deposit notification (notes/pg-protocols.md §4 names
// none), so this suite has no notification test; the sandbox offers virtual accounts for
// KSPay nowhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, outcome, payByRedirect, orderState, tamper } from "./pg-flows.mjs";
import { payInFrame } from "./vendor-routes.mjs";

const payInPopup = (page) => payInFrame(page, "payment-frame");

const env = useSandbox();

test("desktop: payment-frame → approve → relay eparamSet/goResult → recv_post fetch → paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kspay");
  const popup = await payInPopup(page);
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "fetch_result");
  // The browser step only authenticates; the fetch below decides (issue #12).
  assert.deepEqual([next.status, next.success], ["authenticated", false]);
  assert.match(next.reCommConId, /^KSP\d{18}$/);
  const result = JSON.parse(o.text);
  assert.equal(result.code, "O");
  assert.equal(result.amount, 1004);
  assert.deepEqual(await page.evaluate(() => [typeof window.eparamSet, typeof window.goResult]), ["undefined", "undefined"]);
  assert.equal((await orderState(env.url, "kspay", next.orderId)).status, "paid");
  await context.close();
});

test("mobile: full-page KSPayPWeb.jsp → approve → sndReply page fetches the result", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "kspay");
  const r = await payByRedirect(page);
  assert.equal(new URL(page.url()).pathname, "/merchant/kspay/return");
  assert.equal(r.relayed, "false");
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  assert.equal(r.result.code, "O");
  await context.close();
});

test("decline: the browser step only carries ids; the server fetch reports the refusal", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kspay");
  const popup = await payInPopup(page);
  await popup.click("#decline");
  const o = await outcome(page);
  assert.equal(o.state, "error", o.text);
  assert.equal(o.code, "X999");
  assert.equal((await orderState(env.url, "kspay", o.orderId)).status, "failed");
  await context.close();
});

test("user cancel (reCnclType=1, the relay calls parent.mcancel) rejects with USER_CANCEL at once", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kspay");
  const popup = await payInPopup(page);
  await popup.click("#cancel");
  const o = await outcome(page, 5_000);
  assert.equal(o.code, "USER_CANCEL", o.text);
  assert.equal(await page.$('iframe[name="payment-frame"]'), null, "the layer is gone");
  assert.equal(await page.evaluate(() => typeof window.mcancel), "undefined");
  await context.close();
});

test("a tampered amount is caught by the merchant: the fetched amt differs from the order", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/KSPayPWeb.jsp", "sndAmount", "10");
  const page = await checkoutPage(context, env.url, "kspay");
  const popup = await payInPopup(page);
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.code, "AMOUNT_MISMATCH", o.text);
  assert.notEqual((await orderState(env.url, "kspay", o.orderId)).status, "paid");
  await context.close();
});

test("KSNET's page refuses a goods name over 30 EUC-KR bytes", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/KSPayPWeb.jsp", "sndGoodname", "가나다라마바사아자차카타파하가나");
  const page = await checkoutPage(context, env.url, "kspay");
  const popup = await payInPopup(page);
  assert.equal(await popup.textContent("#error-code"), "sndGoodname:max_bytes");
  await context.close();
});
