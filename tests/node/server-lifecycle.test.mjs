// hanpay/server against the real sandbox binary (target/debug/hanpay-sandbox, `make sandbox-bin`),
// for every PG of tests/data/server-lifecycle.json (shared with client/tests/sandbox.rs): the
// buyer pays in the sandbox's PG window (the signed form from `buildForm`, the "approve"
// button), then the merchant's side is `createClient` calls only — complete (KSNET: the result
// fetch, then its confirmation), KCP capture, partial cancel, over-cancel refused by the PG,
// cancel the rest, double cancel refused, a forged signature refused, and the KISPG lookup.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createClient, buildForm, HanpayServerError } from "../../pkg-node/server.mjs";
import { startSandbox } from "./sandbox-process.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const DATA = JSON.parse(readFileSync(`${ROOT}tests/data/server-lifecycle.json`, "utf8"));


const sandboxUrl = startSandbox();

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** What the PG window hands back: the auto-post's hidden inputs, or the JSON it posts to its parent. */
function handedBack(back, html) {
  if (back === "form") {
    const out = {};
    for (const m of html.matchAll(/<input type=hidden name="([^"]*)" id="[^"]*" value="([^"]*)">/g)) out[unescape(m[1])] = unescape(m[2]);
    assert.ok(Object.keys(out).length, html);
    return out;
  }
  const m = /postMessage\(\{(?:kcp: |smartropay: 1, res: )(\{.*?\})\}/s.exec(html);
  assert.ok(m, html);
  return JSON.parse(m[1]);
}

const fill = (template, vars) =>
  Object.fromEntries(Object.entries(template).map(([k, v]) => [k, v.replace(/\$(\w+)/g, (_, n) => { assert.ok(n in vars, `${n} in ${JSON.stringify(vars)}`); return vars[n]; })]));

