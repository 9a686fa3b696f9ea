//! The scheme/package table, compiled from `data/apps.json` by `build.rs`.
//!
//! The data file is the single source of truth (sources and conflict resolutions live there);
//! this module only looks rows up. Rows are sorted by scheme at build time, so lookups are
//! binary searches over static arrays and the wasm build carries no JSON.

use super::{Category, Platform};

/// One app as seen from one platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct App {
    /// Lowercase URL scheme on this platform.
    pub scheme: &'static str,
    /// Android package (also filled on iOS rows when the app has one, for reference).
    pub package: Option<&'static str>,
    /// Numeric App Store id (`https://apps.apple.com/kr/app/id<N>`).
    pub appstore_id: Option<&'static str>,
    pub category: Category,
    /// Korean name. Not in the browser build, which never shows names.
    #[cfg(not(target_arch = "wasm32"))]
    pub name_ko: &'static str,
    /// English name. Not in the browser build.
    #[cfg(not(target_arch = "wasm32"))]
    pub name_en: &'static str,
}

/// An https host whose links open outside the WebView (store pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreLink {
    pub host: &'static str,
    pub path_prefix: &'static str,
    pub android: bool,
    pub ios: bool,
    pub package: Option<&'static str>,
}

/// An https prefix that iOS opens in an app (an Apple universal link) rather than in a WebView.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UniversalLink {
    pub host: &'static str,
    pub path_prefix: &'static str,
    /// The iOS scheme of the app's row, to find its category.
    pub scheme: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/apps_table.rs"));

fn rows(platform: Platform) -> &'static [App] {
    match platform {
        Platform::Android => ANDROID,
        Platform::Ios => IOS,
    }
}

/// The table row for a lowercase `scheme` on `platform`. Apps that use different schemes per
/// platform (Woori WON, NAVER) are only found under the platform's own scheme.
pub fn lookup(platform: Platform, scheme: &str) -> Option<&'static App> {
    let rows = rows(platform);
    rows.binary_search_by(|row| row.scheme.cmp(scheme))
        .ok()
        .and_then(|i| rows.get(i))
}

/// The category of the Android rows naming `package`, when they all agree (gives a category to
/// intents whose scheme is unknown). An app whose schemes serve several purposes — KakaoTalk:
/// kakaotalk pays, kakaolink shares, kakaokompassauth logs in — says nothing about an unknown
/// one, so it gives none.
pub(crate) fn category_by_package(package: &str) -> Option<Category> {
    let mut rows = ANDROID.iter().filter(|row| row.package == Some(package));
    let first = rows.next()?.category;
    rows.all(|row| row.category == first).then_some(first)
}

pub(crate) fn is_web(scheme: &str) -> bool {
    WEB_SCHEMES.contains(&scheme)
}

pub(crate) fn is_blocked(scheme: &str) -> bool {
    BLOCKED_SCHEMES.contains(&scheme)
}

/// Schemes the default policy blocks (`dangerous_schemes`: installs, settings, calls, browser
/// internals); the data file gives the risk and the source of each.
pub(crate) fn is_dangerous(scheme: &str) -> bool {
    DANGEROUS_SCHEMES.contains(&scheme)
}

/// The iOS app whose universal link matches a lowercase `host` and a `path`.
pub(crate) fn universal_link(host: &str, path: &str) -> Option<&'static App> {
    UNIVERSAL_LINKS
        .iter()
        .find(|link| link.host == host && has_path_prefix(path, link.path_prefix))
        .and_then(|link| lookup(Platform::Ios, link.scheme))
}

/// `path` as [`super::uri::host_and_path`] gives it: it may start with `?` or `#` or be empty
/// when the URL has no path, which an https URL reads as `/` (WHATWG URL: special schemes always
/// have a path). `https://ul.toss.im?scheme=…` (Toss) has exactly that shape.
fn has_path_prefix(path: &str, prefix: &str) -> bool {
    if path.starts_with('/') {
        path.starts_with(prefix)
    } else {
        prefix == "/"
    }
}

/// The store link matching a lowercase `host` and a `path` on `platform`.
pub(crate) fn store_link(platform: Platform, host: &str, path: &str) -> Option<&'static StoreLink> {
    STORE_LINKS.iter().find(|link| {
        let on_platform = match platform {
            Platform::Android => link.android,
            Platform::Ios => link.ios,
        };
        on_platform && link.host == host && path.starts_with(link.path_prefix)
    })
}

/// Packages for the Android `<queries>` block, in table order, with their English names.
pub(crate) fn android_query_packages() -> &'static [(&'static str, &'static str)] {
    ANDROID_QUERY_PACKAGES
}

/// Schemes for `LSApplicationQueriesSchemes`, ordered by how many sources name them (then table
/// order), with their English names.
pub(crate) fn ios_query_schemes() -> &'static [(&'static str, &'static str)] {
    IOS_QUERY_SCHEMES
}
