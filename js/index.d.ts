export * from "./hanpay.js";
export { default } from "./hanpay.js";

export type HanpayErrorCode =
  | "INVALID_PARAMETERS"
  | "POPUP_BLOCKED"
  | "USER_CANCEL"
  | "WINDOW_CLOSED"
  | "TIMEOUT"
  | "REDIRECT_REQUIRED"
  | "SCRIPT_LOAD_FAILED"
  | "PG_ERROR"
  | "NAME_CONFLICT"
  /** A browser function was called where there is no window or document (Node, SSR, a worker). */
  | "NO_BROWSER"
  /** A function was called before `await init()` finished. */
  | "NOT_INITIALIZED";

/** The one error class of hanpay; `instanceof` works across duplicated bundles. */
export declare class HanpayError extends Error {
  readonly code: HanpayErrorCode;
  /** PG_ERROR: the PG's own result code and message. */
  readonly pgCode?: string;
  readonly pgMessage?: string;
  /** INVALID_PARAMETERS: which field broke which rule; NAME_CONFLICT: the window name or page
   * global held by another window, frame or payment. */
  readonly field?: string;
  readonly rule?: string;
  /** PG_ERROR: the relayed result. */
  readonly result?: import("./hanpay.js").PaymentResult;
  constructor(code: HanpayErrorCode, message: string, details?: Record<string, unknown>);
}
