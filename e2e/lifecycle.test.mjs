// The merchant server's half of a payment, end to end against the sandbox (issue 13 §6): for
// each PG with cancels, pay on a phone (same-window flow; the server approves), then the demo
// merchant's lifecycle routes — each a library call (lifecycle → request → read_response) sent
// to the emulated PG, whose ledger checks hash, amount bounds and state, and applied once in the
// merchant's SQLite store: partial cancel → refusals (over-cancel by the library and by the PG,
// tampered signature) → cancel the rest → double cancel refused → look up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, payByRedirect, orderState, deposit } from "./pg-flows.mjs";

const env = useSandbox();

async function change(pg, orderId, op, body = {}) {
  const res = await fetch(`${env.url}/api/${pg}/orders/${orderId}/${op}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { http: res.status, ...(await res.json()) };
}

async function payOnPhone(pg) {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, pg);
  const r = await payByRedirect(page);
  await context.close();
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  const orderId = r.result.orderId;
  assert.ok(orderId, JSON.stringify(r.result));
  const order = await orderState(env.url, pg, orderId);
  assert.equal(order.status, "paid");
  assert.ok(order.tid, "the approval stored the PG's transaction id");
  return order;
}

/** A refusal: the library's validation (`invalid`) or the PG's answer (`failed`), never applied. */
function refused(r, what) {
  assert.ok(["invalid", "failed"].includes(r.status), `${what}: ${JSON.stringify(r)}`);
  assert.notEqual(r.applied, true, what);
}

for (const pg of ["xpay", "smartro", "kcp", "kispg"]) {
  test(`${pg}: pay → partial cancel → refusals → cancel the rest → double cancel refused → look up`, async () => {
    const order = await payOnPhone(pg);
    const id = order.orderId;
    assert.equal(order.amount, 1004);

    const part = await change(pg, id, "partial-cancel", { amount: 300, reason: "부분 반품" });
    assert.equal(part.status, "partially_cancelled", JSON.stringify(part));
    assert.equal(part.applied, true);
    assert.deepEqual([part.order.cancelled, part.order.remaining, part.order.status], [300, 704, "partially_cancelled"]);

    // Above what remains: the library refuses what it can see, the PG what it holds.
    refused(await change(pg, id, "partial-cancel", { amount: 5000 }), "over-cancel");
    const stale = await change(pg, id, "partial-cancel", { amount: 800, stale: true });
    assert.equal(stale.status, "failed", `the PG's amount check: ${JSON.stringify(stale)}`);
    // A signature altered after signing: the PG refuses.
    const forged = await change(pg, id, "partial-cancel", { amount: 100, tamper: "hash" });
    assert.equal(forged.status, "failed", `tampered hash: ${JSON.stringify(forged)}`);
    assert.equal((await orderState(env.url, pg, id)).remaining, 704, "refusals moved nothing");

    const rest = await change(pg, id, "cancel", { reason: "고객요청" });
    assert.equal(rest.status, "cancelled", JSON.stringify(rest));
    assert.deepEqual([rest.order.cancelled, rest.order.remaining, rest.order.status], [1004, 0, "cancelled"]);

    // Double cancel: with the merchant's record nothing remains; with a stale one the PG says
    // it is already cancelled.
    refused(await change(pg, id, "cancel"), "double cancel");
    const again = await change(pg, id, "cancel", { stale: true });
    assert.equal(again.status, "failed", `the PG's state check: ${JSON.stringify(again)}`);

    const final = await orderState(env.url, pg, id);
    assert.deepEqual([final.status, final.cancelled, final.cancels], ["cancelled", 1004, 2]);
    const cancels = final.applied.filter((a) => a.kind === "cancel").map((a) => a.seq);
    assert.deepEqual(cancels, [1, 2], "each cancel applied once, in sequence");

    if (pg === "kispg") {
      // KISPG's own record: /v2/order (manual 004 §3.4).
      const look = await change(pg, id, "lookup");
      assert.equal(look.status, "cancelled", JSON.stringify(look));
      assert.equal(look.result.tid, order.tid);
    } else {
      const look = await change(pg, id, "lookup");
      assert.equal(look.status, "invalid", `${pg} has no lookup call: ${JSON.stringify(look)}`);
    }
  });
}

test("kispg: a lookup after a partial cancel reports what remains", async () => {
  const order = await payOnPhone("kispg");
  const paid = await change("kispg", order.orderId, "lookup");
  assert.equal(paid.status, "paid", JSON.stringify(paid));
  await change("kispg", order.orderId, "partial-cancel", { amount: 204 });
  const look = await change("kispg", order.orderId, "lookup");
  assert.equal(look.status, "partially_cancelled", JSON.stringify(look));
  assert.equal(look.result.remaining, 800);
});

test("kcp: capture (STMR) of an approved card payment, once", async () => {
  const order = await payOnPhone("kcp");
  const cap = await change("kcp", order.orderId, "capture");
  assert.equal(cap.status, "paid", JSON.stringify(cap));
  const twice = await change("kcp", order.orderId, "capture");
  assert.equal(twice.status, "failed", JSON.stringify(twice));
});

test("xpay virtual account: deposited → cancel without the buyer's account refused → refund to it", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "xpay", { method: "vbank" });
  const r = await payByRedirect(page);
  await context.close();
  assert.equal(r.state, "pending", JSON.stringify(r.result));
  const id = r.result.orderId;
  const d = await deposit(env.url, "xpay", id);
  assert.equal(d.delivered, true, JSON.stringify(d));
  assert.equal((await orderState(env.url, "xpay", id)).status, "paid");
  // "가상계좌 환불인경우만 필수": the PG refuses a cancel with no refund account.
  const plain = await change("xpay", id, "cancel");
  assert.equal(plain.status, "failed", JSON.stringify(plain));
  // The library refuses a refund without one before anything is sent.
  assert.equal((await change("xpay", id, "refund")).status, "invalid");
  const refund = await change("xpay", id, "refund", { refund: { bank: "004", account: "123456789012", holder: "홍길동" } });
  assert.equal(refund.status, "cancelled", JSON.stringify(refund));
  assert.deepEqual([refund.order.status, refund.order.remaining], ["cancelled", 0]);
});
