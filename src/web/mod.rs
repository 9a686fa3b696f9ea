//! The browser surface (wasm32 only): thin, typed wrappers exported to JavaScript.

use wasm_bindgen::prelude::*;

mod classify;

/// The package version (`hanpay.version()`).
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Detects the environment: `detectEnvironment(navigator.userAgent, navigator.maxTouchPoints)`.
#[wasm_bindgen(js_name = detectEnvironment)]
pub fn detect_environment(user_agent: &str, max_touch_points: u32) -> Result<JsValue, JsError> {
    to_js(&crate::env::detect(user_agent, max_touch_points))
}

/// Converts a Rust value to a plain JS object the way `JSON.parse(JSON.stringify(..))` would:
/// `None` becomes `null` (not `undefined`) so the JS shape matches the CLI's JSON exactly.
pub(crate) fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
