//! Getting the payer back after a card, ISP or bank app: the return parameters the PGs take,
//! and opt-in URLs that leave an in-app browser.
//!
//! Everything here is a pure function of the detected [`Environment`], the user agent and the
//! host app's URL scheme, so the browser engine, the server and the native bridge share it.
//! Escape URLs are never used automatically: leaving an in-app browser mid-checkout loses the
//! session (notes/browser-sdk-anchors.md §8 item 5), so the merchant decides when to offer one.

use crate::prelude::*;
use crate::text::AsciiCase as _;

use crate::env::{Environment, Os};
use crate::text::{
    concat, contains_str, find_any_ascii, find_str, rsplit_once_ascii, split_ascii,
    split_once_ascii,
};
use serde::Serialize;

/// Why an input was refused. `code` is stable; `field` names the input and `rule` says what
/// it must look like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppReturnError {
    pub code: &'static str,
    pub field: &'static str,
    pub rule: &'static str,
}

impl core::fmt::Display for AppReturnError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {} {}", self.code, self.field, self.rule)
    }
}

impl core::error::Error for AppReturnError {}

const INVALID_SCHEME: AppReturnError = AppReturnError {
    code: "INVALID_SCHEME",
    field: "host_scheme",
    rule: "must be a URL scheme: a letter, then letters, digits, '+', '-' or '.', optionally followed by ':' or '://'",
};

const INVALID_URL: AppReturnError = AppReturnError {
    code: "INVALID_URL",
    field: "page_url",
    rule: "must be an absolute http(s) URL with a host and no spaces or control characters",
};

/// One value a PG's app-return field carries: each PG's `app_return` in its data file
/// (`crates/hanpay-pg/data/pg/<pg>.json`) names, per field, which of these it takes and cites
/// why. They are computed from the environment and the host app's scheme ([`facts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnValue {
    /// `"1"` when the page runs in an embedded browser with the host app's scheme, else `"0"`;
    /// never absent.
    SchemeFlag,
    /// The host app's `scheme://`, inside an embedded browser only.
    AppScheme,
    /// The scheme of the third-party iOS browser the page runs in (not an embedded one), so an
    /// ISP hop comes back to that browser rather than to Safari.
    IosBrowserScheme,
    /// `android` inside an Android embedded browser, the host app's `scheme://` inside an iOS
    /// one; absent in a plain mobile browser.
    PlatformReturn,
}

impl ReturnValue {
    /// Every value, in declaration order.
    pub const ALL: [ReturnValue; 4] = [
        ReturnValue::SchemeFlag,
        ReturnValue::AppScheme,
        ReturnValue::IosBrowserScheme,
        ReturnValue::PlatformReturn,
    ];

    /// The snake_case name the data files use.
    pub const fn name(self) -> &'static str {
        match self {
            ReturnValue::SchemeFlag => "scheme_flag",
            ReturnValue::AppScheme => "app_scheme",
            ReturnValue::IosBrowserScheme => "ios_browser_scheme",
            ReturnValue::PlatformReturn => "platform_return",
        }
    }
}

/// What the page knows about getting the payer back, for this environment ([`facts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnFacts {
    app_scheme: Option<String>,
    ios_browser_scheme: Option<&'static str>,
    platform_return: Option<String>,
}

impl ReturnFacts {
    /// The value `v` takes here; `None` where it does not apply.
    pub fn value(&self, v: ReturnValue) -> Option<&str> {
        match v {
            ReturnValue::SchemeFlag => Some(if self.app_scheme.is_some() { "1" } else { "0" }),
            ReturnValue::AppScheme => self.app_scheme.as_deref(),
            ReturnValue::IosBrowserScheme => self.ios_browser_scheme,
            ReturnValue::PlatformReturn => self.platform_return.as_deref(),
        }
    }
}

