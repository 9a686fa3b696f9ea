//! The browser surface (wasm32 only): thin, typed wrappers exported to JavaScript.

use wasm_bindgen::prelude::*;

/// The package version (`hanpay.version()`).
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Detects the environment: `detectEnvironment(navigator.userAgent, navigator.maxTouchPoints)`.
#[wasm_bindgen(js_name = detectEnvironment)]
pub fn detect_environment(user_agent: &str, max_touch_points: u32) -> Result<JsValue, JsError> {
    let env = crate::env::detect(user_agent, max_touch_points);
    serde_wasm_bindgen::to_value(&env).map_err(|e| JsError::new(&e.to_string()))
}
