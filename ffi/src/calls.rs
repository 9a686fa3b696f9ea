//! The bridge operations: text in, one line of JSON out.
//!
//! Both the C ABI and JNI go through here, so the two bridges cannot drift apart; the tests in
//! `tests/` run the same shared cases through each of them.

use hanpay::apps::{self, Platform, Policy};
use hanpay::env::{self, Probes};
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a bridge call produced no value. `code` is stable and kebab-case, like the
/// classifier's own codes; `message` names the argument and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallError {
    pub code: &'static str,
    pub message: String,
}

impl CallError {
    /// A required argument was a null pointer (C) or `null` (JVM).
    pub fn null_argument(name: &str) -> Self {
        CallError {
            code: "null-argument",
            message: format!("{name}: must not be null"),
        }
    }

    /// An argument's bytes were not UTF-8.
    pub fn invalid_utf8(name: &str) -> Self {
        CallError {
            code: "invalid-utf8",
            message: format!("{name}: must be UTF-8 text"),
        }
    }

    fn internal_panic() -> Self {
        CallError {
            code: "internal-panic",
            message: "hanpay hit an internal error; please report the input".to_string(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for CallError {}

/// The one place where the library's errors become the bridge's: the code is the error's
/// kebab-case reason from the registry (`hanpay::error::REGISTRY`), so the bridge speaks one
/// level of the vocabulary (`platform-unknown`, `invalid-scheme`), never `INVALID_SCHEME`.
impl From<hanpay::Error> for CallError {
    fn from(e: hanpay::Error) -> Self {
        CallError {
            code: e.reason().unwrap_or("invalid-argument"),
            message: e.to_string(),
        }
    }
}

macro_rules! via_umbrella {
    ($($ty:ty),*) => {$(
        impl From<$ty> for CallError {
            fn from(e: $ty) -> Self {
                hanpay::Error::from(e).into()
            }
        }
    )*};
}

via_umbrella!(
    hanpay::apps::PlatformError,
    hanpay::apps::PolicyError,
    hanpay::app_return::AppReturnError
);

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a CallError,
}

/// The host app calls from native code, so the page is in its own WebView: the probe a
/// page would report for a declared host app.
const NATIVE_HOST: &str = "native";

/// Runs `body` and renders its outcome as JSON; a panic becomes `internal-panic`.
pub fn run<T: Serialize>(body: impl FnOnce() -> Result<T, CallError>) -> String {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        body().and_then(|value| {
            serde_json::to_string(&value).map_err(|e| CallError {
                code: "serialize-failed",
                message: e.to_string(),
            })
        })
    }))
    .unwrap_or_else(|_| Err(CallError::internal_panic()));
    match outcome {
        Ok(json) => json,
        Err(error) => error_json(&error),
    }
}

/// `{"error":{…}}` for `error`. Serializing two strings cannot fail; the fallback literal
/// only keeps this function total.
pub fn error_json(error: &CallError) -> String {
    serde_json::to_string(&ErrorBody { error })
        .unwrap_or_else(|_| r#"{"error":{"code":"serialize-failed","message":""}}"#.to_string())
}

fn platform(name: &str) -> Result<Platform, CallError> {
    Ok(name.parse::<Platform>()?)
}

/// `hanpay::apps::classify` as JSON: `{"action","scheme","package","category","launch_url",
/// "fallback_url","store_url","universal_link","reason"}`.
pub fn classify(url: &str, platform_name: &str) -> Result<apps::Decision, CallError> {
    Ok(apps::classify(url, platform(platform_name)?))
}

/// `hanpay::apps::classify_with` under the policy named `"default"` or `"strict"`.
pub fn classify_with(
    url: &str,
    platform_name: &str,
    policy_name: &str,
) -> Result<apps::Decision, CallError> {
    let policy = policy_name.parse::<Policy>()?;
    Ok(apps::classify_with(url, platform(platform_name)?, policy))
}

/// `hanpay::env::detect` as JSON: `{"os","device","in_app","webview","mode"}`.
pub fn detect(user_agent: &str, max_touch_points: u32) -> Result<env::Environment, CallError> {
    Ok(env::detect(user_agent, max_touch_points))
}

/// The PG return parameters for a page inside the calling app's WebView
/// (`hanpay::app_return::derive`), with `host_scheme` the app's registered URL scheme.
pub fn app_return(
    user_agent: &str,
    max_touch_points: u32,
    host_scheme: Option<&str>,
) -> Result<hanpay::app_return::AppReturn, CallError> {
    let probes = Probes {
        host_app: Some(NATIVE_HOST.to_string()),
        ..Probes::default()
    };
    let environment = env::detect_with(user_agent, max_touch_points, &probes);
    Ok(hanpay::app_return::derive(
        &environment,
        user_agent,
        host_scheme,
    )?)
}

/// The Android `<queries>` block or the iOS `LSApplicationQueriesSchemes` plist fragment,
/// as a JSON string.
pub fn manifest(platform_name: &str) -> Result<String, CallError> {
    Ok(match platform(platform_name)? {
        Platform::Android => apps::android_queries_manifest(),
        Platform::Ios => apps::ios_queries_plist(),
    })
}
