// "Paid" means money moved (issue "Payment truth", security review finding 1): forged and
// misrouted notices and returns reach the demo merchant, which verifies them with the library's
// contract (MessageKind, signature or notifier address, order, amount and TID binding) and
// leaves the order unpaid. The attacker here is this test process posting from 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { useSandbox } from "./harness.mjs";
import { checkoutPage, payInPopup, outcome, orderState, deposit } from "./pg-flows.mjs";

const env = useSandbox();

async function post(path, body) {
  const res = await fetch(`${env.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body).toString(),
  });
  return { status: res.status, text: await res.text() };
}

/** A KCP virtual account issued through the real flow: the order is pending, with its tno. */
async function kcpPending(context) {
  const page = await checkoutPage(context, env.url, "kcp", { method: "vbank" });
  await page.click("#pay");
  const host = await (await page.waitForSelector("iframe[data-hanpay=kcp-frame]")).contentFrame();
  const win = await (await host.waitForSelector("iframe#naxIfr")).contentFrame();
  await win.waitForSelector("[data-pg-window]");
  await win.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "pending", o.text);
  return orderState(env.url, "kcp", o.orderId);
}

test("KCP: a common_return deposit posted from outside KCP's notifier address is refused; the real one pays", async () => {
  const context = await env.browser.newContext();
  const order = await kcpPending(context);
  const forged = await post("/merchant/kcp/notify", {
    site_cd: "T0000", tno: order.tid, ordr_no: order.orderId, tx_cd: "TX00", op_cd: "50",
    ipgm_mnyx: String(order.amount), totl_mnyx: String(order.amount),
  });
  assert.equal(forged.status, 400, forged.text);
  assert.match(forged.text, /notifier/);
  let now = await orderState(env.url, "kcp", order.orderId);
  assert.deepEqual([now.status, now.depositsProcessed], ["pending", 0]);
  // The sandbox's KCP notifier posts from its own address: accepted, applied once.
  const d = await deposit(env.url, "kcp", order.orderId);
  assert.equal(d.delivered, true, JSON.stringify(d));
  now = await orderState(env.url, "kcp", order.orderId);
  assert.deepEqual([now.status, now.depositsProcessed], ["paid", 1]);
  await context.close();
});

test("Smartro: an unsigned RetryURL deposit for a pending order is a forgery; the order stays unpaid", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro", { method: "vbank" });
  const popup = await payInPopup(page);
  await popup.click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "pending", o.text);
  const order = await orderState(env.url, "smartro", o.orderId);
  const notice = {
    PayMethod: "VBANK", MID: "SMTPAY001m", TID: order.tid, Amt: String(order.amount),
    Moid: o.orderId, ResultCode: "4110", ResultMsg: "가상계좌입금성공", StateCd: "0",
  };
  for (const signValue of [undefined, "", "AAAA"]) {
    const body = signValue === undefined ? notice : { ...notice, SignValue: signValue };
    const r = await post("/merchant/smartro/notify", body);
    assert.equal(r.status, 400, `${signValue}: ${r.text}`);
    assert.match(r.text, /signature/);
  }
  const now = await orderState(env.url, "smartro", o.orderId);
  assert.deepEqual([now.status, now.depositsProcessed], ["pending", 0]);
  await context.close();
});

test("Smartro: order A's signed return re-posted for order B does not pay B (one TID pays one order)", async () => {
  const context = await env.browser.newContext();
  let captured = null;
  await context.route("**/merchant/smartro/return", (route) => {
    captured ??= route.request().postData();
    return route.continue();
  });
  const pageA = await checkoutPage(context, env.url, "smartro");
  const popupA = await payInPopup(pageA);
  await popupA.click("#approve");
  const a = await outcome(pageA);
  assert.equal(a.state, "paid", a.text);
  assert.ok(captured, "the signed return of order A");
  // Order B of the same amount, created but never paid.
  const res = await fetch(`${env.url}/api/smartro/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ amount: 1004, goodsName: "replay target", method: "card" }),
  });
  const b = (await res.json()).orderId;
  assert.ok(b && b !== a.orderId);
  const replay = new URLSearchParams(captured);
  replay.set("OID", b); // the return names the order OID (manual 001 §6.1)
  const r = await fetch(`${env.url}/merchant/smartro/return`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: replay.toString(),
  });
  assert.match(await r.text(), /already pays order/);
  assert.notEqual((await orderState(env.url, "smartro", b)).status, "paid");
  await context.close();
});

test("XPay: a CAS deposit notice with LGD_HASHDATA deleted is refused", async () => {
  const r = await post("/merchant/xpay/notify", {
    LGD_RESPCODE: "0000", LGD_MID: "tlgdacomxpay", LGD_OID: "ANY", LGD_AMOUNT: "1004",
    LGD_TIMESTAMP: "20240101120000", LGD_CASFLAG: "I", LGD_CASTAMOUNT: "1004", LGD_CASCAMOUNT: "1004",
  });
  assert.equal(r.status, 400, r.text);
  assert.match(r.text, /signature missing/);
  // And one signed with another key.
  const hash = createHash("md5").update("tlgdacomxpayANY10040000" + "20240101120000" + "attacker").digest("hex");
  const r2 = await post("/merchant/xpay/notify", {
    LGD_RESPCODE: "0000", LGD_MID: "tlgdacomxpay", LGD_OID: "ANY", LGD_AMOUNT: "1004",
    LGD_TIMESTAMP: "20240101120000", LGD_CASFLAG: "I", LGD_HASHDATA: hash,
  });
  assert.equal(r2.status, 400, r2.text);
  assert.match(r2.text, /signature mismatch/);
});
