//! Environment detection from the user agent, `navigator.maxTouchPoints` and a few window
//! probes.
//!
//! Pure function of its inputs, so the same table of user agents drives native and
//! browser tests (`tests/data/user-agents.json`). The token rules re-implement the
//! behaviour documented in `notes/browser-sdk-anchors.md` §5 (no regex tables are copied;
//! ua-parser-js v2 is AGPL).

use crate::prelude::*;
use crate::text::AsciiCase as _;

use crate::text::{contains_str, find_str};
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

impl Os {
    /// The lowercase name, as serialized (the browser build writes it without serde).
    pub fn as_str(self) -> &'static str {
        match self {
            Os::Android => "android",
            Os::Ios => "ios",
            Os::Ipados => "ipados",
            Os::Windows => "windows",
            Os::Macos => "macos",
            Os::Linux => "linux",
            Os::Other => "other",
        }
    }
}

/// Device class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    Mobile,
    Tablet,
    Desktop,
}

impl Device {
    /// The lowercase name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Device::Mobile => "mobile",
            Device::Tablet => "tablet",
            Device::Desktop => "desktop",
        }
    }
}

/// How a payment window should be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WindowMode {
    Popup,
    Iframe,
    Redirect,
}

impl WindowMode {
    /// The lowercase name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            WindowMode::Popup => "popup",
            WindowMode::Iframe => "iframe",
            WindowMode::Redirect => "redirect",
        }
    }
}

/// What hanpay knows about the visitor's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub os: Os,
    pub device: Device,
    /// Lowercase name of a third-party in-app browser (`kakaotalk`, `naver`, …), if any.
    pub in_app: Option<String>,
    /// A generic Android WebView or iOS WKWebView: an embedded browser that is not one of
    /// the named in-app browsers (typically the merchant's own hybrid app).
    pub webview: bool,
    /// The window mode hanpay recommends here.
    pub mode: WindowMode,
    /// The hybrid host app the page declared (see [`Probes::host_app`]). Omitted from JSON
    /// when absent, so the user-agent-only shape stays `{os, device, in_app, webview, mode}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_app: Option<String>,
}

/// Facts only the page itself can see; all default to "absent".
///
/// A native bridge object proves an embedding app even when the app kept the stock browser
/// user agent (KISPG manual §6.2 warns against changing it: card ACS pages check it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Probes {
    /// The hybrid host app the page declares it runs in (e.g. a `data-hanpay-host-app`
    /// attribute or an option set by the merchant's app). Trimmed and lowercased.
    pub host_app: Option<String>,
    /// `window.ReactNativeWebView` exists (react-native-webview injects it).
    pub react_native_webview: bool,
    /// `window.webkit.messageHandlers` exists (only a WKWebView with script handlers has it).
    pub webkit_message_handlers: bool,
    /// A JavaScript interface added by an Android app (`addJavascriptInterface`) was found.
    pub android_bridge: bool,
}

/// How a user-agent token must sit in the string.
#[derive(Clone, Copy)]
enum Edge {
    /// Anywhere.
    Any,
    /// Not preceded by a letter or digit (so `line/` does not match `outline/`).
    WordStart,
}

/// One in-app browser rule: lowercase token, placement, app name.
struct InAppRule {
    token: &'static str,
    edge: Edge,
    app: &'static str,
}

/// In-app browser rules, checked in order; the first match names the app.
///
/// Order matters: `naver(inapp` is checked before anything Whale-like because NAVER's Android
/// app UA also carries `Whale/` (notes/browser-sdk-anchors.md §5.2, §5.3). Samsung Internet
/// and Whale are full browsers and deliberately absent.
const IN_APP_RULES: &[InAppRule] = &[
    // KakaoTalk; `kakaotalk-scrap` is the link-preview bot, excluded in `matches_token`.
    InAppRule {
        token: "kakaotalk",
        edge: Edge::Any,
        app: "kakaotalk",
    },
    InAppRule {
        token: "kakaostory",
        edge: Edge::Any,
        app: "kakaostory",
    },
    InAppRule {
        token: "naver(inapp",
        edge: Edge::Any,
        app: "naver",
    },
    InAppRule {
        token: "daumapps",
        edge: Edge::Any,
        app: "daum",
    },
    InAppRule {
        token: "everytimeapp",
        edge: Edge::Any,
        app: "everytime",
    },
    // LINE: iOS `Safari Line/8.4.1`, Android `Line/6.5.1/IAB`.
    InAppRule {
        token: "line/",
        edge: Edge::WordStart,
        app: "line",
    },
    InAppRule {
        token: "instagram",
        edge: Edge::WordStart,
        app: "instagram",
    },
    // Threads' in-app browser identifies as its code name.
    InAppRule {
        token: "barcelona",
        edge: Edge::WordStart,
        app: "threads",
    },
    InAppRule {
        token: "fb_iab/messenger",
        edge: Edge::Any,
        app: "messenger",
    },
    InAppRule {
        token: "fban/messenger",
        edge: Edge::Any,
        app: "messenger",
    },
    InAppRule {
        token: "fban/",
        edge: Edge::WordStart,
        app: "facebook",
    },
    InAppRule {
        token: "fbav/",
        edge: Edge::WordStart,
        app: "facebook",
    },
    InAppRule {
        token: "fb_iab/",
        edge: Edge::WordStart,
        app: "facebook",
    },
    InAppRule {
        token: "micromessenger/",
        edge: Edge::WordStart,
        app: "wechat",
    },
    InAppRule {
        token: "musical_ly",
        edge: Edge::Any,
        app: "tiktok",
    },
    InAppRule {
        token: "bytedancewebview",
        edge: Edge::Any,
        app: "tiktok",
    },
    InAppRule {
        token: "twitter for",
        edge: Edge::WordStart,
        app: "twitter",
    },
    InAppRule {
        token: "snapchat",
        edge: Edge::WordStart,
        app: "snapchat",
    },
    InAppRule {
        token: "linkedinapp",
        edge: Edge::Any,
        app: "linkedin",
    },
];

