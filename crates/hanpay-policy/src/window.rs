//! How a checkout window is shown and how results come back to it: the pure decisions behind
//! the browser engine in `hanpay::web` (the umbrella crate), kept here so they are tested natively and in the browser
//! with the same data (`tests/data/window-plan.json`).
//!
//! Sources for the rules:
//! - Smartro WEBLink manual (seeds/001, 결제창 호출): `FORWARD=Y` popup named `payWindow`,
//!   `FORWARD=N` hidden iframe `payFrame`; both names are fixed by the PG.
//! - KISPG manual (seeds/004, §6 인앱 브라우저): iframes and layer popups may misbehave, mobile
//!   should submit in the same window, NAVER/KakaoTalk in-app browsers need `_self`.
//! - notes/browser-sdk-anchors.md: PortOne/Toss open popups synchronously in the click and
//!   check `event.origin` of result messages.

use crate::prelude::*;
use crate::text::AsciiCase as _;

use crate::env::{Environment, WindowMode};
use crate::text;
use serde::{Deserialize, Serialize};

/// The window name every popup uses: Smartro requires exactly `payWindow`, the others accept it.
pub const POPUP_NAME: &str = "payWindow";
/// The iframe name of the layer: Smartro's `FORWARD=N` requires exactly `payFrame`.
pub const IFRAME_NAME: &str = "payFrame";
/// Message `source` tag, so unrelated `postMessage` traffic on the page is ignored quickly.
pub const MESSAGE_SOURCE: &str = "hanpay";

/// What the caller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RequestedMode {
    #[default]
    Auto,
    Popup,
    Iframe,
    Redirect,
}

impl RequestedMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(RequestedMode::Auto),
            "popup" => Some(RequestedMode::Popup),
            "iframe" => Some(RequestedMode::Iframe),
            "redirect" => Some(RequestedMode::Redirect),
            _ => None,
        }
    }
}

/// Where a blocked popup goes instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BlockedFallback {
    #[default]
    Iframe,
    Redirect,
    /// Reject with `POPUP_BLOCKED` and let the page ask the user to allow popups.
    Error,
}

impl BlockedFallback {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "iframe" => Some(BlockedFallback::Iframe),
            "redirect" => Some(BlockedFallback::Redirect),
            "error" => Some(BlockedFallback::Error),
            _ => None,
        }
    }
}

/// Stable error codes shared by every surface (`HanpayError.code` in JS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    InvalidParameters,
    PopupBlocked,
    UserCancel,
    WindowClosed,
    Timeout,
    RedirectRequired,
    ScriptLoadFailed,
    PgError,
    /// A window name or page global hanpay must own is held by another window, frame or
    /// payment flow (security review, findings 4 and 7).
    NameConflict,
    /// Called where there is no browser window or document (a Node or server-rendering
    /// import, a worker): the browser functions need a page.
    NoBrowser,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidParameters => "INVALID_PARAMETERS",
            ErrorCode::PopupBlocked => "POPUP_BLOCKED",
            ErrorCode::UserCancel => "USER_CANCEL",
            ErrorCode::WindowClosed => "WINDOW_CLOSED",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::RedirectRequired => "REDIRECT_REQUIRED",
            ErrorCode::ScriptLoadFailed => "SCRIPT_LOAD_FAILED",
            ErrorCode::PgError => "PG_ERROR",
            ErrorCode::NameConflict => "NAME_CONFLICT",
            ErrorCode::NoBrowser => "NO_BROWSER",
        }
    }

    /// Every code, in declaration order (the registry test in `tests/errors.rs` walks it).
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::InvalidParameters,
        ErrorCode::PopupBlocked,
        ErrorCode::UserCancel,
        ErrorCode::WindowClosed,
        ErrorCode::Timeout,
        ErrorCode::RedirectRequired,
        ErrorCode::ScriptLoadFailed,
        ErrorCode::PgError,
        ErrorCode::NameConflict,
        ErrorCode::NoBrowser,
    ];
}

impl core::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for ErrorCode {}

/// Chooses the concrete window mode.
///
/// `auto`: desktop browsers get what the PG prefers (popup unless it says iframe); phones,
/// tablets, in-app browsers and WebViews get a same-window redirect, because popups there
/// open new tabs the app cannot close and layers break the PG's app-to-app hops (KISPG §6).
/// An explicit mode is honoured, except that a popup inside an in-app browser or WebView is
/// turned into a redirect: those hosts either drop `window.open` or open an unmanaged view.
pub fn resolve_mode(
    requested: RequestedMode,
    env: &Environment,
    pg_prefers: WindowMode,
) -> WindowMode {
    let embedded = env.in_app.is_some() || env.webview || env.host_app.is_some();
    match requested {
        RequestedMode::Auto if env.mode == WindowMode::Redirect || embedded => WindowMode::Redirect,
        RequestedMode::Auto => match pg_prefers {
            WindowMode::Iframe => WindowMode::Iframe,
            WindowMode::Redirect => WindowMode::Redirect,
            WindowMode::Popup => WindowMode::Popup,
        },
        RequestedMode::Popup if embedded => WindowMode::Redirect,
        RequestedMode::Popup => WindowMode::Popup,
        RequestedMode::Iframe => WindowMode::Iframe,
        RequestedMode::Redirect => WindowMode::Redirect,
    }
}

/// Why a form cannot be submitted from the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormProblem {
    pub field: &'static str,
    pub rule: &'static str,
}

impl core::fmt::Display for FormProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

