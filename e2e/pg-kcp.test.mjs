// NHN KCP 표준웹 against the sandbox: payplus_web.jsp (document.write) loaded in the adapter's
// same-origin iframe with m_Completepayment declared first, KCP's own layer, GetField filling
// enc_data/enc_info/tran_cd, server approval with the merchant's ordr_mony; mobile: trade
// registration (approval_key, PayUrl) and the encodingFilter rule; common_return notices
// retried until the merchant's page carries result=0000.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, outcome, payByRedirect, orderState, tamper, expectDepositAppliedOnce } from "./pg-flows.mjs";

const env = useSandbox();

/** Clicks pay and returns KCP's window frame (inside the layer its script wrote). */
async function kcpWindow(page) {
  await page.click("#pay");
  const host = await (await page.waitForSelector("iframe[data-hanpay=kcp-frame]")).contentFrame();
  const win = await (await host.waitForSelector("iframe#naxIfr")).contentFrame();
  await win.waitForSelector("[data-pg-window], [data-pg-error]");
  return win;
}

test("desktop: KCP layer → approve → GetField → {next: approve, enc_data} → server approval → paid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kcp");
  const win = await kcpWindow(page);
  await win.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "approve");
  // The browser step only authenticates; the server's approval decides (issue #12).
  assert.deepEqual([next.status, next.success], ["authenticated", false]);
  assert.equal(next.tran_cd, "00100000");
  assert.match(next.enc_data, /^[0-9a-f]{64}$/);
  assert.match(next.enc_info, /^[0-9a-f]{40}$/);
  const result = JSON.parse(o.text);
  assert.equal(result.code, "0000");
  assert.match(result.tid, /^\d{14}$/);
  // The iframe (and m_Completepayment with it) is gone; the page got no KCP globals.
  assert.deepEqual(
    await page.evaluate(() => [!!document.querySelector("[data-hanpay=kcp-frame]"), typeof window.m_Completepayment, typeof window.KCP_Pay_Execute]),
    [false, "undefined", "undefined"],
  );
  assert.equal((await orderState(env.url, "kcp", next.orderId)).status, "paid");
  await context.close();
});

test("payplus_web.jsp appended as an ordinary async script defines nothing (why the iframe is needed)", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}/pg/kcp.html`);
  const defined = await page.evaluate(async () => {
    window.m_Completepayment = () => {};
    const s = document.createElement("script");
    s.src = "/pg/kcp/plugin/payplus_web.jsp";
    await new Promise((r) => { s.onload = r; document.body.appendChild(s); });
    return typeof window.KCP_Pay_Execute;
  });
  assert.equal(defined, "undefined");
  await context.close();
});

test("mobile: approval_key + encodingFilter.jsp → approve → Ret_URL page approves server-side", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const posted = [];
  context.on("request", (r) => r.method() === "POST" && posted.push(new URL(r.url()).pathname));
  const page = await checkoutPage(context, env.url, "kcp");
  const r = await payByRedirect(page);
  assert.ok(posted.includes("/pg/kcp/pay/jsp/encodingFilter/encodingFilter.jsp"), posted.join(" "));
  assert.equal(r.relayed, "false");
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  assert.equal(r.result.code, "0000");
  await context.close();
});

test("decline rejects with PG_ERROR and KCP's res_cd", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kcp");
  const win = await kcpWindow(page);
  await win.click("#decline");
  const o = await outcome(page);
  assert.equal(o.code, "PG_ERROR");
  assert.match(o.text, /\[D999\]/);
  await context.close();
});

test("user cancel (res_cd 3001) rejects with USER_CANCEL", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kcp");
  const win = await kcpWindow(page);
  await win.click("#cancel");
  const o = await outcome(page);
  assert.equal(o.code, "USER_CANCEL", o.text);
  await context.close();
});

test("a tampered amount is caught: approval refuses ordr_mony ≠ authenticated (8059); mobile refuses at PayUrl", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/kcp/kcpPaypop.do*", "good_mny", "10");
  const page = await checkoutPage(context, env.url, "kcp");
  const win = await kcpWindow(page);
  await win.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "error", o.text);
  assert.equal(o.code, "8059");
  assert.notEqual((await orderState(env.url, "kcp", o.orderId)).status, "paid");
  await context.close();

  const mobile = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  await tamper(mobile, "**/encodingFilter.jsp", "good_mny", "10");
  const page2 = await checkoutPage(mobile, env.url, "kcp");
  await page2.click("#pay");
  await page2.waitForSelector("[data-pg-error]");
  assert.equal(await page2.textContent("#error-code"), "good_mny:8059");
  await mobile.close();
});

test("site_cd in lower case is refused by KCP (3014)", async () => {
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/kcp/kcpPaypop.do*", "site_cd", "t0000");
  const page = await checkoutPage(context, env.url, "kcp");
  const win = await kcpWindow(page);
  assert.equal(await win.textContent("#error-code"), "site_cd:3014");
  await context.close();
});

test("virtual account: common_return notice retried until result=0000, applied once", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "kcp", { method: "vbank", notifyFailures: 2 });
  const win = await kcpWindow(page);
  await win.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "pending", o.text);
  await expectDepositAppliedOnce(env.url, "kcp", o.orderId);
  await context.close();
});
