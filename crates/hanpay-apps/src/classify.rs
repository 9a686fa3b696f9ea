//! The decision for one URL seen by a WebView (issue 3, "Classification").
//!
//! Reasons (stable codes):
//! - `web` — load: a web scheme (`http`, `https`, `about`, `blob`; `data/apps.json` web_schemes);
//! - `store-link` — launch: an https Play Store / App Store / ONE store page, which must open
//!   outside the WebView (portone_flutter treats Play links as app links; Toss Android PR #25 for
//!   ONE store; KCP iOS sample for itunes/phobos hosts);
//! - `intent` — launch: an Android `intent:` URL rebuilt as a plain `scheme://…` data URL;
//! - `universal-link` — load, iOS only: an https URL that is an app's universal link
//!   (`ios.universal_links` in the table: PASS, Toss, KakaoTalk). WKWebView never opens the app
//!   for it, so the decision says `universal_link: true` and carries `launch_url` for
//!   `UIApplication.open(_:options: [.universalLinksOnly: true])` (app-table-gaps.md §5);
//! - `known-scheme` / `unknown-scheme` — launch: a bare custom scheme, found in the table or not
//!   (unknown ones launch without a package under the default policy: Bootpay and PortOne
//!   Android drop them, which strands the user on `ERR_UNKNOWN_URL_SCHEME`, webview-anchors.md
//!   §1 rank 5 and 9);
//! - `unlisted-scheme` — block, strict policy only: a custom scheme (bare or an intent's target)
//!   that the table does not have for this platform;
//! - `blocked-scheme` — block: `javascript:`, `data:`, `file:`, `content:` … (`blocked_schemes`);
//! - `dangerous-scheme` — block: a scheme that installs software, changes settings, starts a call
//!   without asking or shows browser internals (`itms-services:`, `shortcuts:`, `prefs:`,
//!   `facetime:`, `view-source:` …; `dangerous_schemes`, each with its risk and source), bare or as
//!   an intent's target, under both policies;
//! - `unsafe-intent` — block: an intent that cannot be made safe: no data URL, a target scheme
//!   that is blocked or not a scheme, an action other than VIEW, or a malformed package;
//! - `malformed-intent` — block: Android's own parser would reject it;
//! - `malformed-url` — block: no scheme at all (relative or garbage);
//! - `empty` — block: nothing (or only whitespace/controls) was given.
//!
//! Android launches follow Google Play's "Intent Scheme Hijacking" remediation
//! (support.google.com/faqs/answer/9101196): only VIEW + CATEGORY_BROWSABLE on the data URL, with
//! no component, no selector and no extras — the decision carries nothing else to launch.

use crate::prelude::*;

use super::{intent, table, uri, Action, Category, Decision, Platform, Policy};

const VIEW: &str = "android.intent.action.VIEW";

fn decision(action: Action, scheme: Option<String>, reason: &str) -> Decision {
    Decision {
        action,
        scheme,
        package: None,
        category: None,
        launch_url: None,
        fallback_url: None,
        store_url: None,
        universal_link: false,
        reason: reason.to_string(),
    }
}

fn block(scheme: Option<String>, reason: &str) -> Decision {
    decision(Action::Block, scheme, reason)
}

/// `scheme` + sanitized `rest`: the scheme lowercase because Android matches intent-filter
/// schemes case-sensitively and documents them lowercase (`Uri.normalizeScheme`).
fn rebuild(scheme: &str, rest: &str) -> String {
    crate::text::concat(&[scheme, ":", &uri::sanitize(rest)])
}

/// Store URL for a missing app: Play via `market://details?id=` (what every SDK uses,
/// webview-anchors.md §3.3), App Store via the Korean storefront page.
fn store_url(
    platform: Platform,
    package: Option<&str>,
    app: Option<&table::App>,
) -> Option<String> {
    if app.is_some_and(|a| a.category == Category::Store) {
        return None;
    }
    match platform {
        Platform::Android => package.map(|p| crate::text::concat(&["market://details?id=", p])),
        Platform::Ios => app
            .and_then(|a| a.appstore_id)
            .map(|id| crate::text::concat(&["https://apps.apple.com/kr/app/id", id])),
    }
}

/// Only absolute http(s) fallbacks are honoured: anything else in `S.browser_fallback_url` could
/// smuggle a `javascript:` or `intent:` URL back into the WebView, and a string that merely starts
/// with `https:` (`https:javascript:alert(1)`, security-review.md §10) is no URL a host can load.
/// [`uri::absolute_http_url`] is the check on every target; natively the `url` crate (the WHATWG
/// parser) must accept the result too. The browser build does without it: `url` brings IDNA and
/// its Unicode tables, many times the 50 KB package budget (docs/size.md), and the own check is a
/// subset of what `url` accepts (property test in `uri`).
fn web_fallback(raw: Option<&str>) -> Option<String> {
    let cleaned = uri::clean(raw?);
    let (scheme, rest) = uri::split_scheme(&cleaned)?;
    if !matches!(scheme.as_str(), "http" | "https") {
        return None;
    }
    let rebuilt = rebuild(&scheme, rest);
    if !uri::absolute_http_url(&rebuilt) {
        return None;
    }
    #[cfg(not(target_arch = "wasm32"))]
    if !url::Url::parse(&rebuilt)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
    {
        return None;
    }
    Some(rebuilt)
}