impl core::error::Error for FormProblem {}

/// Checks the parts of a server-signed form the browser is responsible for: the action must be
/// an `http(s)` URL or a path on this site (never `javascript:`, `data:` …), the method GET or
/// POST, field names non-empty. Values are not inspected: they are set as DOM properties and
/// therefore inert whatever they contain.
pub fn check_form(
    action: &str,
    method: &str,
    fields: &[(String, String)],
) -> Result<(), FormProblem> {
    if !action_is_safe(action) {
        return Err(FormProblem {
            field: "action",
            rule: "http_or_relative_url",
        });
    }
    if !(method.is_empty() || method.eq_ascii_case("post") || method.eq_ascii_case("get")) {
        return Err(FormProblem {
            field: "method",
            rule: "get_or_post",
        });
    }
    if fields.iter().any(|(name, _)| name.trim().is_empty()) {
        return Err(FormProblem {
            field: "fields",
            rule: "non_empty_names",
        });
    }
    Ok(())
}

fn action_is_safe(action: &str) -> bool {
    let a = action.trim();
    if a.is_empty() || a.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return false;
    }
    // A scheme is whatever precedes the first ':' when no '/', '?' or '#' comes before it.
    let scheme_end = text::find_ascii(a, b':');
    let path_end = text::find_any_ascii(a, b"/?#");
    match (scheme_end, path_end) {
        (Some(c), p) if p.is_none_or(|p| c < p) => {
            // `get`, not indexing: `c` is a char boundary anyway, and a slice that could panic
            // links core's panic formatting into the browser build (issue 8 size budget).
            let scheme = a.get(..c).unwrap_or("");
            (scheme.eq_ascii_case("https") || scheme.eq_ascii_case("http"))
                && a.get(c + 1..).is_some_and(|rest| rest.starts_with("//"))
        }
        // Protocol-relative `//host/…` inherits the page's scheme, which is http(s) here.
        _ => true,
    }
}

/// The PG order-id fields, one per PG, in the spelling of each manual. The order id is what the
/// merchant's return page naturally knows (every PG posts it back), so it is the default request
/// id that pairs a relayed result with the `open()` call that started it.
pub const ORDER_ID_FIELDS: &[&str] = &[
    "LGD_OID",
    "Moid",
    "sndOrdernumber",
    "ordr_idxx",
    "ordNo",
    "orderId",
];

/// The default request id of a form: its order-id field, if any.
pub fn default_request_id(fields: &[(String, String)]) -> Option<&str> {
    ORDER_ID_FIELDS.iter().find_map(|name| {
        fields
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    })
}

/// Normalizes an origin for comparison: lowercase scheme and host, no trailing slash.
/// `event.origin` is already serialized this way; allowlists written by hand may not be.
pub fn normalize_origin(origin: &str) -> String {
    text::trim_end_ascii(origin.trim(), b'/').ascii_lower()
}

/// Whether a result message may be accepted: the origin is on the allowlist (exact match after
/// normalization; `"null"` and `"*"` never match) and the request id is the one we sent.
pub fn accept_message(
    origin: &str,
    allowlist: &[String],
    tag: &str,
    request_id: &str,
    expected_id: &str,
) -> bool {
    let origin = normalize_origin(origin);
    if origin.is_empty() || origin == "null" || origin == "*" {
        return false;
    }
    tag == MESSAGE_SOURCE
        && !expected_id.is_empty()
        && request_id == expected_id
        && allowlist
            .iter()
            .any(|allowed| normalize_origin(allowed) == origin)
}

/// Checks the `targetOrigin` a return page relays to: a concrete `http(s)://host[:port]`, never
/// `"*"`, so a result is never handed to whatever page happens to be the opener.
///
/// `postMessage` parses the string with the WHATWG URL parser, so the check accepts only
/// strings that parser serializes back unchanged as an origin (security review, finding 9): a
/// lexical check let `http://a:1\.b` (`\` ends the host) and `http://a:1808\t1` (TAB is
/// stripped) through, naming another origin than the one checked. Upper case, a default or
/// zero-padded port, a trailing `:`, shortened IPv4 (`127.1`) and percent-escapes in the host
/// are refused for the same reason: the parser rewrites them. Natively that parser is the `url`
/// crate (the WHATWG parser, issue #16 item 5); the browser build asks the browser's `URL`
/// instead (`web::relay`), so this function is not in the wasm build.
#[cfg(not(target_arch = "wasm32"))]
pub fn check_target_origin(target: &str) -> Result<(), FormProblem> {
    let origin = url::Url::parse(target)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.origin().ascii_serialization());
    if origin.as_deref() == Some(target) {
        Ok(())
    } else {
        Err(FormProblem {
            field: "targetOrigin",
            rule: "explicit_http_origin",
        })
    }
}

/// How a relayed result settles the promise: resolved, or rejected with a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Resolve,
    Reject(ErrorCode),
}

/// Maps a server-verified result to the promise outcome: `success: true` resolves; a result the
/// server marked `cancelled` rejects with `USER_CANCEL`; any other failure is a `PG_ERROR`
/// carrying the PG's code and message.
pub fn outcome_of(success: Option<bool>, cancelled: Option<bool>) -> Outcome {
    match (success, cancelled) {
        (_, Some(true)) => Outcome::Reject(ErrorCode::UserCancel),
        (Some(true), _) => Outcome::Resolve,
        _ => Outcome::Reject(ErrorCode::PgError),
    }
}