/** The buyer's part: the signed form into the sandbox's window, the "approve" button. */
async function pay(sandbox, c, order) {
  const params = Object.fromEntries(Object.entries(c.form).map(([k, v]) => [k, v.replace("{sandbox}", sandbox).replaceAll("{order}", order.id).replace("{amount}", String(order.amount))]));
  const form = buildForm(c.pg, params, c.key, "test");
  const post = async (path, pairs) =>
    (await fetch(`${sandbox}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: sandbox }, body: new URLSearchParams(pairs).toString() })).text();
  // `windowExtra`: what the PG's own script adds when it opens the window (SMARTRO PAY's
  // SmartroPAY-1.0.min.js as the sandbox serves it: `_mode`, `_pc`).
  const window = await post(c.window, [...form.fields, ...Object.entries(c.windowExtra ?? {})]);
  const session = /name=session value="([^"]*)"/.exec(window);
  assert.ok(session, window);
  return handedBack(c.back, await post(c.decide, [["session", session[1]], ["decision", "approve"]]));
}

const clientFor = (sandbox, c, key = c.key) =>
  createClient({
    pg: c.pg, mode: "test", key, merchant: c.merchant, baseUrl: `${sandbox}/pg/${c.pg}`,
    ...(c.privateKey ? { kcpPrivateKey: readFileSync(`${ROOT}${c.privateKey}`, "utf8") } : {}),
  });

for (const c of DATA.pgs) {
  test(`${c.pg}: pay → complete → partial cancel → refusals → cancel the rest → double cancel refused → look up`, async () => {
    const sandbox = await sandboxUrl;
    const order = { id: `N${c.pg.toUpperCase()}${Date.now()}`, amount: DATA.amount };
    const back = await pay(sandbox, c, order);
    const client = clientFor(sandbox, c);
    const next = { pg: c.pg, orderId: order.id, ...fill(c.next, back) };

    let tid;
    const done = await client.complete(next, order);
    if (next.next === "done") {
      // Smartro approves inside its window (001 §4): nothing is left to call.
      assert.equal(done, null);
      tid = back.TID;
    } else {
      assert.equal(done.status, "paid", JSON.stringify(done));
      assert.equal(done.success, true);
      assert.equal(done.amount, order.amount);
      tid = done.tid;
      if (next.next !== "fetch_result") {
        // The same browser step again is the PG's refusal, never a second charge (KSNET's
        // fetch only reads a result, and may be repeated).
        const again = await client.complete(next, order);
        assert.notEqual(again.success, true, JSON.stringify(again));
      }
    }
    assert.ok(tid, JSON.stringify(back));

    if (c.pg === "kspay") {
      // KSNET: the fetched result is confirmed (sndActionType 3, notes §4.1); the manuals give
      // KSNET no cancel over this web API, so the lifecycle ends here.
      const confirmed = await client.call("confirm_result", { sndCommConId: back.reCommConId }, order);
      assert.notEqual(confirmed.status, "rejected", JSON.stringify(confirmed));
      return;
    }

    if (c.capture) {
      // KCP acquisition STMR (003 §4): once; the second is refused.
      const cap = await client.call("capture", fill(c.capture, { tid }), order);
      assert.equal(cap.status, "paid", JSON.stringify(cap));
      const twice = await client.call("capture", fill(c.capture, { tid }), order);
      assert.equal(twice.status, "failed", JSON.stringify(twice));
    }

    const part = DATA.partialAmount;
    const rest = order.amount - part;
    const partial = (amount, remaining) => fill(c.partial, { tid, amount: String(amount), remaining: String(remaining) });
    const p = await client.partialCancel(partial(part, order.amount), order);
    assert.equal(p.status, "partially_cancelled", JSON.stringify(p));
    assert.equal(p.amount, part);

    // Over-cancel: more than remains, sent with what the PG holds as the remaining amount where
    // the call carries one — the PG refuses.
    const over = await client.partialCancel(partial(rest + 1, rest), order).catch((e) => e);
    if (over instanceof HanpayServerError) assert.equal(over.kind, "invalid_input", over.message);
    else assert.equal(over.status, "failed", JSON.stringify(over));

    // A forged signature: the same call signed with another key (KCP: another RSA key).
    const forged = c.privateKey
      ? await createClient({ pg: c.pg, mode: "test", merchant: { ...c.merchant, kcp_sign_data: Buffer.from("forged").toString("base64") }, baseUrl: `${sandbox}/pg/${c.pg}` }).partialCancel(partial(100, rest), order)
      : await clientFor(sandbox, c, c.forgedKey).partialCancel(partial(100, rest), order);
    assert.equal(forged.status, "failed", `forged: ${JSON.stringify(forged)}`);

    const r = await client.cancel(fill(c.rest, { tid, amount: String(rest) }), order);
    assert.equal(r.status, "cancelled", JSON.stringify(r));
    const twice = await client.cancel(fill(c.rest, { tid, amount: String(rest) }), order);
    assert.equal(twice.status, "failed", `double cancel: ${JSON.stringify(twice)}`);

    if (c.lookup) {
      const found = await client.lookup(fill(c.lookup, { tid }), order);
      assert.equal(found.status, "cancelled", JSON.stringify(found));
      // The generic lifecycle's lookup without a tid goes by the order number (004 §3.4.1).
      const byOrder = await client.change("lookup", { orderId: order.id, orderAmount: order.amount }, {}, order);
      assert.equal(byOrder.status, "cancelled", JSON.stringify(byOrder));
      assert.equal(byOrder.tid, tid);
    } else {
      // Only KISPG's manual defines a lookup call (004 §3.4).
      await assert.rejects(client.lookup({ tid }, order), (e) => e.kind === "invalid_input" && e.field === "call");
    }
  });
}

for (const v of DATA.vbank) {
  test(`${v.pg} virtual account: issued → deposited → cancel without the refund account refused → refund`, async () => {
    const sandbox = await sandboxUrl;
    const c = { ...DATA.pgs.find((x) => x.pg === v.pg) };
    c.form = { ...c.form, ...v.form };
    const order = { id: `NVA${v.pg.toUpperCase()}${Date.now()}`, amount: DATA.amount };
    const back = await pay(sandbox, c, order);
    const client = clientFor(sandbox, c);
    const issued = await client.complete({ pg: c.pg, orderId: order.id, ...fill(c.next, back) }, order);
    assert.equal(issued.status, "pending", JSON.stringify(issued));
    const tid = issued.tid;
    // The buyer pays into the account (sandbox control, standing in for the bank).
    const dep = await fetch(`${sandbox}${v.deposit}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderId: order.id }) });
    assert.equal(dep.status, 200);
    const vars = { tid, amount: String(order.amount) };
    const bare = await client.cancel(fill(v.cancel, vars), order);
    assert.equal(bare.status, "failed", `no refund account: ${JSON.stringify(bare)}`);
    const refund = await client.call("refund", fill(v.refund, vars), order);
    assert.equal(refund.status, "cancelled", JSON.stringify(refund));
    assert.equal((await client.lookup({ tid }, order)).status, "cancelled");
  });
}

test("xpay: a PaymentByKey whose answer is lost is rolled back in the sandbox (LGD_RB_TXID)", async () => {
  const sandbox = await sandboxUrl;
  const c = DATA.pgs.find((x) => x.pg === "xpay");
  // `…SLOW`: the sandbox's hook that books the payment and holds its answer back 3 s.
  const order = { id: `NRB${Date.now()}SLOW`, amount: DATA.amount };
  const back = await pay(sandbox, c, order);
  const client = createClient({ pg: "xpay", mode: "test", key: c.key, merchant: c.merchant, baseUrl: `${sandbox}/pg/xpay`, timeoutMs: 1000, backoffMs: 20 });
  await assert.rejects(client.complete({ pg: "xpay", orderId: order.id, ...fill(c.next, back) }, order), (e) => {
    assert.equal(e.kind, "rolled_back", e.message);
    assert.equal(e.cause, "read_timeout");
    return true;
  });
});
