// SMARTRO PAY against the sandbox's emulation (sandbox/src/emulator/smartropay.rs): the module script
// at its real path, smartropay.payment with a Callback on desktop (the layer over the page),
// the page transition on phones, the server's urlCallApproval.do and cancel.do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, outcome, payByRedirect, orderState, tamper } from "./pg-flows.mjs";

const env = useSandbox();

/** Clicks pay and returns the module's layer frame once it shows the window (or error page). */
async function payInLayer(page) {
  await page.click("#pay");
  const el = await page.waitForSelector("#smartropay-layer iframe[name=smartropay_frame]");
  const frame = await el.contentFrame();
  await frame.waitForSelector("[data-pg-window], [data-pg-error]");
  return frame;
}

test("desktop: module layer → approve → server approval verified (SignValue), order paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartropay");
  const frame = await payInLayer(page);
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "approve");
  assert.equal(next.status, "authenticated");
  assert.match(next.Tid, /^t_hanpay1m0101\d{16}$/);
  assert.ok(next.TrAuthKey);
  assert.equal(await page.$("#smartropay-layer"), null, "the layer is gone");
  assert.equal(await page.$("#hanpay-smartropay"), null, "the module's form is gone");
  const order = await orderState(env.url, "smartropay", next.orderId);
  assert.equal(order.status, "paid");
  assert.equal(order.tid, next.Tid);

  // The merchant cancels the paid order through cancel.do (EncData + HashData checked), on the
  // demo merchant's generic lifecycle route.
  await page.click("#refund");
  await page.waitForFunction(() => document.getElementById("refund-result").dataset.state);
  const refund = JSON.parse(await page.textContent("#refund-result"));
  assert.equal(refund.call, "cancel", JSON.stringify(refund));
  assert.equal(refund.status, "cancelled", JSON.stringify(refund));
  assert.equal(refund.applied, true);
  assert.equal(refund.result.code, "2001");
  assert.equal((await orderState(env.url, "smartropay", next.orderId)).status, "cancelled");
  await context.close();
});

test("decline at the approval: failed with the PG's code, not paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartropay");
  const frame = await payInLayer(page);
  await frame.click("#decline");
  const o = await outcome(page);
  assert.equal(o.state, "error", o.text);
  assert.equal(o.code, "3095", o.text);
  assert.equal((await orderState(env.url, "smartropay", o.orderId)).status, "failed");
  await context.close();
});

test("buyer cancel in the layer rejects promptly with USER_CANCEL", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartropay");
  const frame = await payInLayer(page);
  const t0 = Date.now();
  await frame.click("#cancel");
  const o = await outcome(page, 5_000);
  assert.equal(o.code, "USER_CANCEL", o.text);
  assert.ok(Date.now() - t0 < 5_000);
  assert.equal(await page.$("#smartropay-layer"), null);
  assert.notEqual((await orderState(env.url, "smartropay", o.orderId)).status, "paid");
  await context.close();
});

test("a tampered amount is refused by the module (EncryptData)", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/smartropay/sandbox/payment", "Amt", "10");
  const page = await checkoutPage(context, env.url, "smartropay");
  const frame = await payInLayer(page);
  assert.equal(await frame.textContent("#error-code"), "EncryptData:mismatch");
  await context.close();
});

test("mobile: page transition → ReturnUrl post → return page approves, order paid", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "smartropay");
  const r = await payByRedirect(page);
  assert.equal(new URL(page.url()).pathname, "/merchant/smartropay/return");
  assert.equal(r.relayed, "false");
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  assert.equal(r.result.amount, 1004);
  await context.close();
});

test("mobile: the buyer's stop goes to StopUrl", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "smartropay");
  await Promise.all([page.waitForSelector("[data-pg-window]"), page.click("#pay")]);
  await Promise.all([page.waitForURL("**/stop"), page.click("#cancel")]);
  assert.match(await page.textContent("#result-view"), /"cancelled": true/);
  await context.close();
});
