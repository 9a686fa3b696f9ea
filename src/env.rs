//! Environment detection from the user agent and a few window probes.
//!
//! Pure function of its inputs, so the same table of user agents drives native and
//! browser tests (`tests/data/user-agents.json`).

use serde::Serialize;

/// Operating system family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Android,
    Ios,
    Ipados,
    Windows,
    Macos,
    Linux,
    Other,
}

/// Device class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    Mobile,
    Tablet,
    Desktop,
}

/// How a payment window should be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WindowMode {
    Popup,
    Iframe,
    Redirect,
}

/// What hanpay knows about the visitor's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub os: Os,
    pub device: Device,
    /// Lowercase name of the in-app browser (`kakaotalk`, `naver`, …), if any.
    pub in_app: Option<String>,
    /// A generic Android WebView or iOS WKWebView.
    pub webview: bool,
    /// The window mode hanpay recommends here.
    pub mode: WindowMode,
}

/// In-app browser tokens, checked in order. `NAVER(inapp` must precede anything that would
/// also match NAVER's Whale-based UAs (notes/browser-sdk-anchors.md, in-app UA pitfalls).
const IN_APP_TOKENS: &[(&str, &str)] = &[
    ("kakaotalk", "kakaotalk"),
    ("naver(inapp", "naver"),
    ("daumapps", "daum"),
    ("line/", "line"),
    ("instagram", "instagram"),
    ("fban", "facebook"),
    ("fbav", "facebook"),
];

/// Detects the environment from a user agent and `navigator.maxTouchPoints`.
pub fn detect(user_agent: &str, max_touch_points: u32) -> Environment {
    let ua = user_agent.to_ascii_lowercase();
    let os = if ua.contains("android") {
        Os::Android
    } else if ua.contains("iphone") || ua.contains("ipod") {
        Os::Ios
    } else if ua.contains("ipad") || (ua.contains("macintosh") && max_touch_points > 1) {
        // iPadOS 13+ reports a desktop Safari UA; touch points give it away.
        Os::Ipados
    } else if ua.contains("windows") {
        Os::Windows
    } else if ua.contains("mac os x") || ua.contains("macintosh") {
        Os::Macos
    } else if ua.contains("linux") || ua.contains("x11") {
        Os::Linux
    } else {
        Os::Other
    };
    let device = match os {
        Os::Ipados => Device::Tablet,
        Os::Android if !ua.contains("mobile") => Device::Tablet,
        Os::Android | Os::Ios => Device::Mobile,
        _ => Device::Desktop,
    };
    let in_app = IN_APP_TOKENS
        .iter()
        .find(|(token, _)| ua.contains(token))
        .map(|(_, name)| (*name).to_string());
    let webview = in_app.is_none() && os == Os::Android && ua.contains("; wv)");
    let mode = if device == Device::Desktop && in_app.is_none() && !webview {
        WindowMode::Popup
    } else {
        WindowMode::Redirect
    };
    Environment {
        os,
        device,
        in_app,
        webview,
        mode,
    }
}
