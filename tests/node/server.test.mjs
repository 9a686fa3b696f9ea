// hanpay/server (pkg-node/server.mjs, `make pkg-node`): the merchant-server calls over fetch.
// Against a local node:http server playing the PG — the retry rule (a money call sent once,
// its lost answer followed by the lookup or rollback; lookups retried), EUC-KR answers — and
// against the real sandbox binary (target/debug/hanpay-sandbox, `make sandbox-bin`): a KISPG
// payment authenticated in the sandbox window and approved through `complete`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { once } from "node:events";
import { createRequire } from "node:module";
import { createClient, HanpayServerError } from "../../pkg-node/server.mjs";
import { startSandbox } from "./sandbox-process.mjs";

const require = createRequire(import.meta.url);
const wasm = require("../../pkg-node/hanpay.js");
const ROOT = new URL("../..", import.meta.url).pathname;

const KISPG_MID = "kistest00m";
// The sandbox's registered KISPG test key (sandbox/src/credentials.rs KISPG_KEY).
const KISPG_KEY = "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";

/** A fake PG on 127.0.0.1: `script(path, body, nth)` → {delay, status, type, body}. */
async function fakePg(script) {
  const seen = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    seen.push({ path: req.url, body });
    const nth = seen.filter((s) => s.path === req.url).length;
    const a = script(req.url, body, nth);
    if (a.delay) await new Promise((r) => setTimeout(r, a.delay));
    if (res.destroyed) return;
    res.writeHead(a.status ?? 200, { "content-type": a.type ?? "application/json" });
    res.end(a.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { base: `http://127.0.0.1:${server.address().port}`, seen };
}

const paid = (tid, ordNo, amt) =>
  JSON.stringify({ resultCd: "3001", resultMsg: "카드 결제 성공", payMethod: "card", tid, ordNo, amt, cancelYN: "N" });

const kispg = (base, extra = {}) =>
  createClient({ pg: "kispg", mode: "test", key: "k", merchant: { mid: KISPG_MID }, baseUrl: base, timeoutMs: 1000, backoffMs: 20, ...extra });

test("KISPG payment is sent once; a timeout is followed by the /v2/order lookup", async () => {
  const pg = await fakePg((path) => (path === "/v2/payment" ? { delay: 3000, body: "{}" } : { body: paid("T1", "o1", "1000") }));
  const r = await kispg(pg.base).complete({ pg: "kispg", orderId: "o1", next: "approve", tid: "T1", amt: "1" }, { id: "o1", amount: 1000 });
  assert.equal(r.status, "paid");
  assert.deepEqual(pg.seen.map((s) => s.path), ["/v2/payment", "/v2/order"]);
  const pay = JSON.parse(pg.seen[0].body);
  assert.equal(pay.goodsAmt, "1000", "the order's own amount, not the browser's");
  const lookup = JSON.parse(pg.seen[1].body);
  assert.equal(lookup.tid, "T1");
  assert.equal(lookup.encData, wasm.digest("kispg", "enc_data", [KISPG_MID, lookup.ediDate, "1000"], "k"));
});

test("a lookup is retried with backoff; exhausted after the bounded attempts", async () => {
  const pg = await fakePg((_, __, n) => (n < 3 ? { status: 503, body: "busy" } : { body: paid("T2", "o2", "1000") }));
  const r = await kispg(pg.base).lookup({ tid: "T2" }, { id: "o2", amount: 1000 });
  assert.equal(r.tid, "T2");
  assert.equal(pg.seen.length, 3);

  const dead = await fakePg(() => ({ delay: 3000, body: "{}" }));
  await assert.rejects(kispg(dead.base).lookup({ tid: "T3" }, { id: "o3", amount: 1000 }), (e) => {
    assert.ok(e instanceof HanpayServerError);
    assert.equal(e.kind, "exhausted");
    assert.equal(e.cause, "read_timeout");
    return true;
  });
  assert.equal(dead.seen.length, 3);
});

test("a lost KISPG partial cancel is unknown, with the lookup attached, and never resent", async () => {
  const pg = await fakePg((path) => (path === "/v2/cancel" ? { status: 502, body: "bad gateway", type: "text/plain" } : { body: paid("T4", "o4", "1000") }));
  await assert.rejects(
    kispg(pg.base).partialCancel({ tid: "T4", payMethod: "card", canAmt: "300", canMsg: "part" }, { id: "o4", amount: 1000 }),
    (e) => e.kind === "unknown" && e.cause === "status" && e.lookup?.tid === "T4",
  );
  assert.deepEqual(pg.seen.map((s) => s.path), ["/v2/cancel", "/v2/order"]);
});

test("XPay PaymentByKey lost on a timeout is rolled back (LGD_RB_TXID = the lost LGD_TXID)", async () => {
  const pg = await fakePg((_, body) =>
    new URLSearchParams(body.toString()).get("LGD_TXNAME") === "Rollback"
      ? { body: JSON.stringify({ LGD_RESPCODE: "0000", LGD_RESPMSG: "ok" }) }
      : { delay: 3000, body: "{}" },
  );
  const client = createClient({
    pg: "xpay", mode: "test", key: "95160cce09854ef44d2edb2bfb05f9f3", merchant: { CST_MID: "lgdacomxpay" },
    baseUrl: `${pg.base}/pg/xpay`, timeoutMs: 1000, backoffMs: 20,
  });
  await assert.rejects(
    client.complete({ pg: "xpay", orderId: "o5", next: "payment_by_key", LGD_PAYKEY: "PK" }, { id: "o5", amount: 1000 }),
    (e) => e.kind === "rolled_back" && e.cause === "read_timeout",
  );
  assert.equal(pg.seen.length, 2);
  assert.equal(pg.seen[0].path, "/pg/xpay/xpay/Gateway.do");
  const [first, rb] = pg.seen.map((s) => new URLSearchParams(s.body.toString()));
  assert.equal(first.get("LGD_TXNAME"), "PaymentByKey");
  assert.equal(rb.get("LGD_RB_TXID"), first.get("LGD_TXID"));
});

test("KCP approval lost is unknown and sent once; a refused connection sent nothing", async () => {
  const pg = await fakePg(() => ({ delay: 3000, body: "{}" }));
  const kcp = createClient({
    pg: "kcp", mode: "test", merchant: { site_cd: "T0000", kcp_cert_info: "CERT", pay_type: "PACA" }, baseUrl: pg.base, timeoutMs: 1000,
  });
  await assert.rejects(
    kcp.complete({ pg: "kcp", orderId: "o6", next: "approve", enc_data: "E", enc_info: "I", tran_cd: "00100000" }, { id: "o6", amount: 1000 }),
    (e) => e.kind === "unknown" && e.call === "approve",
  );
  assert.equal(pg.seen.length, 1);

  const closed = createServer();
  closed.listen(0, "127.0.0.1");
  await once(closed, "listening");
  const port = closed.address().port;
  closed.close();
  await assert.rejects(
    kispg(`http://127.0.0.1:${port}`).complete({ pg: "kispg", orderId: "o7", next: "approve", tid: "T7" }, { id: "o7", amount: 1000 }),
    (e) => e.kind === "not_sent" && e.cause === "connect",
  );
});

test("Smartro's EUC-KR k=v answer is decoded; invalid input names field and rule", async () => {
  // "취소 성공" in EUC-KR, percent-encoded (001:L862).
  const msg = "%C3%EB%BC%D2+%BC%BA%B0%F8";
  const pg = await fakePg(() => ({ type: "text/html", body: `ResultCode=2001&ResultMsg=${msg}&TID=SMTPAY001m01012601011200001234&CancelAmt=1000` }));
  const smartro = createClient({ pg: "smartro", mode: "test", key: "k", merchant: { Cancelpw: "pw" }, baseUrl: pg.base });
  const r = await smartro.cancel({ TID: "SMTPAY001m01012601011200001234", CancelAmt: "1000" });
  assert.equal(r.message, "취소 성공");
  await assert.rejects(smartro.cancel({ TID: "short", CancelAmt: "1000" }), (e) => e.kind === "invalid_input" && e.field === "TID");
  assert.equal(pg.seen.length, 1);
});


test("request bodies are in the PG's charset: KSNET's EUC-KR, a JSON object for KISPG", () => {
  const req = { method: "POST", url: "https://kspay.ksnet.to/x", content_type: "application/x-www-form-urlencoded", fields: { sndMsg: "취소", a: "1+1" } };
  const ks = wasm.encodeRequest("kspay", req);
  assert.equal(ks.contentType, "application/x-www-form-urlencoded; charset=EUC-KR");
  assert.equal(Buffer.from(ks.body).toString("latin1"), "sndMsg=%C3%EB%BC%D2&a=1%2B1");
  assert.throws(() => wasm.encodeRequest("kspay", { ...req, fields: { sndMsg: "😀" } }), (e) => e.field === "sndMsg" && e.rule === "forbidden_char");
  const js = wasm.encodeRequest("kispg", { ...req, content_type: "application/json", fields: { tid: "T1" } });
  assert.equal(js.contentType, "application/json");
  assert.equal(Buffer.from(js.body).toString("utf8"), '{"tid":"T1"}');
  assert.throws(() => wasm.readAnswer("kcp", req, new TextEncoder().encode("<html>")), (e) => e.field === "body" && e.rule === "format");
});

const hidden = (html, name) => {
  const m = new RegExp(`name="?${name}"?[^>]*value="([^"]*)"`).exec(html);
  assert.ok(m, `${name} in ${html}`);
  return m[1];
};

test("KISPG pay → return read → approve → partial cancel → cancel → look up through the sandbox binary", async () => {
  const sandbox = await startSandbox();
  const server = await import("../../pkg-node/server.mjs");
  const order = { id: `node-${Date.now()}`, amount: 1000 };
  const form = wasm.buildForm("kispg", {
    mid: KISPG_MID, goodsAmt: "1000", ordNo: order.id, goodsNm: "hanpay node test", ordNm: "홍길동", ordTel: "01012345678",
    ordEmail: "buyer@example.com", returnUrl: `${sandbox}/merchant/kispg/return`, payMethod: "card",
  }, KISPG_KEY, "test");
  const post = async (path, pairs) =>
    (await fetch(`${sandbox}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(pairs).toString() })).text();
  const window = await post("/pg/kispg/v2/auth", form.fields);
  const back = await post("/pg/kispg/decide", [["session", hidden(window, "session")], ["decision", "approve"]]);
  const tid = hidden(back, "tid");

  // The return post the window sends to returnUrl, read as a merchant's return route does.
  const unescape = (v) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const posted = Object.fromEntries([...back.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], unescape(m[2])]));
  const opts = { mode: "test", expectOrder: order.id, expectAmount: "1000" };
  const ret = server.readReturn("kispg", posted, KISPG_KEY, opts);
  assert.equal(ret.result.status, "authenticated", JSON.stringify(ret));
  assert.equal(ret.cancelled, false);
  assert.deepEqual([ret.next.pg, ret.next.orderId, ret.next.next, ret.next.tid], ["kispg", order.id, "approve", tid]);
  // Another order's amount, or the signature deleted: no step to call.
  assert.equal(server.readReturn("kispg", posted, KISPG_KEY, { ...opts, expectAmount: "999" }).next, null);
  const { encData, ...unsigned } = posted;
  assert.ok(encData, "KISPG signs its return post");
  assert.equal(server.readReturn("kispg", unsigned, KISPG_KEY, opts).next, null);

  const client = createClient({ pg: "kispg", mode: "test", key: KISPG_KEY, merchant: { mid: KISPG_MID }, baseUrl: `${sandbox}/pg/kispg` });
  const next = ret.next;
  const r = await client.complete(next, order);
  assert.equal(r.status, "paid", JSON.stringify(r));
  assert.equal(r.success, true);
  assert.equal(r.tid, tid);
  assert.equal(r.amount, 1000);
  // A second approval of the same tid is the PG's refusal, not a second charge.
  const again = await client.complete(next, order);
  assert.equal(again.success, false, JSON.stringify(again));

  // partial cancel → over-cancel refused → cancel the rest → look up → double cancel refused
  const cancel = (canAmt, canMsg) => ({ tid, payMethod: "card", canAmt, canMsg });
  // The generic lifecycle's partial cancel, in KISPG's names (tid, payMethod, canAmt, partCanFlg 1).
  const part = await client.change("partial_cancel", { tid, orderId: order.id, method: "card", orderAmount: 1000, amount: 300, reason: "part" }, {}, order);
  assert.equal(part.status, "partially_cancelled", JSON.stringify(part));
  assert.equal(part.amount, 300);
  assert.equal((await client.partialCancel(cancel("800", "over"), order)).status, "failed");
  assert.equal((await client.cancel(cancel("700", "rest"), order)).status, "cancelled");
  const found = await client.lookup({ tid }, order);
  assert.equal(found.status, "cancelled", JSON.stringify(found));
  assert.equal((await client.cancel(cancel("700", "again"), order)).status, "failed");
});

test("hanpay/server re-exports the Node entry's digest and digests, declared in server.d.ts", async () => {
  const server = await import("../../pkg-node/server.mjs");
  const dts = (await import("node:fs")).readFileSync(`${ROOT}js/server.d.ts`, "utf8");
  for (const h of ["digest", "digests"]) {
    assert.equal(typeof server[h], "function", `${h} is exported by hanpay/server`);
    assert.equal(server[h], wasm[h], `${h} is the Node entry's own function`);
    assert.match(dts, new RegExp(`export function ${h}\\(`), `${h} is declared in server.d.ts`);
  }
  // No per-PG signing helper is left beside them: the PG is an argument, not part of a name.
  const named = Object.keys(wasm).filter((k) => /(Hashdata|Authdata|EncryptData|CancelHash|EncData)$/.test(k));
  assert.deepEqual(named, []);
  assert.equal(server.digest("kispg", "enc_data", ["kistest00m", "20240101123000", "50000"], "k"),
    wasm.digest("kispg", "enc_data", ["kistest00m", "20240101123000", "50000"], "k"));
});

test("PaymentResult in server.d.ts and in the Node entry's generated .d.ts name exactly the keys Rust serializes", async () => {
  const { readFileSync } = await import("node:fs");
  // The runtime object is the truth: serde's field list of crates/hanpay-pg/src/pg/result.rs.
  const got = Object.keys(wasm.verify("kispg", "return", "resultCode=0000", "k", {})).sort();
  const keysOf = (file, name = "PaymentResult") => {
    const src = readFileSync(`${ROOT}${file}`, "utf8");
    const body = new RegExp(`export interface ${name} \\{([^}]*)\\}`).exec(src);
    assert.ok(body, `${name} in ${file}`);
    return [...body[1].matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]).sort();
  };
  assert.deepEqual(keysOf("js/server.d.ts"), got, "js/server.d.ts");
  assert.deepEqual(keysOf("pkg-node/hanpay.d.ts", "VerifiedResult"), got, "node/src/lib.rs TS_TYPES");
});

test("the PG name unions of the TypeScript surfaces name exactly the PGs of crates/hanpay-pg/data/pg (the registry's source)", async () => {
  const { readFileSync, readdirSync } = await import("node:fs");
  // crates/hanpay-pg/build/pg.rs makes one `Pg` per crates/hanpay-pg/data/pg/<pg>.json; the `pg` field is the name `Pg::name()` gives.
  const names = readdirSync(`${ROOT}crates/hanpay-pg/data/pg`)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(`${ROOT}crates/hanpay-pg/data/pg/${f}`, "utf8")).pg)
    .sort();
  assert.ok(names.length >= 6, names.join());
  const union = (file, name) => {
    const src = readFileSync(`${ROOT}${file}`, "utf8");
    const body = new RegExp(`export type ${name} =([^;]*);`).exec(src);
    assert.ok(body, `${name} in ${file}`);
    return [...body[1].matchAll(/"(\w+)"/g)].map((m) => m[1]).sort();
  };
  // Both entries' generated .d.ts (crates/hanpay-pg/build/pg.rs `pg::ts`), and hanpay/server's
  // `Pg`, which is that `PgName`.
  assert.deepEqual(union("pkg/hanpay.d.ts", "PgName"), names, "PgName");
  assert.deepEqual(union("pkg-node/hanpay.d.ts", "PgName"), names, "Node PgName");
  assert.match(readFileSync(`${ROOT}js/server.d.ts`, "utf8"), /^export type Pg = PgName;$/m, "js/server.d.ts Pg");
  const pgs = [...readFileSync(`${ROOT}pkg/hanpay.d.ts`, "utf8").matchAll(/\{ pg: "(\w+)"; orderId/g)].map((m) => m[1]).sort();
  assert.deepEqual(pgs, names, "PgNextStep has one member per PG");
});