/// How a third-party iOS browser is recognised.
enum Browser {
    /// By the in-app name [`crate::env::detect`] reports.
    InApp(&'static str),
    /// By a lowercase user-agent token (full browsers that are not in-app).
    UaToken(&'static str),
}

/// Third-party iOS browsers whose own scheme brings the payer back after ISP; the confirmed
/// list in KISPG manual 004 §6.3 ("확인된 App Scheme").
const IOS_BROWSER_SCHEMES: &[(Browser, &str)] = &[
    (Browser::InApp("daum"), "daumapps://"),
    (Browser::InApp("naver"), "naversearchapp://"),
    (Browser::UaToken("crios/"), "googlechromes://"),
    (Browser::InApp("facebook"), "fb://"),
    (Browser::InApp("kakaotalk"), "kakaotalk://"),
];

/// Normalises a host app scheme to `scheme://`, accepting `myapp`, `myapp:` and `myapp://`
/// (notes/webview-anchors.md issue table row 10: both forms circulate; PGs want `scheme://`).
pub fn normalize_scheme(host_scheme: &str) -> Result<String, AppReturnError> {
    let trimmed = host_scheme.trim();
    let name = trimmed
        .strip_suffix("://")
        .or_else(|| trimmed.strip_suffix(':'))
        .unwrap_or(trimmed);
    // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    let mut chars = name.chars();
    let starts_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if starts_ok && rest_ok {
        Ok(name.ascii_lower() + "://")
    } else {
        Err(INVALID_SCHEME)
    }
}

/// What getting back means in this environment: the PGs' app-return fields are read from it
/// ([`ReturnFacts::value`]).
///
/// `host_scheme` is the merchant app's registered URL scheme, if the page runs inside it.
/// Schemes are only sent from an embedded browser ([`Environment::webview`]); in a plain
/// mobile browser the PGs return by web redirect.
pub fn facts(
    env: &Environment,
    user_agent: &str,
    host_scheme: Option<&str>,
) -> Result<ReturnFacts, AppReturnError> {
    let scheme = host_scheme.map(normalize_scheme).transpose()?;
    let ios = matches!(env.os, Os::Ios | Os::Ipados);
    let app_scheme = scheme.filter(|_| env.webview);
    let ios_browser_scheme = if ios && !env.webview {
        ios_browser_scheme(env, user_agent)
    } else {
        None
    };
    let platform_return = match (env.webview, env.os) {
        (true, Os::Android) => Some("android".to_string()),
        (true, Os::Ios | Os::Ipados) => app_scheme.clone(),
        _ => None,
    };
    Ok(ReturnFacts {
        app_scheme,
        ios_browser_scheme,
        platform_return,
    })
}

fn ios_browser_scheme(env: &Environment, user_agent: &str) -> Option<&'static str> {
    let ua = user_agent.ascii_lower();
    IOS_BROWSER_SCHEMES
        .iter()
        .find(|(browser, _)| match browser {
            Browser::InApp(name) => env.in_app.as_deref() == Some(*name),
            Browser::UaToken(token) => env.in_app.is_none() && contains_str(&ua, token),
        })
        .map(|(_, scheme)| *scheme)
}

/// Which way out of an in-app browser an [`Escape`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscapeKind {
    /// LINE's documented `openExternalBrowser=1` query parameter.
    LineExternalBrowser,
    /// KakaoTalk's `kakaotalk://web/openExternal` (undocumented by Kakao, widely used).
    KakaotalkOpenExternal,
    /// An Android `intent://` URL that opens Chrome, with a fallback URL.
    AndroidChromeIntent,
}

impl EscapeKind {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            EscapeKind::LineExternalBrowser => "line_external_browser",
            EscapeKind::KakaotalkOpenExternal => "kakaotalk_open_external",
            EscapeKind::AndroidChromeIntent => "android_chrome_intent",
        }
    }
}

/// A URL that reopens the page outside the in-app browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escape {
    pub kind: EscapeKind,
    pub url: String,
}

