//! Plain JavaScript values hanpay builds: a leaf of the browser surface, used by the error
//! builder (`error`) and the option readers (`js`) alike, so neither depends on the other.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// A plain object with these properties, in this order. The few objects hanpay returns are
/// written this way rather than through `serde-wasm-bindgen`, whose serializer cost several KB of
/// the browser package (issue 8 size budget).
pub(crate) fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (key, value) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

/// A string, or `null` (never `undefined`) so shapes match the CLI's and the bridges' JSON.
pub(crate) fn str_or_null(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}
