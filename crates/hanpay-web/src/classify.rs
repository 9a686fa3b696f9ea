//! `classifyUrl(url, platform, options?)` for JavaScript: the WebView URL classifier of
//! [`crate::apps`], returning a typed `UrlDecision` with the same keys (and `null`s) as the CLI's
//! JSON line. `options.strict` selects the strict launch policy (README "Launch policy").

use super::js::{object, opt_bool, str_or_null};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The WebView's platform. */
export type Platform = "android" | "ios";
/** What the host app does with a URL. */
export type UrlAction = "load" | "launch" | "block";
/** Why an app is launched. */
export type AppCategory = "isp" | "appcard" | "bank" | "easypay" | "identity" | "certificate" | "vaccine" | "store" | "browser" | "other";
/** Options of `classifyUrl`. */
export interface ClassifyOptions {
  /** Launch only schemes of hanpay's app table; block the others (reason "unlisted-scheme"). */
  strict?: boolean;
}
/** The decision for one URL; `null` where a field does not apply. */
export interface UrlDecision {
  action: UrlAction;
  scheme: string | null;
  package: string | null;
  category: AppCategory | null;
  launch_url: string | null;
  fallback_url: string | null;
  store_url: string | null;
  /** iOS, action "load": an app's universal link; try `UIApplication.open(launch_url, [.universalLinksOnly: true])` first. */
  universal_link: boolean;
  /** Stable kebab-case code, e.g. "web", "intent", "known-scheme", "blocked-scheme", "dangerous-scheme", "unlisted-scheme". */
  reason: string;
}
"#;

/// Classifies a URL a WebView is about to load. Throws for a platform other than
/// `"android"`/`"ios"` (code `platform-unknown`) and for an `options.strict` that is not a
/// boolean (`INVALID_PARAMETERS`); every URL, however malformed, gets a decision.
#[wasm_bindgen(js_name = classifyUrl, unchecked_return_type = "UrlDecision")]
pub fn classify_url(
    url: &str,
    #[wasm_bindgen(unchecked_param_type = "Platform")] platform: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "ClassifyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    // The message leaves out the echo of the bad value that `PlatformError`'s `Display` adds:
    // quoting it with `{:?}` links core's Debug string escaping into the browser build (issue 8
    // size budget), and the caller knows what it passed. Field and rule as the registry spells
    // them (docs/errors.md; `platform-unknown` is the bridge's reason for the same input).
    let platform: crate::apps::Platform = platform.parse().map_err(|_| {
        super::error::error_with(
            crate::window::ErrorCode::InvalidParameters,
            "platform: must be \"android\" or \"ios\"",
            &[("field", "platform".into()), ("rule", "one_of".into())],
        )
    })?;
    let policy = if opt_bool(&options, "strict")?.unwrap_or(false) {
        crate::apps::Policy::Strict
    } else {
        crate::apps::Policy::Default
    };
    let decision = crate::apps::classify_with(url, platform, policy);
    // The keys and order of the CLI's JSON line; missing values are null, not undefined.
    Ok(object(&[
        ("action", decision.action.as_str().into()),
        ("scheme", str_or_null(decision.scheme.as_deref())),
        ("package", str_or_null(decision.package.as_deref())),
        (
            "category",
            str_or_null(decision.category.map(crate::apps::Category::as_str)),
        ),
        ("launch_url", str_or_null(decision.launch_url.as_deref())),
        (
            "fallback_url",
            str_or_null(decision.fallback_url.as_deref()),
        ),
        ("store_url", str_or_null(decision.store_url.as_deref())),
        ("universal_link", decision.universal_link.into()),
        ("reason", decision.reason.as_str().into()),
    ]))
}
