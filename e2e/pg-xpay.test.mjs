// LG U+ XPay cross-platform against the sandbox: xpay_crossplatform.js draws XPay's iframe
// (openXpay) on desktop and submits the page on mobile (open_paymentwindow 'submit'); the
// LGD_RETURNURL page calls parent.payment_return(); the merchant server runs PaymentByKey;
// virtual accounts are paid by the CAS notice, retried until the merchant answers "OK".
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox, packagePage } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, outcome, payByRedirect, orderState, tamper, expectDepositAppliedOnce } from "./pg-flows.mjs";

const env = useSandbox();

/** Clicks pay and returns XPay's iframe once it shows its window (or error page). */
async function xpayFrame(page) {
  await page.click("#pay");
  const el = await page.waitForSelector("iframe#LGD_PAYMENTWINDOW_IFRAME");
  const frame = await el.contentFrame();
  await frame.waitForSelector("[data-pg-window], [data-pg-error]");
  return frame;
}

test("desktop: openXpay iframe → approve → payment_return → PaymentByKey → paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "payment_by_key");
  // The browser step only authenticates; PaymentByKey decides (issue #12).
  assert.deepEqual([next.status, next.success], ["authenticated", false]);
  assert.match(next.LGD_PAYKEY, /^tlgdacomxpay\d{18}$/);
  const result = JSON.parse(o.text);
  assert.equal(result.code, "0000");
  assert.equal(result.amount, 1004);
  // The adapter removed what it wired: the layer and both globals.
  assert.deepEqual(
    await page.evaluate(() => [typeof window.getFormObject, typeof window.payment_return, !!document.getElementById("LGD_PAYMENTWINDOW")]),
    ["undefined", "undefined", false],
  );
  assert.equal((await orderState(env.url, "xpay", next.orderId)).status, "paid");
  await context.close();
});

test("mobile: open_paymentwindow 'submit' → approve → return page runs PaymentByKey", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "xpay");
  const r = await payByRedirect(page);
  assert.equal(new URL(page.url()).pathname, "/merchant/xpay/return");
  assert.equal(r.relayed, "false");
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  assert.equal(r.result.code, "0000");
  await context.close();
});

test("decline rejects with PG_ERROR and XPay's code", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  await frame.click("#decline");
  const o = await outcome(page);
  assert.equal(o.code, "PG_ERROR");
  assert.match(o.text, /\[D999\]/);
  assert.equal((await orderState(env.url, "xpay", o.orderId)).status, "failed");
  await context.close();
});

test("user cancel (S053) rejects with USER_CANCEL", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  await frame.click("#cancel");
  const o = await outcome(page);
  assert.equal(o.code, "USER_CANCEL", o.text);
  assert.equal((await orderState(env.url, "xpay", o.orderId)).status, "cancelled");
  await context.close();
});

test("a tampered amount is refused by XPay (LGD_HASHDATA)", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/xpay/window", "LGD_AMOUNT", "10");
  const page = await checkoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  assert.equal(await frame.textContent("#error-code"), "LGD_HASHDATA:mismatch");
  await context.close();
});

test("a script that cannot load rejects with SCRIPT_LOAD_FAILED", async () => {
  const context = await env.browser.newContext();
  await context.route("**/pg/xpay/xpay_crossplatform/**", (route) => route.abort());
  const page = await checkoutPage(context, env.url, "xpay");
  await page.click("#pay");
  const o = await outcome(page);
  assert.equal(o.code, "SCRIPT_LOAD_FAILED", o.text);
  await context.close();
});

test("a malformed form is refused with INVALID_PARAMETERS naming fields, before any script loads", async () => {
  const { context, page } = await packagePage(env);
  const report = await page.evaluate(async () => {
    const form = { action: "/x", fields: [["CST_PLATFORM", "test"], ["LGD_OID", 42]] };
    try {
      await window.hanpay.pay("xpay", form, { sandbox: location.origin, mode: "iframe" });
      return "resolved";
    } catch (e) {
      return { code: e.code, field: e.field, scripts: document.querySelectorAll("script[data-hanpay]").length };
    }
  });
  assert.deepEqual(report, { code: "INVALID_PARAMETERS", field: "fields", scripts: 0 });
  await context.close();
});

test("virtual account: PaymentByKey issues it, the CAS notice is retried until OK and applied once", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "xpay", { method: "vbank", notifyFailures: 2 });
  const frame = await xpayFrame(page);
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "pending", o.text);
  await expectDepositAppliedOnce(env.url, "xpay", o.orderId);
  await context.close();
});
