// KSNET on the production code path: the real KSNET URLs, routed to the sandbox's emulation by
// the browser's network layer (e2e/vendor-routes.mjs). PC: KSPayWebV1.4/KSPayPWeb.jsp in the
// iframe `payment-frame` 822×630, or the popup `_KSPAY_WIN` (KSNET's PC script, kspay_web.js);
// the official relay page calls parent|opener.eparamSet/goResult, or mcancel() for a cancel
// (kspay_wh_rcv.asp); phones: KSPayMobileV1.4. The result fetch goes to KSPayWebV1.4.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IPHONE_UA, outcome, payByRedirect, orderState } from "./pg-flows.mjs";
import { useVendorSandbox, routeVendor, realCheckoutPage, payInFrame } from "./vendor-routes.mjs";

const env = useVendorSandbox();
const HOST = "kspay.ksnet.to";

/** A context whose KSNET traffic goes to the sandbox; `posts` collects the browser's POSTs. */
async function ksnet(contextOptions = {}) {
  const context = await env.browser.newContext(contextOptions);
  await routeVendor(context, env.url, "kspay", [HOST]);
  const posts = [];
  context.on("request", (r) => {
    if (r.method() === "POST") posts.push({ url: r.url(), body: new URLSearchParams(r.postData() ?? "") });
  });
  return { context, posts };
}

test("PC approve: KSPayWebV1.4 in payment-frame 822×630 → relay eparamSet/goResult (WH) → paid", async () => {
  const { context, posts } = await ksnet();
  const page = await realCheckoutPage(context, env.url, "kspay");
  const frame = await payInFrame(page, "payment-frame");
  assert.equal(new URL(frame.url()).href, `https://${HOST}/store/KSPayWebV1.4/KSPayPWeb.jsp`);
  const box = await page.$eval('iframe[name="payment-frame"]', (f) => [f.clientWidth, f.clientHeight]);
  assert.deepEqual(box, [822, 630]);
  await frame.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  const relay = posts.find((p) => p.url.endsWith("/merchant/kspay/relay"));
  assert.equal(relay.body.get("reCommType"), "WH");
  assert.equal(relay.body.get("reEncData"), "");
  const next = JSON.parse(await page.textContent("#next"));
  assert.deepEqual([next.next, next.reCommType], ["fetch_result", "WH"]);
  assert.deepEqual(
    await page.evaluate(() => [typeof window.eparamSet, typeof window.goResult, typeof window.mcancel]),
    ["undefined", "undefined", "undefined"],
  );
  assert.equal((await orderState(env.url, "kspay", next.orderId)).status, "paid");
  await context.close();
});

test("PC decline: the fetch under KSPayWebV1.4 reports the refusal", async () => {
  const { context } = await ksnet();
  const page = await realCheckoutPage(context, env.url, "kspay");
  const frame = await payInFrame(page, "payment-frame");
  await frame.click("#decline");
  const o = await outcome(page);
  assert.equal(o.code, "X999", o.text);
  assert.equal((await orderState(env.url, "kspay", o.orderId)).status, "failed");
  await context.close();
});

test("PC cancel in the frame: parent.mcancel() settles USER_CANCEL promptly", async () => {
  const { context, posts } = await ksnet();
  const page = await realCheckoutPage(context, env.url, "kspay");
  const frame = await payInFrame(page, "payment-frame");
  const t0 = Date.now();
  await frame.click("#cancel");
  const o = await outcome(page, 3_000);
  assert.equal(o.code, "USER_CANCEL", o.text);
  assert.ok(Date.now() - t0 < 3_000);
  const relay = posts.find((p) => p.url.endsWith("/merchant/kspay/relay"));
  assert.deepEqual([relay.body.get("reCommConId"), relay.body.get("reCnclType")], ["", "1"]);
  await context.close();
});

test("PC popup _KSPAY_WIN: cancel calls opener.mcancel() → USER_CANCEL before the window closes", async () => {
  const { context } = await ksnet();
  const page = await context.newPage();
  await page.goto(`${env.url}/pg/kspay.html?real&mode=popup`);
  await page.waitForSelector("#pay:not([disabled])");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("[data-pg-window]");
  assert.equal(await popup.evaluate(() => window.name), "_KSPAY_WIN");
  assert.equal(new URL(popup.url()).pathname, "/store/KSPayWebV1.4/KSPayPWeb.jsp");
  await popup.click("#cancel");
  const o = await outcome(page, 1_800);
  assert.equal(o.code, "USER_CANCEL", o.text);
  await context.close();
});

test("phone: KSPayMobileV1.4 full page → sndReply page fetches → paid", async () => {
  const { context, posts } = await ksnet({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await realCheckoutPage(context, env.url, "kspay");
  const r = await payByRedirect(page);
  assert.ok(posts.some((p) => p.url === `https://${HOST}/store/KSPayMobileV1.4/KSPayPWeb.jsp`));
  assert.ok(!posts.some((p) => p.url.includes("KSPayWebV1.4")));
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  await context.close();
});
