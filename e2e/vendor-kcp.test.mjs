// NHN KCP on the production code path: the real test script https://testpay.kcp.co.kr/plugin/
// payplus_web.jsp routed to the sandbox's emulation (e2e/vendor-routes.mjs), which defines
// KCP_Pay_Execute_Web as web_cross_hub.js does (KCP_Form_Hidden → kcpPaypop.do in naxIfr).
// Every cancel shape a live-tested integration sees (3001, 7777, '' with 취소) is USER_CANCEL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { outcome, orderState } from "./pg-flows.mjs";
import { useVendorSandbox, routeVendor, realCheckoutPage } from "./vendor-routes.mjs";

const env = useVendorSandbox();
const HOST = "testpay.kcp.co.kr";

async function kcp() {
  const context = await env.browser.newContext();
  await routeVendor(context, env.url, "kcp", [HOST]);
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  return { context, requests };
}

async function kcpWindow(page) {
  await page.click("#pay");
  const host = await (await page.waitForSelector("iframe[data-hanpay=kcp-frame]")).contentFrame();
  const win = await (await host.waitForSelector('iframe[name="naxIfr"]')).contentFrame();
  await win.waitForSelector("[data-pg-window], [data-pg-error]");
  return { host, win };
}

test("approve: the real script URL, KCP_Pay_Execute_Web → kcpPaypop.do in naxIfr → paid", async () => {
  const { context, requests } = await kcp();
  const page = await realCheckoutPage(context, env.url, "kcp");
  const { host, win } = await kcpWindow(page);
  assert.ok(requests.includes(`https://${HOST}/plugin/payplus_web.jsp`), requests.join("\n"));
  assert.match(win.url(), new RegExp(`^https://${HOST.replace(/\./g, "\\.")}/kcpPaypop\\.do\\?encType=`));
  assert.equal(await host.evaluate(() => typeof window.KCP_Pay_Execute_Web), "function");
  await win.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal((await orderState(env.url, "kcp", next.orderId)).status, "paid");
  await context.close();
});

test("decline → PG_ERROR with KCP's res_cd", async () => {
  const { context } = await kcp();
  const page = await realCheckoutPage(context, env.url, "kcp");
  const { win } = await kcpWindow(page);
  await win.click("#decline");
  const o = await outcome(page, 3_000);
  assert.equal(o.code, "PG_ERROR", o.text);
  assert.match(o.text, /\[D999\]/);
  await context.close();
});

for (const [button, shape] of [["cancel", "3001"], ["cancel_7777", "7777"], ["cancel_empty", "'' + 취소"]]) {
  test(`buyer cancel (${shape}) → USER_CANCEL promptly`, async () => {
    const { context } = await kcp();
    const page = await realCheckoutPage(context, env.url, "kcp");
    const { win } = await kcpWindow(page);
    await win.click(`#${button}`);
    const o = await outcome(page, 2_000);
    assert.equal(o.code, "USER_CANCEL", o.text);
    await context.close();
  });
}
