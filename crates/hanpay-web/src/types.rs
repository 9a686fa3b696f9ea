//! TypeScript declarations for the values that cross the JS boundary as plain objects.
//! They land in `pkg/hanpay.d.ts`; the functions refer to them by name.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A server-signed checkout form, exactly as the merchant server's hanpay produced it. */
export interface CheckoutForm {
  pg?: string;
  action: string;
  method?: "POST" | "GET" | "post" | "get";
  accept_charset?: string;
  target?: string;
  fields: [name: string, value: string][];
}

export type WindowMode = "popup" | "iframe" | "redirect";

/** Options of `open()`. Every field is optional. */
export interface OpenOptions {
  /** "auto" (default): desktop gets the PG's preference, mobile / in-app / WebView a redirect. */
  mode?: "auto" | WindowMode;
  /** What the PG prefers on desktop in "auto" mode (default "popup"). */
  pgPrefers?: "popup" | "iframe";
  /** Where a blocked popup goes (default "iframe"); "error" rejects with POPUP_BLOCKED. */
  onPopupBlocked?: "iframe" | "redirect" | "error";
  /** Called when the engine falls back, with the reason. */
  onFallback?: (info: { reason: "POPUP_BLOCKED"; from: "popup"; to: WindowMode }) => void;
  /** Origins whose result messages are accepted (default: this page's origin). */
  allowedOrigins?: string[];
  /** Pairs the relayed result with this call (default: the form's order-id field). */
  requestId?: string;
  /** Rejects with TIMEOUT after this long (default 20 minutes). */
  timeoutMs?: number;
  /** How long a closed popup may still deliver its result (default 1500 ms). */
  closeGraceMs?: number;
  popupFeatures?: string;
  redirectTarget?: "_self" | "_top";
  /** false: reject with REDIRECT_REQUIRED instead of navigating this page away. */
  allowRedirect?: boolean;
  /** Accessible title of the iframe layer. */
  title?: string;
  /** The hybrid host app this page runs in, if any (forces the redirect path). */
  hostApp?: string;
}

/** The one result vocabulary (issue #12). "authenticated": the browser step is done and a
 * server step is still due; "pending": a virtual account was issued; "deposited" /
 * "partially_deposited": money arrived on it; "partially_cancelled": a partial cancel left part
 * of the payment paid. `success` is true only for "paid" and
 * "deposited". */
export type PaymentStatus =
  | "paid"
  | "authenticated"
  | "pending"
  | "deposited"
  | "partially_deposited"
  | "cancelled"
  | "partially_cancelled"
  | "failed"
  | "rejected";

/** The server-verified result the return page relays. open() resolves with it whatever its
 * status (your server decided); only `cancelled: true` rejects, with USER_CANCEL. */
export interface PaymentResult {
  status: PaymentStatus;
  /** As your server sent it: true only for "paid" and "deposited". */
  success: boolean;
  cancelled?: boolean;
  pg?: string;
  code?: string;
  message?: string;
  amount?: number | null;
  tid?: string | null;
  [key: string]: unknown;
}

/** Options of `relayResult()`. */
export interface RelayOptions {
  /** The exact origin of the page that called open(), e.g. location.origin. Never "*". */
  targetOrigin: string;
  /** The request id of the open() call: by default the PG's order id. */
  requestId: string;
  /** Close the popup after relaying (default true). */
  close?: boolean;
}

export interface Environment {
  os: "android" | "ios" | "ipados" | "windows" | "macos" | "linux" | "other";
  device: "mobile" | "tablet" | "desktop";
  in_app: string | null;
  webview: boolean;
  mode: WindowMode;
  host_app?: string;
}
"#;