/// The escape this environment supports, if any. iOS has no reliable programmatic escape
/// (notes/browser-sdk-anchors.md §5.4), and a merchant's own webview must not be escaped.
pub fn escape_for(env: &Environment, page_url: &str) -> Result<Option<Escape>, AppReturnError> {
    let (kind, url) = match (env.in_app.as_deref(), env.os) {
        (Some("line"), _) => (
            EscapeKind::LineExternalBrowser,
            line_external_browser(page_url)?,
        ),
        (Some("kakaotalk"), _) => (
            EscapeKind::KakaotalkOpenExternal,
            kakaotalk_open_external(page_url)?,
        ),
        (Some(_), Os::Android) => (
            EscapeKind::AndroidChromeIntent,
            android_chrome_intent(page_url)?,
        ),
        _ => {
            split_http_url(page_url)?;
            return Ok(None);
        }
    };
    Ok(Some(Escape { kind, url }))
}

/// `page_url` with `openExternalBrowser=1` added to its query (LINE URL-scheme docs, "Open a
/// URL in an external browser"). A URL that already carries it is returned unchanged, so a page
/// reopened in LINE cannot loop.
pub fn line_external_browser(page_url: &str) -> Result<String, AppReturnError> {
    split_http_url(page_url)?;
    let (before_fragment, fragment) = match split_once_ascii(page_url, b'#') {
        Some((head, frag)) => (head, Some(frag)),
        None => (page_url, None),
    };
    let query = split_once_ascii(before_fragment, b'?').map(|(_, q)| q);
    if query.is_some_and(|q| split_ascii(q, b'&').any(|pair| pair == "openExternalBrowser=1")) {
        return Ok(page_url.to_string());
    }
    let separator = match query {
        None => "?",
        Some("") => "",
        Some(q) if q.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut out = concat(&[before_fragment, separator, "openExternalBrowser=1"]);
    if let Some(frag) = fragment {
        out.push('#');
        out.push_str(frag);
    }
    Ok(out)
}

/// `kakaotalk://web/openExternal?url=<page_url, percent-encoded>`; community-established,
/// not documented by Kakao (notes/browser-sdk-anchors.md §5.4).
pub fn kakaotalk_open_external(page_url: &str) -> Result<String, AppReturnError> {
    split_http_url(page_url)?;
    Ok(concat(&[
        "kakaotalk://web/openExternal?url=",
        &encode_component(page_url),
    ]))
}

/// `intent://<host/path?query>#Intent;scheme=<http|https>;package=com.android.chrome;
/// S.browser_fallback_url=<page_url>;end`: Chrome if installed, else the fallback URL in
/// whatever browser handles it (notes/browser-sdk-anchors.md §5.4; Chrome "Android Intents
/// with Chrome" documents `S.browser_fallback_url`). The page's own fragment is dropped from
/// the intent target because `#` starts the intent extras.
pub fn android_chrome_intent(page_url: &str) -> Result<String, AppReturnError> {
    let (scheme, rest) = split_http_url(page_url)?;
    let target = split_once_ascii(rest, b'#').map_or(rest, |(head, _)| head);
    Ok(concat(&[
        "intent://",
        target,
        "#Intent;scheme=",
        scheme,
        ";package=com.android.chrome;S.browser_fallback_url=",
        &encode_component(page_url),
        ";end",
    ]))
}

/// Splits an absolute http(s) URL into its lowercase scheme and what follows `://`.
fn split_http_url(page_url: &str) -> Result<(&'static str, &str), AppReturnError> {
    if page_url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(INVALID_URL);
    }
    let sep = find_str(page_url, "://").ok_or(INVALID_URL)?;
    let (scheme, rest) = (
        page_url.get(..sep).unwrap_or(""),
        page_url.get(sep + 3..).unwrap_or(""),
    );
    let scheme = if scheme.eq_ascii_case("https") {
        "https"
    } else if scheme.eq_ascii_case("http") {
        "http"
    } else {
        return Err(INVALID_URL);
    };
    let host_end = find_any_ascii(rest, b"/?#").unwrap_or(rest.len());
    let authority = rest.get(..host_end).unwrap_or("");
    let host = rsplit_once_ascii(authority, b'@').map_or(authority, |(_, h)| h);
    if host.is_empty() || host.starts_with(':') {
        return Err(INVALID_URL);
    }
    Ok((scheme, rest))
}

/// Percent-encodes everything but RFC 3986 unreserved characters and the few that
/// `encodeURIComponent` also keeps, byte by byte over UTF-8.
fn encode_component(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}