fn launch(
    platform: Platform,
    scheme: String,
    rest: &str,
    intent_package: Option<String>,
    reason: &str,
    policy: Policy,
) -> Decision {
    let app = table::lookup(platform, &scheme);
    if policy == Policy::Strict && app.is_none() {
        return block(Some(scheme), "unlisted-scheme");
    }
    let package = match platform {
        Platform::Android => {
            intent_package.or_else(|| app.and_then(|a| a.package).map(str::to_string))
        }
        Platform::Ios => None,
    };
    let category = app
        .map(|a| a.category)
        .or_else(|| package.as_deref().and_then(table::category_by_package));
    let reason = match (reason, app) {
        ("scheme", Some(_)) => "known-scheme",
        ("scheme", None) => "unknown-scheme",
        (other, _) => other,
    };
    Decision {
        action: Action::Launch,
        launch_url: Some(rebuild(&scheme, rest)),
        store_url: store_url(platform, package.as_deref(), app),
        package,
        category,
        scheme: Some(scheme),
        fallback_url: None,
        universal_link: false,
        reason: reason.to_string(),
    }
}

/// http(s): store pages leave the WebView, everything else stays.
fn web(platform: Platform, scheme: String, rest: &str) -> Decision {
    if matches!(scheme.as_str(), "http" | "https") {
        let (host, path) = uri::host_and_path(rest);
        if let Some(link) = table::store_link(platform, &host, path) {
            let mut d = decision(Action::Launch, Some(scheme.clone()), "store-link");
            d.launch_url = Some(rebuild(&scheme, rest));
            d.category = Some(Category::Store);
            d.package = match platform {
                Platform::Android => link.package.map(str::to_string),
                Platform::Ios => None,
            };
            return d;
        }
        // Universal links are https only (Apple: "Supporting universal links in your app").
        if platform == Platform::Ios && scheme == "https" {
            if let Some(app) = table::universal_link(&host, path) {
                let mut d = decision(Action::Load, Some(scheme.clone()), "universal-link");
                d.launch_url = Some(rebuild(&scheme, rest));
                d.category = Some(app.category);
                d.universal_link = true;
                return d;
            }
        }
    }
    decision(Action::Load, Some(scheme), "web")
}

fn classify_intent(url: &str, platform: Platform, policy: Policy) -> Decision {
    let Ok(parsed) = intent::parse_intent(url) else {
        return block(Some("intent".into()), "malformed-intent");
    };
    let unsafe_intent = |scheme: Option<String>| block(scheme, "unsafe-intent");
    if parsed.action.as_deref().is_some_and(|a| a != VIEW) {
        return unsafe_intent(Some("intent".into()));
    }
    let Some(data) = parsed.data.as_deref() else {
        return unsafe_intent(Some("intent".into()));
    };
    let data = uri::clean(data);
    let Some((scheme, rest)) = uri::split_scheme(&data) else {
        return unsafe_intent(Some("intent".into()));
    };
    // Only http(s) among web schemes makes sense as an app target; about:/blob: belong to a page.
    let web_target = matches!(scheme.as_str(), "http" | "https");
    if table::is_blocked(&scheme) || (table::is_web(&scheme) && !web_target) {
        return unsafe_intent(Some(scheme));
    }
    if table::is_dangerous(&scheme) {
        return block(Some(scheme), "dangerous-scheme");
    }
    let fallback_url = web_fallback(parsed.browser_fallback_url());
    // An empty `package=` (a template variable left blank) means "no package", not a bad one.
    let package = match parsed.package.filter(|p| !p.is_empty()) {
        Some(p) if !uri::valid_package(&p) => return unsafe_intent(Some(scheme)),
        other => other,
    };
    let mut d = launch(platform, scheme, rest, package, "intent", policy);
    if d.action != Action::Launch {
        return d;
    }
    d.fallback_url = fallback_url;
    d
}

/// Classifies one navigation URL for a WebView on `platform` under the default [`Policy`].
/// Never panics; linear time.
///
/// ```
/// use hanpay_apps::{classify, Action, Platform};
/// assert_eq!(classify("https://pg.example/pay", Platform::Ios).action, Action::Load);
/// assert_eq!(classify("JavaScript:alert(1)", Platform::Android).action, Action::Block);
/// let d = classify("kakaotalk://kakaopay/pg?url=x", Platform::Ios);
/// assert_eq!(d.store_url.as_deref(), Some("https://apps.apple.com/kr/app/id362057947"));
/// ```
pub fn classify(url: &str, platform: Platform) -> Decision {
    classify_with(url, platform, Policy::Default)
}

/// [`classify()`] under `policy`.
///
/// ```
/// use hanpay_apps::{classify_with, Action, Platform, Policy};
/// let d = classify_with("myshop://return", Platform::Android, Policy::Strict);
/// assert_eq!((d.action, d.reason.as_str()), (Action::Block, "unlisted-scheme"));
/// let d = classify_with("ispmobile://?TID=1", Platform::Android, Policy::Strict);
/// assert_eq!(d.action, Action::Launch);
/// ```
pub fn classify_with(url: &str, platform: Platform, policy: Policy) -> Decision {
    let cleaned = uri::clean(url);
    if cleaned.is_empty() {
        return block(None, "empty");
    }
    let Some((scheme, rest)) = uri::split_scheme(&cleaned) else {
        return block(None, "malformed-url");
    };
    if scheme == "intent" {
        return classify_intent(&cleaned, platform, policy);
    }
    if table::is_web(&scheme) {
        return web(platform, scheme, rest);
    }
    if table::is_blocked(&scheme) {
        return block(Some(scheme), "blocked-scheme");
    }
    if table::is_dangerous(&scheme) {
        return block(Some(scheme), "dangerous-scheme");
    }
    launch(platform, scheme, rest, None, "scheme", policy)
}
