// hanpay/server — the merchant server's calls for Node (never for browsers): the wasm Node
// entry (pkg-node, sans-IO) builds each request and reads each answer; this file only sends them
// with fetch, under the same retry rule as the Rust client (crates/hanpay-pg/src/pg/call/recover.rs):
//
// - lookups and result fetches (KISPG order, KSNET fetch_result/confirm_result) are retried on a
//   transport failure, `attempts` times with doubling backoff;
// - approvals and cancels are sent ONCE. If their answer is lost after the request may have left
//   (timeout, reset, 5xx, unreadable answer), the client performs the PG's lookup (KISPG
//   /v2/order) or its documented net cancel (XPay Rollback), or throws kind "unknown" (KCP,
//   Smartro: their manuals document neither) — look the payment up before anything else.
//
// `make pkg-node` copies this file next to the wasm-pack output (pkg-node/server.mjs).

import { createRequire } from "node:module";
import { createPrivateKey, sign as rsaSign } from "node:crypto";

const require = createRequire(import.meta.url);
const wasm = require("./hanpay.js");

/** A call that did not produce a verified result. `kind`: invalid_input | not_sent | refused |
 * exhausted | rolled_back | unknown. */
export class HanpayServerError extends Error {
  constructor(kind, message, extra = {}) {
    super(message);
    this.name = "HanpayServerError";
    this.kind = kind;
    Object.assign(this, extra);
  }
}

// The wasm entry throws HanpayError (code INVALID_PARAMETERS, with field and rule; node/src/lib.rs).
const invalidFrom = (e) =>
  e?.name === "HanpayError" && e.code === "INVALID_PARAMETERS"
    ? new HanpayServerError("invalid_input", e.message, { field: e.field, rule: e.rule })
    : e;

/** Runs a wasm call; its validation errors become HanpayServerError("invalid_input"). */
const sansIo = (f) => {
  try {
    return f();
  } catch (e) {
    throw invalidFrom(e);
  }
};

class Transport extends Error {
  constructor(kind, message, status) {
    super(message);
    this.kind = kind; // connect | connect_timeout | read_timeout | lost | status | decode
    this.status = status;
  }
  get sentNothing() {
    return this.kind === "connect" || this.kind === "connect_timeout";
  }
}

