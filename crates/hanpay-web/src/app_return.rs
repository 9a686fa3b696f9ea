//! App-return fields and in-app-browser escapes for JavaScript (`hanpay_pg::app_return`: the
//! fields each PG's data file names, the values and escapes of `hanpay_policy::app_return`).

use crate::prelude::*;

use super::error::error_with;
use super::js::object;
use crate::window::ErrorCode;
use hanpay_pg::app_return::{self, AppReturnError};
use wasm_bindgen::prelude::*;

// `AppReturnFields`, generated from each PG's `app_return` (crates/hanpay-pg/data/pg/*.json).
#[wasm_bindgen(typescript_custom_section)]
const TS_APP_RETURN: &'static str = crate::pg::ts::TS_APP_RETURN;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** An opt-in way out of an in-app browser (never applied automatically). */
export interface EscapeUrl { kind: string; url: string }
"#;

fn invalid(e: AppReturnError) -> JsValue {
    error_with(
        ErrorCode::InvalidParameters,
        // The Display text, without `format!` (issue 8 size budget). `rule` is the registry's
        // spelling (a scheme or URL of the wrong form is `format`, docs/errors.md); the sentence
        // stays in the message.
        &crate::text::concat(&[e.code, ": ", e.field, " ", e.rule]),
        &[("field", e.field.into()), ("rule", "format".into())],
    )
}

/// The fields each PG that takes them needs to bring the payer back to the hybrid app
/// (KISPG `appSchemeFlg`/`resultScheme`/`cancelScheme`/`P_RESERVED`, KSNET `sndRtApp`, …: each
/// PG's `app_return` data), for this page, from its environment and the host app's URL scheme
/// (`"myapp"`, `"myapp:"` or `"myapp://"`), if any. Absent values are null.
#[wasm_bindgen(js_name = appReturnFields, unchecked_return_type = "AppReturnFields")]
pub fn app_return_fields(host_scheme: Option<String>) -> Result<JsValue, JsValue> {
    let w = crate::dom::page_window()?;
    let env = super::current_environment(&w, None);
    let ua = w.navigator().user_agent().unwrap_or_default();
    let facts = app_return::facts(&env, &ua, host_scheme.as_deref()).map_err(invalid)?;
    // `app_return::derive` without its intermediate vectors (size budget): each group's fields
    // set straight from the PG data and the facts, in the data's order.
    let out = js_sys::Object::new();
    for g in app_return::APP_RETURN {
        let group = js_sys::Object::new();
        for f in g.fields {
            let v = match facts.value(f.value) {
                Some(v) if f.prefix.is_empty() => JsValue::from_str(v),
                Some(v) => JsValue::from_str(&crate::text::concat(&[f.prefix, v])),
                None => JsValue::NULL,
            };
            // Setting a property on a fresh plain object cannot fail.
            let _ = js_sys::Reflect::set(&group, &JsValue::from_str(f.name), &v);
        }
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str(g.name), &group);
    }
    Ok(out.into())
}

/// The escape from the current in-app browser to the system browser for `pageUrl` (LINE's
/// `openExternalBrowser=1`, an Android Chrome intent with a fallback URL …), or `null` where
/// none applies. Navigating to it is the caller's decision, never automatic.
#[wasm_bindgen(js_name = inAppEscapeUrl, unchecked_return_type = "EscapeUrl | null")]
pub fn in_app_escape_url(page_url: &str) -> Result<JsValue, JsValue> {
    let w = crate::dom::page_window()?;
    let env = super::current_environment(&w, None);
    match app_return::escape_for(&env, page_url).map_err(invalid)? {
        Some(escape) => Ok(object(&[
            ("kind", escape.kind.as_str().into()),
            ("url", escape.url.as_str().into()),
        ])),
        None => Ok(JsValue::NULL),
    }
}
