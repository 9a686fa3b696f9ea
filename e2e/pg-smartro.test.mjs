// Smartro (SmilePay WEBLink) against the sandbox: popup `payWindow` on desktop, the
// smartphone page with StopURL on mobile, SignValue-signed returns, RetryURL deposit notices.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, payInPopup, outcome, payByRedirect, deposit, orderState, tamper, expectDepositAppliedOnce } from "./pg-flows.mjs";

const env = useSandbox();

test("desktop: popup payWindow → approve → signed return verified, order paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro");
  const popup = await payInPopup(page);
  assert.equal(await popup.evaluate(() => window.name), "payWindow");
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "done");
  assert.match(next.tid, /^SMTPAY001m0101\d{16}$/);
  const order = await orderState(env.url, "smartro", next.orderId);
  assert.equal(order.status, "paid");
  assert.equal(order.tid, next.tid);
  await context.close();
});

test("mobile: same-window smartphone page → approve → return page finishes the payment", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "smartro");
  const r = await payByRedirect(page);
  assert.equal(new URL(page.url()).pathname, "/merchant/smartro/return");
  assert.equal(r.relayed, "false");
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  assert.equal(r.result.amount, 1004);
  await context.close();
});

test("decline in the PG window rejects with PG_ERROR carrying the PG's code", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro");
  const popup = await payInPopup(page);
  await popup.click("#decline");
  const o = await outcome(page);
  assert.equal(o.code, "PG_ERROR");
  assert.match(o.text, /\[3095\]/);
  assert.equal((await orderState(env.url, "smartro", o.orderId)).status, "failed");
  await context.close();
});

test("user cancel (the popup closes) rejects with USER_CANCEL", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro");
  const popup = await payInPopup(page);
  await popup.click("#cancel");
  const o = await outcome(page);
  assert.equal(o.code, "USER_CANCEL", o.text);
  await context.close();
});

test("a tampered amount is caught: by the PG (EncryptData) and by the merchant (return Amt)", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/smartro/interfaceURL.jsp", "Amt", "10");
  const page = await checkoutPage(context, env.url, "smartro");
  const popup = await payInPopup(page);
  assert.equal(await popup.textContent("#error-code"), "EncryptData:mismatch");
  await context.close();

  const ctx2 = await env.browser.newContext();
  await tamper(ctx2, "**/merchant/smartro/return", "Amt", "10");
  const page2 = await checkoutPage(ctx2, env.url, "smartro");
  const popup2 = await payInPopup(page2);
  await popup2.click("#approve");
  const o = await outcome(page2);
  assert.equal(o.code, "PG_ERROR");
  assert.match(o.text, /AMOUNT_MISMATCH/);
  assert.notEqual((await orderState(env.url, "smartro", o.orderId)).status, "paid");
  await ctx2.close();
});

test("virtual account: deposit notice retried until OK, applied exactly once", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro", { method: "vbank", notifyFailures: 2 });
  const popup = await payInPopup(page);
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "pending", o.text);
  await expectDepositAppliedOnce(env.url, "smartro", o.orderId);
  await context.close();
});
