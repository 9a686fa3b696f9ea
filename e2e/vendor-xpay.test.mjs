// LG U+ / Toss XPay on the production code path: the real test script URL
// https://js.tosspayments.com/xpay_crossplatform/sandbox/v1 routed to the sandbox's emulation
// (e2e/vendor-routes.mjs). The page globals the samples declare (`var LGD_window_type`,
// getFormObject, payment_return — setLGDResult on older return pages), the form located by
// id="LGD_PAYINFO", and a page whose own LGD_* ids would win the vendor's getElementById.
import { test } from "node:test";
import assert from "node:assert/strict";
import { outcome, orderState } from "./pg-flows.mjs";
import { useVendorSandbox, routeVendor, realCheckoutPage } from "./vendor-routes.mjs";

const env = useVendorSandbox();
const HOST = "js.tosspayments.com";

async function xpay() {
  const context = await env.browser.newContext();
  await routeVendor(context, env.url, "xpay", [HOST]);
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  return { context, requests };
}

async function xpayFrame(page) {
  await page.click("#pay");
  const el = await page.waitForSelector("iframe#LGD_PAYMENTWINDOW_IFRAME");
  const frame = await el.contentFrame();
  await frame.waitForSelector("[data-pg-window], [data-pg-error]");
  return frame;
}

test("approve: real script URL, LGD_window_type 'iframe', form#LGD_PAYINFO → payment_return → paid", async () => {
  const { context, requests } = await xpay();
  const page = await realCheckoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  assert.ok(requests.includes(`https://${HOST}/xpay_crossplatform/sandbox/v1`));
  assert.deepEqual(
    await page.evaluate(() => [window.LGD_window_type, document.getElementById("LGD_PAYINFO")?.tagName, window.getFormObject() === document.getElementById("LGD_PAYINFO")]),
    ["iframe", "FORM", true],
  );
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  assert.deepEqual(await page.evaluate(() => [typeof window.LGD_window_type, typeof window.setLGDResult]), ["undefined", "undefined"]);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal((await orderState(env.url, "xpay", next.orderId)).status, "paid");
  await context.close();
});

test("decline → PG_ERROR; buyer cancel (S053) → USER_CANCEL promptly", async () => {
  const { context } = await xpay();
  const page = await realCheckoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  await frame.click("#decline");
  const o = await outcome(page, 3_000);
  assert.equal(o.code, "PG_ERROR", o.text);

  const page2 = await realCheckoutPage(context, env.url, "xpay");
  const frame2 = await xpayFrame(page2);
  await frame2.click("#cancel");
  const o2 = await outcome(page2, 2_000);
  assert.equal(o2.code, "USER_CANCEL", o2.text);
  await context.close();
});

test("an older LGD_RETURNURL page calling parent.setLGDResult() settles too", async () => {
  const { context } = await xpay();
  // The merchant's return page as older samples wrote it (vendor-scripts.md §1.1).
  await context.route("**/merchant/xpay/return*", async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replaceAll("payment_return", "setLGDResult");
    await route.fulfill({ response, body });
  });
  const page = await realCheckoutPage(context, env.url, "xpay");
  const frame = await xpayFrame(page);
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  await context.close();
});

test("a page that already has an LGD_* id is refused with NAME_CONFLICT before anything opens", async () => {
  const { context } = await xpay();
  const page = await realCheckoutPage(context, env.url, "xpay");
  await page.evaluate(() => {
    const i = document.createElement("input");
    i.id = "LGD_AMOUNT";
    document.body.append(i);
  });
  await page.click("#pay");
  const o = await outcome(page, 5_000);
  assert.equal(o.code, "NAME_CONFLICT", o.text);
  assert.equal(await page.$("iframe#LGD_PAYMENTWINDOW_IFRAME"), null);
  await context.close();
});