// undici's codes for a connection that was never established (nothing was sent).
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A merchant's client for one PG.
 * @param {object} o
 * @param {import("./server.js").Pg} o.pg a PG's name (`PgName`, generated from crates/hanpay-pg/data/pg)
 * @param {"test"|"live"} o.mode
 * @param {string} [o.key] merchant key (XPay MertKey, Smartro/KISPG merchantKey)
 * @param {Record<string,string>} [o.merchant] the merchant's configuration in the PG's names
 * @param {string} [o.baseUrl] replaces the PG's origin; its path goes before the PG's path
 *   (the sandbox: http://127.0.0.1:8080/pg/kispg)
 * @param {number} [o.timeoutMs] the whole exchange of one request (default 30000)
 * @param {number} [o.attempts] attempts of a retryable call (default 3)
 * @param {number} [o.backoffMs] wait before the second attempt, doubled after (default 250)
 * @param {string} [o.now] fixed clock YYYYMMDDHHMMSS (KST); the system clock otherwise
 * @param {string} [o.kcpPrivateKey] KCP: the merchant's RSA private key (PEM), with which every
 *   cancel, partial cancel and capture that carries no `kcp_sign_data` is signed
 */
export function createClient(o) {
  const { pg, mode } = o;
  const key = o.key ?? "";
  const merchant = o.merchant ?? {};
  const timeoutMs = o.timeoutMs ?? 30000;
  const attempts = Math.max(1, o.attempts ?? 3);
  const backoffMs = o.backoffMs ?? 250;
  const now = () => o.now ?? "";
  const fetchImpl = o.fetch ?? globalThis.fetch;
  let kcpKey = null;
  if (o.kcpPrivateKey) {
    try {
      kcpKey = createPrivateKey(o.kcpPrivateKey);
    } catch {
      throw new HanpayServerError("invalid_input", "an unencrypted RSA private key in PEM", { field: "kcp_private_key", rule: "format" });
    }
  }

  const target = (url) => {
    if (!o.baseUrl) return url;
    const real = new URL(url);
    const base = new URL(o.baseUrl);
    return `${base.origin}${base.pathname.replace(/\/$/, "")}${real.pathname}${real.search}`;
  };

  /** One exchange → the answer's fields for the wasm reader, or a Transport error. The body
   * and the answer go through the library's wire form (wasm `encodeRequest`/`readAnswer`,
   * crates/hanpay-pg/src/pg/call/wire.rs), as hanpay-client's do. */
  const send = async (req) => {
    const { contentType, body } = sansIo(() => wasm.encodeRequest(pg, req));
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    let res, bytes;
    try {
      res = await fetchImpl(target(req.url), {
        method: req.method,
        headers: { "content-type": contentType },
        body,
        redirect: "manual",
        signal: ac.signal,
      });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      const code = e?.cause?.code;
      if (ac.signal.aborted) throw new Transport("read_timeout", "read timeout");
      if (code === "UND_ERR_CONNECT_TIMEOUT") throw new Transport("connect_timeout", "connect timeout");
      if (CONNECT_CODES.has(code)) throw new Transport("connect", `connection failed: ${code}`);
      throw new Transport("lost", `connection lost: ${code ?? e.message}`);
    } finally {
      clearTimeout(timer);
    }
    if (res.status < 200 || res.status >= 300) {
      throw new Transport("status", `HTTP status ${res.status}`, res.status);
    }
    try {
      return wasm.readAnswer(pg, req, bytes, res.headers.get("content-type") ?? undefined);
    } catch (e) {
      throw new Transport("decode", e.message);
    }
  };

  const sendRetrying = async (call, req) => {
    let wait = backoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(req);
      } catch (e) {
        if (!(e instanceof Transport)) throw e;
        if (e.kind === "status" && e.status >= 400 && e.status < 500) {
          throw new HanpayServerError("refused", `the PG refused the request (HTTP ${e.status})`, { status: e.status });
        }
        if (attempt >= attempts) {
          throw new HanpayServerError("exhausted", `${call} failed ${attempt} times: ${e.message}`, { call, cause: e.kind, attempts: attempt });
        }
        await sleep(wait);
        wait *= 2;
      }
    }
  };

  const read = (call, body, order) => {
    const options = { mode };
    if (order && ["payment_by_key", "approve", "fetch_result", "payment"].includes(call)) {
      options.expectOrder = order.id;
      options.expectAmount = String(order.amount);
    }
    return wasm.readResponse(pg, call, body, key, options);
  };

  const exchange = async (call, req, order) => {
    if (wasm.retryable(call)) return read(call, await sendRetrying(call, req), order);
    let cause;
    try {
      return read(call, await send(req), order);
    } catch (e) {
      if (!(e instanceof Transport)) throw e;
      if (e.sentNothing) throw new HanpayServerError("not_sent", `not sent (${e.message}); safe to call again`, { call, cause: e.kind });
      if (e.kind === "status" && e.status >= 400 && e.status < 500) {
        throw new HanpayServerError("refused", `the PG refused the request (HTTP ${e.status})`, { call, status: e.status });
      }
      cause = e;
    }
    const unknown = (detail, lookup = null) =>
      new HanpayServerError("unknown", `${call}: outcome unknown (${cause.message}): ${detail}`, { call, cause: cause.kind, detail, lookup });
    let rec;
    try {
      rec = wasm.recovery(pg, call, req.fields, order ? String(order.amount) : "", key, mode, now(), cause.message);
    } catch (e) {
      throw unknown(`no recovery request: ${e.message}`);
    }
    if (rec.action === "unknown") throw unknown(rec.reason);
    let answer;
    try {
      answer = await sendRetrying(rec.action === "lookup" ? "order" : call, rec.request);
    } catch (e) {
      throw unknown(`${rec.action} failed: ${e.message}`);
    }
    if (rec.action === "rollback") {
      // The PG reads its own rollback answer (recover::read_rollback): null is a rollback done.
      const refused = wasm.readRollback(pg, typeof answer === "string" ? {} : answer);
      if (refused === null || refused === undefined) {
        throw new HanpayServerError("rolled_back", `${call}: answer lost (${cause.message}); the PG rolled the call back`, { call, cause: cause.kind });
      }
      throw unknown(refused);
    }
    const found = read("order", answer, order);
    // The lookup settles an approval and a full cancel; it cannot tell whether this partial
    // cancel or refund is among the cancels it lists (manual 004 §3.4.2).
    if (call === "payment" || call === "cancel") return found;
    throw unknown("the lookup lists the order's cancels (cancelData); match this one there", found);
  };

  const call = async (name, params = {}, order) => {
    const p = { ...merchant, ...params };
    // A signature only the merchant's private key makes (KCP kcp_sign_data, notes §3.2), over
    // the input the library names (wasm keySignature; hanpay-client's client/src/kcp.rs).
    const sig = kcpKey && sansIo(() => wasm.keySignature(pg, name, p));
    if (sig) p[sig.field] = rsaSign("sha256", Buffer.from(sig.input, "utf8"), kcpKey).toString("base64");
    const req = sansIo(() => wasm.buildRequest(pg, name, p, key, mode, now()));
    return exchange(name, req, order);
  };

  /** A generic lifecycle step (`cancel`, `partial_cancel`, `refund`, `capture`, `lookup`) on the
   * payment `c` ({tid, orderId, method, orderAmount, remaining, amount, reason, refund}) as the
   * PG's own call (wasm `lifecycle`); `params` (the PG's names) win over what it fills. */
  const change = async (op, c, params = {}, order) => {
    const step = sansIo(() => wasm.lifecycle(pg, op, c));
    return call(step.call, { ...step.params, ...params }, order);
  };

  return {
    /** Finishes the browser step `next` for the merchant's own `order` ({id, amount}); null when
     * nothing is left to call. */
    async complete(next, order) {
      const wire = Object.fromEntries(Object.entries(next).filter(([, v]) => typeof v === "string"));
      const req = sansIo(() => wasm.completeRequest(wire, order.id, String(order.amount), merchant, key, mode, now()));
      if (req === null) return null;
      if (req.pg !== pg) throw new HanpayServerError("invalid_input", `the browser step is for ${req.pg}`, { field: "pg", rule: "conflict" });
      return exchange(req.call, req, order);
    },
    cancel: (params, order) => call("cancel", params, order),
    partialCancel: (params, order) => call("partial_cancel", params, order),
    /** A generic lifecycle step (`cancel`, `partial_cancel`, `refund`, `capture`, `lookup`) on
     * the payment `change` ({tid, orderId, method, orderAmount, remaining, amount, reason,
     * refund}) as the PG's own call (wasm `lifecycle`); `params` (the PG's names) win. */
    change,
    /** Looks the payment up by `params.tid` or, without one, by the order's id (KISPG
     * /v2/order, 004 §3.4.1; the other manuals define no lookup call: invalid_input on `call`). */
    lookup(params, order) {
      return change("lookup", { tid: params?.tid ?? "", orderId: order.id, orderAmount: Number(order.amount) }, params, order);
    },
    call,
  };
}

export const buildRequest = (pg, call, params, { key = "", mode, now = "" }) =>
  sansIo(() => wasm.buildRequest(pg, call, params, key, mode, now));

// The sans-IO signing and verification functions of the Node entry, for merchants who send the
// requests themselves (README "Verifying what a PG sends"): the same functions as before this
// wrapper existed, so `hanpay/server` keeps one surface. They take and return objects and throw
// HanpayError (code INVALID_PARAMETERS, field, rule) for bad input.
export const { buildForm, verify, readReturn, digest, digests } = wasm;