/// Detects the environment from a user agent and `navigator.maxTouchPoints` alone.
pub fn detect(user_agent: &str, max_touch_points: u32) -> Environment {
    detect_with(user_agent, max_touch_points, &Probes::default())
}

/// Detects the environment from a user agent, `navigator.maxTouchPoints` and window probes.
pub fn detect_with(user_agent: &str, max_touch_points: u32, probes: &Probes) -> Environment {
    let ua = user_agent.ascii_lower();
    let os = detect_os(&ua, max_touch_points);
    let device = match os {
        Os::Ipados => Device::Tablet,
        // Android tablets drop the `Mobile` token (Chrome's documented UA convention).
        Os::Android if !contains_str(&ua, "mobile") => Device::Tablet,
        Os::Android | Os::Ios => Device::Mobile,
        _ => Device::Desktop,
    };
    let in_app = IN_APP_RULES
        .iter()
        .find(|rule| matches_token(&ua, rule))
        .map(|rule| rule.app.to_string());
    let host_app = probes
        .host_app
        .as_deref()
        .map(|name| name.trim().ascii_lower())
        .filter(|name| !name.is_empty());
    let bridge =
        probes.react_native_webview || probes.webkit_message_handlers || probes.android_bridge;
    let webview = in_app.is_none() && (host_app.is_some() || bridge || ua_says_webview(&ua, os));
    let mode = if device == Device::Desktop && in_app.is_none() && !webview {
        WindowMode::Popup
    } else {
        // KISPG manual §6.1: inside NAVER/KakaoTalk a new window (_blank) may break the
        // payment, use _self; the same holds for every embedded or touch browser.
        WindowMode::Redirect
    };
    Environment {
        os,
        device,
        in_app,
        webview,
        mode,
        host_app,
    }
}

fn detect_os(ua: &str, max_touch_points: u32) -> Os {
    if contains_str(ua, "android") {
        Os::Android
    } else if contains_str(ua, "iphone") || contains_str(ua, "ipod") {
        Os::Ios
    } else if contains_str(ua, "ipad") || (contains_str(ua, "macintosh") && max_touch_points > 1) {
        // iPadOS 13+ reports a desktop Safari UA; touch points give it away
        // (notes/browser-sdk-anchors.md §5.2, PortOne v2 getDeviceInfo).
        Os::Ipados
    } else if contains_str(ua, "windows") {
        Os::Windows
    } else if contains_str(ua, "mac os x") || contains_str(ua, "macintosh") {
        Os::Macos
    } else if contains_str(ua, "linux") || contains_str(ua, "x11") || contains_str(ua, "cros") {
        Os::Linux
    } else {
        Os::Other
    }
}

/// The generic embedded-browser heuristics (notes/browser-sdk-anchors.md §5.2): Android
/// WebView adds `; wv)`; an iOS WKWebView lacks the `Safari/` token every iOS browser sends.
fn ua_says_webview(ua: &str, os: Os) -> bool {
    match os {
        Os::Android => contains_str(ua, "; wv)"),
        Os::Ios | Os::Ipados => contains_str(ua, "applewebkit") && !contains_str(ua, "safari/"),
        _ => false,
    }
}

fn matches_token(ua: &str, rule: &InAppRule) -> bool {
    let mut from = 0;
    while let Some(found) = ua.get(from..).and_then(|rest| find_str(rest, rule.token)) {
        let at = from + found;
        let end = at + rule.token.len();
        let before = ua.get(..at).and_then(|head| head.chars().next_back());
        let after = ua.get(end..).unwrap_or("");
        let edge_ok = match rule.edge {
            Edge::Any => true,
            Edge::WordStart => !before.is_some_and(|c| c.is_ascii_alphanumeric()),
        };
        // The KakaoTalk link-preview crawler says `kakaotalk-scrap` and links `kakaotalk-…`
        // pages; the browser token is never followed by `-` (notes/browser-sdk-anchors.md §5.2).
        let is_bot = rule.app == "kakaotalk" && after.starts_with('-');
        if edge_ok && !is_bot {
            return true;
        }
        from = end;
    }
    false
}
