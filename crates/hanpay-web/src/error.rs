//! `HanpayError` values, created by the class in `js/errors.js` so JavaScript gets a real
//! `Error` subclass with a stable `code` (and `instanceof` that survives duplicated bundles).
//!
//! The codes are `crate::window::ErrorCode` plus `NOT_INITIALIZED`, which only the package's JS
//! glue raises (a call before `init()`, when no wasm exists yet; js/finalize-pkg.mjs). It is not
//! an `ErrorCode` variant because nothing in the wasm raises it, and the unused variant alone
//! costs 24 bytes gzip of the browser package (measured, issue 16).

use crate::window::{ErrorCode, FormProblem};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(code: &str, message: &str, details: &JsValue) -> JsValue;
}

/// A `HanpayError` with a code and a message.
pub(crate) fn error(code: ErrorCode, message: &str) -> JsValue {
    make_error(code.as_str(), message, &JsValue::UNDEFINED)
}

/// A `HanpayError` with extra properties (`pgCode`, `pgMessage`, `field`, `rule`, …).
pub(crate) fn error_with(code: ErrorCode, message: &str, details: &[(&str, JsValue)]) -> JsValue {
    make_error(code.as_str(), message, &super::value::object(details))
}

/// `INVALID_PARAMETERS` naming the field and the rule.
pub(crate) fn invalid(problem: &FormProblem) -> JsValue {
    error_with(
        ErrorCode::InvalidParameters,
        &crate::text::concat(&[problem.field, ": ", problem.rule]),
        &[
            ("field", problem.field.into()),
            ("rule", problem.rule.into()),
        ],
    )
}

/// `INVALID_PARAMETERS` for an argument that did not have the documented shape.
pub(crate) fn invalid_shape(field: &'static str, detail: &str) -> JsValue {
    error_with(
        ErrorCode::InvalidParameters,
        &crate::text::concat(&[field, ": ", detail]),
        &[("field", field.into()), ("rule", "shape".into())],
    )
}

/// `NO_BROWSER`: no window or document here (a Node or server-rendering import, a worker).
pub(crate) fn no_browser() -> JsValue {
    error(
        ErrorCode::NoBrowser,
        "hanpay needs a browser window and document here",
    )
}

/// `NAME_CONFLICT`: the window name or page global `name` is held by another window, frame or
/// payment flow, so hanpay refuses rather than post into, or be called from, something it did
/// not create (security review, findings 4 and 7).
pub(crate) fn name_conflict(name: &'static str) -> JsValue {
    error_with(
        ErrorCode::NameConflict,
        &crate::text::concat(&[name, " is held by another window, frame or payment"]),
        &[("field", name.into())],
    )
}
