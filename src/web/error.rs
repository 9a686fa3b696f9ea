//! `HanpayError` values, created by the class in `js/errors.js` so JavaScript gets a real
//! `Error` subclass with a stable `code` (and `instanceof` that survives duplicated bundles).

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
    make_error(code.as_str(), message, &super::js::object(details))
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
