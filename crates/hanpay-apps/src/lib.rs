//! App launches from Android WebViews and iOS WKWebViews (issue 3).
//!
//! Korean PG payment windows navigate to app URLs — `intent://…#Intent;scheme=ispmobile;…;end`,
//! `kftc-bankpay://…`, app-card, easy-pay, PASS, certificate and vaccine schemes. A WebView cannot
//! load them (`ERR_UNKNOWN_URL_SCHEME`); the host app must decide, per navigation, whether the
//! WebView keeps the URL, the OS gets a sanitized launch, or nothing happens. KSNET's manual says
//! exactly this: the WebViewClient must analyse each URL and decide between the browser and a
//! specific app (seeds/002 KSNET manual, "(4) 안드로이드 App 샘플 추가 정보").
//!
//! - [`table`]: the one scheme/package table, generated at build time from `data/apps.json`;
//! - [`intent`]: a parser for Android `intent:` URLs faithful to `Intent.parseUri`;
//! - [`classify()`]: the decision for one URL, under the default [`Policy`] ([`classify_with`]
//!   takes another one);
//! - [`manifest`]: the Android `<queries>` block and the iOS `LSApplicationQueriesSchemes` array.
//!
//! ```
//! use hanpay_apps::{classify, Action, Platform};
//! let d = classify(
//!     "intent://TID=INIMX_ISPtest#Intent;scheme=ispmobile;package=kvp.jjy.MispAndroid320;end",
//!     Platform::Android,
//! );
//! assert_eq!(d.action, Action::Launch);
//! assert_eq!(d.launch_url.as_deref(), Some("ispmobile://TID=INIMX_ISPtest"));
//! assert_eq!(d.store_url.as_deref(), Some("market://details?id=kvp.jjy.MispAndroid320"));
//! ```

#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

/// `crate::prelude`: the `alloc` items std's prelude would bring (the crate is `no_std`).
use hanpay_text::prelude;

use crate::prelude::*;
/// The text helpers, under the name the modules of this crate use (`crate::text`).
use hanpay_text as text;
use hanpay_text::AsciiCase as _;

mod classify;
pub mod intent;
pub mod manifest;
pub mod table;
pub(crate) mod uri;

use core::fmt;
use core::str::FromStr;
use serde::Serialize;

pub use classify::{classify, classify_with};
pub use intent::{parse_intent, Component, Extra, ExtraValue, Intent, IntentError};
pub use manifest::{android_queries_manifest, ios_queries_plist};
pub use table::{lookup, App};

/// The OS the WebView runs on; it decides which half of the table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Android,
    Ios,
}

impl Platform {
    /// The lowercase name used by the CLI, the JS API and `tests/data/classify.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `platform` was neither `android` nor `ios`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformError {
    /// What was given (truncated for the message only).
    pub given: String,
}

impl PlatformError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        "platform-unknown"
    }
}

impl fmt::Display for PlatformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.given.chars().take(32).collect();
        write!(
            f,
            "platform: must be \"android\" or \"ios\", got {shown:?} ({})",
            self.code()
        )
    }
}

impl core::error::Error for PlatformError {}

impl FromStr for Platform {
    type Err = PlatformError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ascii_case("android") {
            Ok(Platform::Android)
        } else if s.eq_ascii_case("ios") {
            Ok(Platform::Ios)
        } else {
            Err(PlatformError {
                given: s.to_string(),
            })
        }
    }
}

/// Which app URLs may leave the WebView (issue 17 item 4; README "Launch policy").
///
/// Both policies load web URLs and block `blocked_schemes`, `dangerous_schemes` and unsafe
/// intents of `data/apps.json`; they differ only for custom schemes that are not in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Policy {
    /// Launch every other scheme, with a package and a store fallback when the table knows it.
    /// Payment pages reach schemes no table lists (a merchant's own return scheme, a new bank
    /// app), and blocking them strands the user (webview-anchors.md §1 ranks 5 and 9).
    #[default]
    Default,
    /// Launch only schemes the table has for the platform (plus store pages); block every other
    /// scheme with reason `unlisted-scheme`. For apps that know every app their PG reaches.
    Strict,
}

impl Policy {
    /// The lowercase name used by the C ABI, JNI and `tests/data/classify.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Default => "default",
            Policy::Strict => "strict",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `policy` was neither `default` nor `strict`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// What was given (truncated for the message only).
    pub given: String,
}

impl PolicyError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        "policy-unknown"
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.given.chars().take(32).collect();
        write!(
            f,
            "policy: must be \"default\" or \"strict\", got {shown:?} ({})",
            self.code()
        )
    }
}

impl core::error::Error for PolicyError {}

impl FromStr for Policy {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ascii_case("default") {
            Ok(Policy::Default)
        } else if s.eq_ascii_case("strict") {
            Ok(Policy::Strict)
        } else {
            Err(PolicyError {
                given: s.to_string(),
            })
        }
    }
}

/// What the host app does with the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The WebView keeps it.
    Load,
    /// Hand `launch_url` to the OS (Android: VIEW + BROWSABLE, optional package; iOS: `UIApplication.open`).
    Launch,
    /// Neither load nor launch.
    Block,
}

impl Action {
    /// The lowercase name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Load => "load",
            Action::Launch => "launch",
            Action::Block => "block",
        }
    }
}

/// Why an app is launched; the ten categories of issue 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Isp,
    Appcard,
    Bank,
    Easypay,
    Identity,
    Certificate,
    Vaccine,
    Store,
    Browser,
    Other,
}

impl Category {
    /// The lowercase name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Isp => "isp",
            Category::Appcard => "appcard",
            Category::Bank => "bank",
            Category::Easypay => "easypay",
            Category::Identity => "identity",
            Category::Certificate => "certificate",
            Category::Vaccine => "vaccine",
            Category::Store => "store",
            Category::Browser => "browser",
            Category::Other => "other",
        }
    }
}

/// The decision for one URL. Serialized with serde it is exactly the CLI's JSON line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub action: Action,
    /// Lowercase scheme of the URL (for intents: of the target data URL).
    pub scheme: Option<String>,
    /// Android package to pin the launch to (from the intent, else the table); `None` on iOS.
    pub package: Option<String>,
    pub category: Option<Category>,
    /// The sanitized URL to hand to the OS (launch, and universal links).
    pub launch_url: Option<String>,
    /// The intent's `S.browser_fallback_url`, only when it is an absolute http(s) URL.
    pub fallback_url: Option<String>,
    /// Where to send the user when the app is missing (`market://…`, `https://apps.apple.com/kr/app/id…`).
    pub store_url: Option<String>,
    /// iOS only, with action `load`: the URL is an app's universal link (PASS, Toss, KakaoTalk)
    /// that WKWebView never hands to the app itself. Call `UIApplication.open(launch_url,
    /// options: [.universalLinksOnly: true])` first and let the WebView load the URL only when
    /// that reports `false` (README "iOS universal links").
    pub universal_link: bool,
    /// Short stable kebab-case code (see [`classify()`]).
    pub reason: String,
}
