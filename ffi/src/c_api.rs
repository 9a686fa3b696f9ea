//! The C ABI. Declarations are generated into `include/hanpay.h` by `build.rs`.
//!
//! # Ownership
//!
//! - Arguments are borrowed for the duration of the call only; they must be NUL-terminated
//!   UTF-8 (`const char *`). A null pointer or invalid UTF-8 gives an error JSON, never a crash.
//! - Every `char *` a `hanpay_*` function returns is a new NUL-terminated UTF-8 JSON string
//!   owned by the caller, who must release it exactly once with [`hanpay_string_free`] (not
//!   `free()`: Rust's allocator made it). It is never null.
//! - [`hanpay_version`] returns a static string: do not free it.
//! - All functions are thread-safe: they keep no state.

use crate::calls::{self, CallError};
use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

/// Reads a required string argument.
///
/// # Safety
/// `ptr` is null or points to a NUL-terminated string valid for the call.
unsafe fn arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, CallError> {
    if ptr.is_null() {
        return Err(CallError::null_argument(name));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|_| CallError::invalid_utf8(name))
}

/// Reads an optional string argument (null means absent).
///
/// # Safety
/// As [`arg`].
unsafe fn optional_arg<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, CallError> {
    if ptr.is_null() {
        Ok(None)
    } else {
        arg(ptr, name).map(Some)
    }
}

/// Hands JSON text to the caller. serde_json escapes U+0000, so JSON has no interior NUL;
/// the fallback keeps the function total all the same.
fn give(json: String) -> *mut c_char {
    CString::new(json)
        .unwrap_or_else(|_| {
            CString::from(c"{\"error\":{\"code\":\"interior-nul\",\"message\":\"\"}}")
        })
        .into_raw()
}

/// Classifies a URL the WebView is about to load.
///
/// `platform` is `"android"` or `"ios"`; the launch policy is the default one. Returns JSON
/// `{"action","scheme","package","category","launch_url","fallback_url","store_url",
/// "universal_link","reason"}` or `{"error":{"code","message"}}`. Free the result with
/// `hanpay_string_free`.
///
/// # Safety
/// `url` and `platform` are null or NUL-terminated strings valid for the call.
#[no_mangle]
pub unsafe extern "C" fn hanpay_classify(
    url: *const c_char,
    platform: *const c_char,
) -> *mut c_char {
    give(calls::run(|| {
        calls::classify(arg(url, "url")?, arg(platform, "platform")?)
    }))
}

/// Classifies a URL under a launch policy: `policy` is `"default"` (as `hanpay_classify`) or
/// `"strict"` (launch only schemes of hanpay's app table; block the others with reason
/// `unlisted-scheme`). Another policy gives error code `policy-unknown`. Returns the same JSON as
/// `hanpay_classify`. Free the result with `hanpay_string_free`.
///
/// # Safety
/// `url`, `platform` and `policy` are null or NUL-terminated strings valid for the call.
#[no_mangle]
pub unsafe extern "C" fn hanpay_classify_with(
    url: *const c_char,
    platform: *const c_char,
    policy: *const c_char,
) -> *mut c_char {
    give(calls::run(|| {
        calls::classify_with(
            arg(url, "url")?,
            arg(platform, "platform")?,
            arg(policy, "policy")?,
        )
    }))
}

/// Detects the environment from a user agent and `navigator.maxTouchPoints`.
///
/// Returns JSON `{"os","device","in_app","webview","mode"}` or an error JSON. Free the result
/// with `hanpay_string_free`.
///
/// # Safety
/// `user_agent` is null or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn hanpay_detect(
    user_agent: *const c_char,
    max_touch_points: u32,
) -> *mut c_char {
    give(calls::run(|| {
        calls::detect(arg(user_agent, "user_agent")?, max_touch_points)
    }))
}

/// The PG return parameters for a page shown in the calling app's WebView.
///
/// `host_scheme` is the app's URL scheme (`myapp`, `myapp:` or `myapp://`), or null. Returns
/// JSON `{"kispg":{"appSchemeFlg","resultScheme","cancelScheme","P_RESERVED"},
/// "ksnet":{"sndRtApp"}}` or an error JSON. Free the result with `hanpay_string_free`.
///
/// # Safety
/// `user_agent` and `host_scheme` are null or NUL-terminated strings valid for the call.
#[no_mangle]
pub unsafe extern "C" fn hanpay_app_return(
    user_agent: *const c_char,
    max_touch_points: u32,
    host_scheme: *const c_char,
) -> *mut c_char {
    give(calls::run(|| {
        calls::app_return(
            arg(user_agent, "user_agent")?,
            max_touch_points,
            optional_arg(host_scheme, "host_scheme")?,
        )
    }))
}

/// The app-query declarations for `platform` (`"android"`: the `<queries>` block for
/// AndroidManifest.xml; `"ios"`: the `LSApplicationQueriesSchemes` plist fragment), as a JSON
/// string. Free the result with `hanpay_string_free`.
///
/// # Safety
/// `platform` is null or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn hanpay_manifest(platform: *const c_char) -> *mut c_char {
    give(calls::run(|| calls::manifest(arg(platform, "platform")?)))
}

/// Releases a string returned by a `hanpay_*` function. Null is ignored.
///
/// # Safety
/// `s` is null or a pointer returned by a `hanpay_*` function (other than `hanpay_version`)
/// that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn hanpay_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(CString::from_raw(s));
    }
}

/// The hanpay core version (`"0.1.0"`), a static NUL-terminated string. Do not free it.
#[no_mangle]
pub extern "C" fn hanpay_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    VERSION
        .get_or_init(|| CString::new(hanpay::VERSION).unwrap_or_default())
        .as_ptr()
}
