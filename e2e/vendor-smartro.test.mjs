// Smartro WEBLink on the production code path: the real test host tpay.smilepay.co.kr routed to
// the sandbox (e2e/vendor-routes.mjs). FORWARD=Y: popup `payWindow` (manual 001 §3.1).
// FORWARD=N, as the official mainPayConfirm.php: a hidden 0×0 `payFrame` inside which the
// module opens its own window; the return page in that window relays to the page that called
// pay() (the frame's parent), and hanpay's small dialog keeps the buyer's way out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { payInPopup, outcome, orderState } from "./pg-flows.mjs";
import { useVendorSandbox, routeVendor, realCheckoutPage } from "./vendor-routes.mjs";

const env = useVendorSandbox();
const HOST = "tpay.smilepay.co.kr";

async function smartro() {
  const context = await env.browser.newContext();
  await routeVendor(context, env.url, "smartro", [HOST]);
  return context;
}

/**
 * A FORWARD=N checkout started from the page with the signed form in hand: the window choice is
 * made from the form's target, so a FORWARD=N merchant passes the form itself, not a promise
 * (docs/findings.md, Vendor scripts). The merchant signs FORWARD=N (EncryptData covers ediDate,
 * MID and Amt only, notes §2.1). Returns the module's window.
 */
async function forwardN(context) {
  const page = await context.newPage();
  await page.goto(`${env.url}/index.html`);
  const [module] = await Promise.all([
    context.waitForEvent("page"),
    page.evaluate(async () => {
      const hanpay = await import("/pkg/index.js");
      await hanpay.default();
      const res = await fetch("/api/smartro/checkout", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ amount: 1004, goodsName: "테스트 상품", method: "card", mobile: false, notifyFailures: 0 }),
      });
      const form = await res.json();
      form.fields = form.fields.map(([k, v]) => [k, k === "FORWARD" ? "N" : v]);
      form.target = "payFrame";
      window.settled = hanpay.pay("smartro", form, {}).then(
        (next) => ({ ok: true, next }),
        (e) => ({ ok: false, code: e.code, pgCode: e.pgCode }),
      );
    }),
  ]);
  await module.waitForSelector("[data-pg-window]");
  return { page, module };
}

test("FORWARD=Y approve: interfaceURL.jsp in payWindow → signed return → paid", async () => {
  const context = await smartro();
  const page = await realCheckoutPage(context, env.url, "smartro");
  const popup = await payInPopup(page);
  assert.equal(popup.url(), `https://${HOST}/interfaceURL.jsp`);
  assert.equal(await popup.evaluate(() => window.name), "payWindow");
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  await context.close();
});

test("FORWARD=Y decline → PG_ERROR; cancel (window closes) → USER_CANCEL within the close grace", async () => {
  const context = await smartro();
  const page = await realCheckoutPage(context, env.url, "smartro");
  const popup = await payInPopup(page);
  await popup.click("#decline");
  const o = await outcome(page);
  assert.equal(o.code, "PG_ERROR", o.text);
  assert.match(o.text, /\[3095\]/);

  const page2 = await realCheckoutPage(context, env.url, "smartro");
  const popup2 = await payInPopup(page2);
  await popup2.click("#cancel");
  const o2 = await outcome(page2, 4_000);
  assert.equal(o2.code, "USER_CANCEL", o2.text);
  await context.close();
});

test("FORWARD=N: hidden 0×0 payFrame, the module's own window → approve → relayed to the page → paid", async () => {
  const context = await smartro();
  const { page, module } = await forwardN(context);
  const size = await page.$eval('iframe[name="payFrame"]', (f) => [f.offsetWidth, f.offsetHeight]);
  assert.deepEqual(size, [0, 0]);
  const frame = await (await page.$('iframe[name="payFrame"]')).contentFrame();
  assert.equal(frame.url(), `https://${HOST}/interfaceURL.jsp`);
  assert.equal(await module.evaluate(() => window.opener !== null && window.opener !== window.opener.top), true);
  await module.click("#approve");
  const r = await page.evaluate(() => Promise.race([window.settled, new Promise((ok) => setTimeout(() => ok({ timeout: true }), 10_000))]));
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.next.next, "done");
  assert.equal((await orderState(env.url, "smartro", r.next.orderId)).status, "paid");
  assert.equal(await page.$('iframe[name="payFrame"]'), null);
  await context.close();
});

test("FORWARD=N decline → status failed [3095]; the buyer's close button → USER_CANCEL at once", async () => {
  const context = await smartro();
  const { page, module } = await forwardN(context);
  await module.click("#decline");
  const r = await page.evaluate(() => Promise.race([window.settled, new Promise((ok) => setTimeout(() => ok({ timeout: true }), 10_000))]));
  // The server's verdict on the signed decline (issue #12): it resolves with status "failed".
  assert.deepEqual([r.ok, r.next?.status, r.next?.code], [true, "failed", "3095"], JSON.stringify(r));

  const second = await forwardN(context);
  const t0 = Date.now();
  await second.page.click('[data-hanpay="close"]');
  const r2 = await second.page.evaluate(() => Promise.race([window.settled, new Promise((ok) => setTimeout(() => ok({ timeout: true }), 3_000))]));
  assert.deepEqual([r2.ok, r2.code], [false, "USER_CANCEL"]);
  assert.ok(Date.now() - t0 < 1_000);
  await context.close();
});
