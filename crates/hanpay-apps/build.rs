//! Generator for the app table: reads `data/apps.json` (the one scheme/package table, issue 3),
//! validates it, and writes `OUT_DIR/apps_table.rs` with static arrays that `src/table.rs`
//! includes. Doing this at build time keeps a JSON parser out of the wasm build, and a broken
//! row fails the build instead of misrouting a payment at run time.

// A build script runs on the build machine and is never linked: crates/clippy.toml's size
// rules are for the browser package.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

const CATEGORIES: [(&str, &str); 10] = [
    ("isp", "Isp"),
    ("appcard", "Appcard"),
    ("bank", "Bank"),
    ("easypay", "Easypay"),
    ("identity", "Identity"),
    ("certificate", "Certificate"),
    ("vaccine", "Vaccine"),
    ("store", "Store"),
    ("browser", "Browser"),
    ("other", "Other"),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Read only to enforce the schema; the text is for people.
    #[serde(rename = "about")]
    _about: String,
    web_schemes: SchemeList,
    blocked_schemes: SchemeList,
    dangerous_schemes: Vec<DangerousScheme>,
    store_links: Vec<StoreLink>,
    apps: Vec<App>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeList {
    schemes: Vec<String>,
    source: String,
}

/// A scheme the default policy blocks because what it does on the device is not a payment step
/// (installing software, changing settings, starting a call, browser internals).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DangerousScheme {
    scheme: String,
    /// Read only to enforce the schema; the text is for people.
    #[serde(rename = "risk")]
    _risk: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreLink {
    host: String,
    path_prefix: String,
    platforms: Vec<String>,
    package: Option<String>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct App {
    name_ko: String,
    name_en: String,
    category: String,
    android: Option<Android>,
    ios: Option<Ios>,
    sources: Vec<String>,
    #[serde(rename = "notes")]
    _notes: Option<String>,
    conflict: Option<Conflict>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Android {
    scheme: Option<String>,
    package: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ios {
    scheme: String,
    appstore_id: Option<String>,
    #[serde(default)]
    universal_links: Vec<UniversalLink>,
}

/// An https prefix that iOS hands to the app (an Apple universal link) instead of loading it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UniversalLink {
    host: String,
    path_prefix: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Conflict {
    sources_disagree: String,
    resolution: String,
}

/// Schemes are stored lowercase (Android matches schemes case-sensitively and documents
/// lowercase; RFC 3986 §3.1 makes them case-insensitive). `_` is allowed because real
/// schemes use it (`shinhan-sr-ansimclick_samsungpay`, PortOne RN appScheme.ts).
fn valid_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '+' | '-' | '.' | '_'))
}

/// Java package names as Android accepts them: two or more dot-separated identifiers.
fn valid_package(s: &str) -> bool {
    s.split('.').count() >= 2
        && s.split('.').all(|part| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn category_variant(name: &str) -> &'static str {
    match CATEGORIES.iter().find(|(key, _)| *key == name) {
        Some((_, variant)) => variant,
        None => panic!("data/apps.json: category {name:?} is not one of the ten categories"),
    }
}

/// XML comments may not contain `--`; names go into the generated manifest comments.
fn check_name(name: &str) {
    assert!(
        !name.is_empty() && !name.contains("--"),
        "data/apps.json: name {name:?} must be non-empty and free of \"--\""
    );
}

struct Row<'a> {
    scheme: &'a str,
    package: Option<&'a str>,
    appstore_id: Option<&'a str>,
    category: &'static str,
    name_ko: &'a str,
    name_en: &'a str,
}

fn rows_literal(out: &mut String, name: &str, mut rows: Vec<Row<'_>>) {
    rows.sort_by(|a, b| a.scheme.cmp(b.scheme));
    for pair in rows.windows(2) {
        assert!(
            pair[0].scheme != pair[1].scheme,
            "data/apps.json: scheme {:?} appears twice for one platform",
            pair[0].scheme
        );
    }
    // The browser build does not ship the app names (nothing there shows them, and they are
    // a large share of the table's bytes); `App` has no name fields on wasm32.
    let names = std::env::var("CARGO_CFG_TARGET_ARCH").map_or(true, |arch| arch != "wasm32");
    let _ = writeln!(out, "pub(crate) static {name}: &[App] = &[");
    for r in rows {
        let names = if names {
            format!(" name_ko: {:?}, name_en: {:?},", r.name_ko, r.name_en)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "    App {{ scheme: {:?}, package: {:?}, appstore_id: {:?}, category: Category::{},{names} }},",
            r.scheme, r.package, r.appstore_id, r.category
        );
    }
    let _ = writeln!(out, "];");
}

fn str_list(out: &mut String, name: &str, items: &[String]) {
    let _ = writeln!(out, "pub(crate) static {name}: &[&str] = &{items:?};");
}

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let path = Path::new(&manifest_dir).join("data/apps.json");
    println!("cargo:rerun-if-changed=data/apps.json");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    let file: File = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("data/apps.json: does not match the schema: {e}"));

    let mut reserved = BTreeSet::new();
    for list in [&file.web_schemes, &file.blocked_schemes] {
        assert!(
            !list.source.is_empty(),
            "data/apps.json: scheme list needs a source"
        );
        for s in &list.schemes {
            assert!(
                valid_scheme(s),
                "data/apps.json: scheme {s:?} is not a lowercase scheme"
            );
            assert!(
                reserved.insert(s.clone()),
                "data/apps.json: scheme {s:?} is both web and blocked"
            );
        }
    }

    for d in &file.dangerous_schemes {
        assert!(
            !d.source.is_empty(),
            "data/apps.json: dangerous scheme {:?} needs a source",
            d.scheme
        );
        assert!(
            valid_scheme(&d.scheme),
            "data/apps.json: dangerous scheme {:?} is not a lowercase scheme",
            d.scheme
        );
        assert!(
            reserved.insert(d.scheme.clone()),
            "data/apps.json: scheme {:?} is listed twice among web/blocked/dangerous",
            d.scheme
        );
    }

    let mut android = Vec::new();
    let mut ios = Vec::new();
    // (host, path_prefix, iOS scheme of the app)
    let mut universal_links: Vec<(&str, &str, &str)> = Vec::new();
    let mut packages: Vec<(&str, &str)> = Vec::new();
    // (scheme, name, number of sources): sorted below so the schemes most SDKs agree on come first.
    let mut ios_queries: Vec<(&str, &str, usize)> = Vec::new();
    for app in &file.apps {
        check_name(&app.name_ko);
        check_name(&app.name_en);
        let category = category_variant(&app.category);
        assert!(
            !app.sources.is_empty(),
            "data/apps.json: {} has no source",
            app.name_en
        );
        if let Some(c) = &app.conflict {
            assert!(
                !c.sources_disagree.is_empty() && !c.resolution.is_empty(),
                "data/apps.json: {}: a flagged conflict needs a recorded resolution",
                app.name_en
            );
        }
        assert!(
            app.android.is_some() || app.ios.is_some(),
            "data/apps.json: {} is on neither platform",
            app.name_en
        );
        // Store and browser rows describe where links go, not apps a checkout must query.
        let queried = !matches!(app.category.as_str(), "store" | "browser");
        if let Some(a) = &app.android {
            if let Some(p) = &a.package {
                assert!(
                    valid_package(p),
                    "data/apps.json: package {p:?} is not a Java package name"
                );
                if queried && !packages.iter().any(|(q, _)| q == p) {
                    packages.push((p, &app.name_en));
                }
            }
            match &a.scheme {
                Some(s) => {
                    assert!(
                        valid_scheme(s),
                        "data/apps.json: android scheme {s:?} is not lowercase/valid"
                    );
                    assert!(
                        !reserved.contains(s),
                        "data/apps.json: {s:?} is a web/blocked scheme"
                    );
                    android.push(Row {
                        scheme: s,
                        package: a.package.as_deref(),
                        appstore_id: app.ios.as_ref().and_then(|i| i.appstore_id.as_deref()),
                        category,
                        name_ko: &app.name_ko,
                        name_en: &app.name_en,
                    });
                }
                None => assert!(
                    a.package.is_some(),
                    "data/apps.json: {}: android row needs a scheme or a package",
                    app.name_en
                ),
            }
        }
        if let Some(i) = &app.ios {
            assert!(
                valid_scheme(&i.scheme),
                "data/apps.json: ios scheme {:?} is not lowercase/valid",
                i.scheme
            );
            assert!(
                !reserved.contains(&i.scheme),
                "data/apps.json: {:?} is a web/blocked scheme",
                i.scheme
            );
            if let Some(id) = &i.appstore_id {
                assert!(
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
                    "data/apps.json: appstore_id {id:?} must be the numeric App Store id"
                );
            }
            if queried {
                ios_queries.push((&i.scheme, &app.name_en, app.sources.len()));
            }
            for link in &i.universal_links {
                assert!(
                    !link.source.is_empty(),
                    "data/apps.json: universal link {} needs a source",
                    link.host
                );
                assert!(
                    link.host == link.host.to_ascii_lowercase()
                        && !link.host.is_empty()
                        && link.path_prefix.starts_with('/'),
                    "data/apps.json: universal link {}: host lowercase, path_prefix starting with /",
                    link.host
                );
                assert!(
                    !universal_links
                        .iter()
                        .any(|(h, p, _)| *h == link.host && *p == link.path_prefix),
                    "data/apps.json: universal link {}{} appears twice",
                    link.host,
                    link.path_prefix
                );
                universal_links.push((&link.host, &link.path_prefix, &i.scheme));
            }
            ios.push(Row {
                scheme: &i.scheme,
                package: app.android.as_ref().and_then(|a| a.package.as_deref()),
                appstore_id: i.appstore_id.as_deref(),
                category,
                name_ko: &app.name_ko,
                name_en: &app.name_en,
            });
        }
    }

    // canOpenURL answers only for the first 50 LSApplicationQueriesSchemes entries
    // (tosspayments/payment-sdk-ios #48), so order by how many sources name the scheme:
    // the apps every SDK lists (ISP, BankPay, app cards, KakaoTalk, PASS) come first.
    ios_queries.sort_by_key(|q| std::cmp::Reverse(q.2));
    let ios_queries: Vec<(&str, &str)> = ios_queries.into_iter().map(|(s, n, _)| (s, n)).collect();

    let mut out = String::from(
        "// @generated by crates/hanpay-apps/build.rs from data/apps.json. Do not edit.\n\n",
    );
    rows_literal(&mut out, "ANDROID", android);
    rows_literal(&mut out, "IOS", ios);
    let _ = writeln!(
        out,
        "pub(crate) static ANDROID_QUERY_PACKAGES: &[(&str, &str)] = &{packages:?};"
    );
    let _ = writeln!(
        out,
        "pub(crate) static IOS_QUERY_SCHEMES: &[(&str, &str)] = &{ios_queries:?};"
    );
    str_list(&mut out, "WEB_SCHEMES", &file.web_schemes.schemes);
    str_list(&mut out, "BLOCKED_SCHEMES", &file.blocked_schemes.schemes);
    let dangerous: Vec<String> = file
        .dangerous_schemes
        .iter()
        .map(|d| d.scheme.clone())
        .collect();
    str_list(&mut out, "DANGEROUS_SCHEMES", &dangerous);
    let _ = writeln!(
        out,
        "pub(crate) static UNIVERSAL_LINKS: &[UniversalLink] = &["
    );
    for (host, path_prefix, scheme) in &universal_links {
        let _ = writeln!(
            out,
            "    UniversalLink {{ host: {host:?}, path_prefix: {path_prefix:?}, scheme: {scheme:?} }},"
        );
    }
    let _ = writeln!(out, "];");
    let _ = writeln!(out, "pub(crate) static STORE_LINKS: &[StoreLink] = &[");
    for link in &file.store_links {
        assert!(
            !link.source.is_empty(),
            "data/apps.json: store link {} needs a source",
            link.host
        );
        assert!(
            link.host == link.host.to_ascii_lowercase() && link.path_prefix.starts_with('/'),
            "data/apps.json: store link {}: host lowercase, path_prefix starting with /",
            link.host
        );
        for p in &link.platforms {
            assert!(
                p == "android" || p == "ios",
                "data/apps.json: store link platform {p:?}"
            );
        }
        if let Some(p) = &link.package {
            assert!(valid_package(p), "data/apps.json: store link package {p:?}");
        }
        let _ = writeln!(
            out,
            "    StoreLink {{ host: {:?}, path_prefix: {:?}, android: {}, ios: {}, package: {:?} }},",
            link.host,
            link.path_prefix,
            link.platforms.iter().any(|p| p == "android"),
            link.platforms.iter().any(|p| p == "ios"),
            link.package
        );
    }
    let _ = writeln!(out, "];");

    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| panic!("OUT_DIR is not set"));
    let dest = Path::new(&out_dir).join("apps_table.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: cannot write: {e}", dest.display()));
}
