// Types of hanpay/server (js/server.mjs): the merchant server's calls for Node.

import type { PgName } from "./hanpay.js";
/** A PG's name: `PgName`, generated from `crates/hanpay-pg/data/pg` into `hanpay.d.ts`. */
export type Pg = PgName;
export type Mode = "test" | "live";

/** The verified result (`hanpay verify` / `hanpay call` shape). */
export interface PaymentResult {
  status: "paid" | "authenticated" | "pending" | "deposited" | "partially_deposited" | "cancelled" | "failed" | "rejected";
  authentic: boolean | null;
  success: boolean;
  code: string;
  message: string;
  amount: number | null;
  tid: string;
  order_id: string;
  reply: string | null;
  pg: Pg;
  kind: "return" | "notice" | "approval";
  method: string;
  deposit_amount: number | null;
  expected_amount: number | null;
  next: string | null;
  reason: string | null;
  remaining: number | null;
}

/** The merchant's own record of the order. */
export interface OrderRef {
  id: string;
  amount: number;
}

/** What `pay()` resolves in the browser: `{pg, orderId, next, …PG-native values}`. */
export interface Next {
  pg: Pg;
  orderId: string;
  next: string;
  [k: string]: unknown;
}

export type ErrorKind = "invalid_input" | "not_sent" | "refused" | "exhausted" | "rolled_back" | "unknown";

export class HanpayServerError extends Error {
  kind: ErrorKind;
  field?: string;
  rule?: string;
  call?: string;
  /** connect | connect_timeout | read_timeout | lost | status | decode */
  cause?: string;
  status?: number;
  attempts?: number;
  detail?: string;
  /** For `unknown` after a lookup that could not settle the question (a partial cancel). */
  lookup?: PaymentResult | null;
}

export interface ClientOptions {
  pg: Pg;
  mode: Mode;
  key?: string;
  merchant?: Record<string, string>;
  baseUrl?: string;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  now?: string;
  fetch?: typeof fetch;
  /** KCP: the merchant's RSA private key (PEM); signs `kcp_sign_data` of cancels and captures. */
  kcpPrivateKey?: string;
}

/** The payment a lifecycle step acts on (`LifecycleChange`), one server request (`Request`), a
 * signed checkout form (`SignedForm`) and the verification options (`VerifyOptions`): declared
 * once, in the Node entry's generated .d.ts (node/src/lib.rs TS_TYPES). */
export type { DigestInfo, LifecycleChange, Request, SignedForm, VerifyOptions } from "./hanpay.js";
import type { DigestInfo, LifecycleChange, Request, SignedForm, VerifyOptions } from "./hanpay.js";

export interface Client {
  complete(next: Next, order: OrderRef): Promise<PaymentResult | null>;
  cancel(params: Record<string, string>, order?: OrderRef): Promise<PaymentResult>;
  partialCancel(params: Record<string, string>, order?: OrderRef): Promise<PaymentResult>;
  lookup(params: Record<string, string>, order: OrderRef): Promise<PaymentResult>;
  /** A generic lifecycle step on the payment `change` describes, as the PG's own call. */
  change(
    op: "cancel" | "partial_cancel" | "refund" | "capture" | "lookup",
    change: LifecycleChange,
    params?: Record<string, string>,
    order?: OrderRef,
  ): Promise<PaymentResult>;
  call(call: string, params?: Record<string, string>, order?: OrderRef): Promise<PaymentResult>;
}

export function createClient(options: ClientOptions): Client;

export function buildRequest(
  pg: Pg,
  call: string,
  params: Record<string, string>,
  options: { key?: string; mode: Mode; now?: string },
): Request;

/** What the sans-IO functions throw for bad input: an Error named "HanpayError" with the browser
 * package's code. */
export interface HanpayError extends Error {
  name: "HanpayError";
  code: "INVALID_PARAMETERS";
  field: string;
  rule: string;
}

/** The Node entry's sans-IO signing and verification functions (see README "Verifying what a PG
 * sends"). Objects in and out; bad input throws a HanpayError. `now` (YYYYMMDDHHMMSS, KST)
 * defaults to the system clock. */
export function buildForm(pg: Pg, params: Record<string, string>, key: string, mode: Mode, now?: string): SignedForm;
/** `body`: the raw POST body (form-urlencoded, KSNET's backtick text or a JSON object) or its
 * fields as an object. */
export function verify(pg: Pg, kind: "return" | "notice" | "approval", body: string | Record<string, string>, key: string, options?: VerifyOptions): PaymentResult;
/** The PG's post to the merchant's return URL, read: verified, bound to the order
 * (`options.expectOrder`, `options.expectAmount`) and turned into the browser step `next` for
 * `client.complete(next, order)`; `next` is null when the post failed, was the buyer's cancel
 * (`cancelled`) or is rejected. */
export function readReturn(pg: Pg, body: string | Record<string, string>, key: string, options?: VerifyOptions): { result: PaymentResult; cancelled: boolean; next: Next | null };
/** The PG's digest `name` over `args` (in the order `digests(pg)` lists them) with the merchant
 * key, as the PG computes it: what to recompute when the PG reports a signature mismatch.
 * Throws HanpayError on `digest` (a name the PG lacks), `args`, `key` or the refused input. */
export function digest(pg: Pg, name: string, args: string[], key: string): string;
/** The digests `digest` computes for the PG (none for KCP and KSNET). */
export function digests(pg: Pg): DigestInfo[];
