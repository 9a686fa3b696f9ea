// HanpayError: the one error class of the browser package. Codes are stable strings: those of
// `ErrorCode` in crates/hanpay-policy/src/window.rs (INVALID_PARAMETERS, POPUP_BLOCKED, USER_CANCEL, WINDOW_CLOSED,
// TIMEOUT, REDIRECT_REQUIRED, SCRIPT_LOAD_FAILED, PG_ERROR, NAME_CONFLICT, NO_BROWSER) and NOT_INITIALIZED,
// which the package glue raises for a call before init() (js/finalize-pkg.mjs, crates/hanpay-web/src/error.rs).
//
// `instanceof HanpayError` must hold even when a page ends up with two copies of the package
// (two bundles, or the wasm snippet and the package entry): the check looks for a brand
// registered in the global symbol registry instead of the prototype chain.
const BRAND = Symbol.for("hanpay.error");

export class HanpayError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = "HanpayError";
    this.code = code;
    if (details && typeof details === "object") {
      if (details.pgCode !== undefined) this.pgCode = details.pgCode;
      if (details.pgMessage !== undefined) this.pgMessage = details.pgMessage;
      if (details.field !== undefined) this.field = details.field;
      if (details.rule !== undefined) this.rule = details.rule;
      if (details.fallback !== undefined) this.fallback = details.fallback;
      if (details.result !== undefined) this.result = details.result;
    }
    Object.defineProperty(this, BRAND, { value: true });
  }

  static [Symbol.hasInstance](value) {
    return value !== null && typeof value === "object" && value[BRAND] === true;
  }
}

export function makeError(code, message, details) {
  return new HanpayError(code, message, details);
}
