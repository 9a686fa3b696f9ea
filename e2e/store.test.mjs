// The demo merchant's order store (issue 13 §6), over loopback HTTP only, no browser:
//  - load: the same signed XPay deposit note (CAS, LGD_CASFLAG=I; manual 000 §5.4, notes §1.2
//    hash MD5(MID + OID + AMOUNT + RESPCODE + TIMESTAMP + MertKey)) posted 200 times, 16 at a
//    time, is counted 200 times and applied once;
//  - restart: the SQLite file (HANPAY_SANDBOX_DB) keeps the order and what was applied, so the
//    same note after a restart is still not applied again.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox } from "./harness.mjs";

const KEY = "95160cce09854ef44d2edb2bfb05f9f3";
const MID = "tlgdacomxpay";
const dir = mkdtempSync(join(tmpdir(), "hanpay-store-"));
process.env.HANPAY_SANDBOX_DB = join(dir, "orders.sqlite");
after(() => rmSync(dir, { recursive: true, force: true }));

const md5 = (s) => createHash("md5").update(s, "utf8").digest("hex");

async function checkout(base) {
  const res = await fetch(`${base}/api/xpay/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ amount: 1004, method: "vbank" }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).orderId;
}

function note(orderId) {
  const ts = "20240101120000";
  const amount = "1004";
  return new URLSearchParams({
    LGD_RESPCODE: "0000", LGD_RESPMSG: "입금완료", LGD_MID: MID, LGD_OID: orderId, LGD_AMOUNT: amount,
    LGD_TID: "tlgda2024010112000000001", LGD_PAYTYPE: "SC0040", LGD_TIMESTAMP: ts, LGD_CASFLAG: "I",
    LGD_CASTAMOUNT: amount, LGD_CASCAMOUNT: amount,
    LGD_HASHDATA: md5(MID + orderId + amount + "0000" + ts + KEY),
  }).toString();
}

async function post(base, body) {
  const res = await fetch(`${base}/merchant/xpay/notify`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return [res.status, await res.text()];
}

const state = async (base, id) => (await fetch(`${base}/api/xpay/orders/${id}`)).json();

test("the same deposit note 200 times, 16 at a time: applied once; and after a restart", async () => {
  let sandbox = await startSandbox();
  const id = await checkout(sandbox.url);
  const body = note(id);
  const N = 200;
  const CONCURRENCY = 16;
  const replies = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        next += 1;
        replies.push(await post(sandbox.url, body));
      }
    }),
  );
  assert.equal(replies.length, N);
  // Every authentic note is answered "OK" (000:L1402), the duplicates too, so XPay stops.
  assert.deepEqual([...new Set(replies.map(([s, t]) => `${s} ${t}`))], ["200 OK"]);
  let o = await state(sandbox.url, id);
  assert.deepEqual([o.status, o.noticesReceived, o.depositsProcessed], ["paid", N, 1]);
  assert.equal(o.applied.filter((a) => a.kind === "notice:deposited").length, 1);

  await sandbox.stop();
  sandbox = await startSandbox();
  try {
    o = await state(sandbox.url, id);
    assert.deepEqual([o.status, o.noticesReceived, o.depositsProcessed], ["paid", N, 1], "the store survived the restart");
    assert.deepEqual(await post(sandbox.url, body), [200, "OK"]);
    o = await state(sandbox.url, id);
    assert.deepEqual([o.noticesReceived, o.depositsProcessed], [N + 1, 1], "a replay after the restart is not applied");
  } finally {
    await sandbox.stop();
  }
});
