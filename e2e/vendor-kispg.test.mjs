// KISPG on the production code path: the real test host (testapi.kispg.co.kr) routed to the
// sandbox's emulation (e2e/vendor-routes.mjs). PC, as the official paySample.jsp: /v2/auth in
// the iframe `pay_frame`, the result as the message {resultCode: '0000' | 'XXXX', data} from
// KISPG's origin, `data` posted to returnUrl by hanpay (the sample's receive_result).
import { test } from "node:test";
import assert from "node:assert/strict";
import { outcome, orderState } from "./pg-flows.mjs";
import { useVendorSandbox, routeVendor, realCheckoutPage, payInFrame } from "./vendor-routes.mjs";

const env = useVendorSandbox();
const HOST = "testapi.kispg.co.kr";

async function kispg() {
  const context = await env.browser.newContext();
  await routeVendor(context, env.url, "kispg", [HOST]);
  const posts = [];
  context.on("request", (r) => {
    if (r.method() === "POST") posts.push({ url: r.url(), frame: r.frame().name(), body: new URLSearchParams(r.postData() ?? "") });
  });
  return { context, posts };
}

test("approve: pay_frame → message 0000 from KISPG → data posted to returnUrl in pay_frame → paid", async () => {
  const { context, posts } = await kispg();
  const page = await realCheckoutPage(context, env.url, "kispg");
  const frame = await payInFrame(page, "pay_frame");
  assert.equal(frame.url(), `https://${HOST}/v2/auth`);
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const ret = posts.find((p) => p.url.endsWith("/merchant/kispg/return"));
  assert.equal(ret.frame, "pay_frame");
  assert.equal(ret.body.get("resultCd"), "0000");
  assert.ok(ret.body.get("encData"));
  const next = JSON.parse(await page.textContent("#next"));
  assert.equal(next.next, "approve");
  assert.equal((await orderState(env.url, "kispg", next.orderId)).status, "paid");
  await context.close();
});

test("decline: XXXX → PG_ERROR with KISPG's resultCd, nothing posted to returnUrl", async () => {
  const { context, posts } = await kispg();
  const page = await realCheckoutPage(context, env.url, "kispg");
  const frame = await payInFrame(page, "pay_frame");
  await frame.click("#decline");
  const o = await outcome(page, 3_000);
  assert.equal(o.code, "PG_ERROR", o.text);
  assert.match(o.text, /\[D999\]/);
  assert.ok(!posts.some((p) => p.url.endsWith("/merchant/kispg/return")));
  await context.close();
});

test("buyer cancel: XXXX naming 취소 → USER_CANCEL promptly, layer gone", async () => {
  const { context } = await kispg();
  const page = await realCheckoutPage(context, env.url, "kispg");
  const frame = await payInFrame(page, "pay_frame");
  const t0 = Date.now();
  await frame.click("#cancel");
  const o = await outcome(page, 3_000);
  assert.equal(o.code, "USER_CANCEL", o.text);
  assert.ok(Date.now() - t0 < 3_000);
  assert.equal(await page.$('iframe[name="pay_frame"]'), null);
  await context.close();
});

test("a KISPG-shaped message from another origin or window is ignored", async () => {
  const { context } = await kispg();
  const page = await realCheckoutPage(context, env.url, "kispg");
  const frame = await payInFrame(page, "pay_frame");
  // From the merchant page itself (not KISPG's origin, not hanpay's frame).
  await page.evaluate(() => window.postMessage({ resultCode: "XXXX", data: { resultCd: "F", resultMsg: "취소" } }, "*"));
  // From a same-origin frame of the page that is not hanpay's.
  await page.evaluate(() => {
    const f = document.createElement("iframe");
    document.body.append(f);
    f.contentWindow.parent.postMessage({ resultCode: "0000", data: { resultCd: "0000", tid: "forged" } }, "*");
  });
  await page.waitForTimeout(300);
  assert.equal(await page.$eval("#outcome", (el) => el.dataset.state), "working");
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  await context.close();
});
