//! App-return fields and in-app-browser escapes for JavaScript (`hanpay_policy::app_return`).

use crate::prelude::*;

use super::error::error_with;
use super::js::{object, str_or_null};
use crate::window::ErrorCode;
use hanpay_policy::app_return::{self, AppReturnError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** PG fields that bring the user back to a hybrid app after ISP / app-card hops. */
export interface AppReturnFields {
  kispg: { appSchemeFlg: string; resultScheme: string | null; cancelScheme: string | null; P_RESERVED: string | null };
  ksnet: { sndRtApp: string | null };
}
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

/// Derives KISPG `appSchemeFlg`/`resultScheme`/`cancelScheme` (and the iOS third-party-browser
/// `app_scheme`) and KSNET `sndRtApp` for this page, from its environment and the host app's
/// URL scheme (`"myapp"`, `"myapp:"` or `"myapp://"`), if any.
#[wasm_bindgen(js_name = appReturnFields, unchecked_return_type = "AppReturnFields")]
pub fn app_return_fields(host_scheme: Option<String>) -> Result<JsValue, JsValue> {
    let w = crate::dom::page_window()?;
    let env = super::current_environment(&w, None);
    let ua = w.navigator().user_agent().unwrap_or_default();
    let fields = app_return::derive(&env, &ua, host_scheme.as_deref()).map_err(invalid)?;
    // The serde names of `hanpay_policy::app_return::AppReturn`; absent values are null.
    let kispg = &fields.kispg;
    Ok(object(&[
        (
            "kispg",
            object(&[
                ("appSchemeFlg", kispg.app_scheme_flg.into()),
                ("resultScheme", str_or_null(kispg.result_scheme.as_deref())),
                ("cancelScheme", str_or_null(kispg.cancel_scheme.as_deref())),
                ("P_RESERVED", str_or_null(kispg.p_reserved.as_deref())),
            ]),
        ),
        (
            "ksnet",
            object(&[("sndRtApp", str_or_null(fields.ksnet.snd_rt_app.as_deref()))]),
        ),
    ]))
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
