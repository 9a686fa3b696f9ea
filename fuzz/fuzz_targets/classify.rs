//! Intent parsing + WebView URL classification on arbitrary text, for both platforms.
//!
//! Beyond "no panic", it checks the safety properties the classifier promises (crates/hanpay-apps):
//! a launch URL is made only of URI characters and is itself launchable again (never a blocked
//! scheme, never an `intent:` that could carry a component), fallbacks are http(s) only,
//! packages are Java package names, store URLs point at the two stores, and only iOS universal
//! links (https) put a URL on a load.
#![no_main]

use hanpay::apps::{classify, parse_intent, Action, Platform};
use libfuzzer_sys::fuzz_target;

fn uri_chars(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b))
}

fn check(url: &str, platform: Platform) {
    let d = classify(url, platform);
    assert_eq!(
        d,
        classify(url, platform),
        "classification is deterministic"
    );
    if let Some(f) = &d.fallback_url {
        assert!(
            f.starts_with("http:") || f.starts_with("https:"),
            "fallback {f:?}"
        );
        assert!(uri_chars(f), "fallback {f:?}");
    }
    if let Some(p) = &d.package {
        assert!(
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_'),
            "package {p:?}"
        );
    }
    if let Some(s) = &d.store_url {
        assert!(
            s.starts_with("market://details?id=")
                || s.starts_with("https://apps.apple.com/kr/app/id"),
            "store {s:?}"
        );
    }
    match d.action {
        Action::Launch => {
            let launch = d.launch_url.as_deref().expect("a launch has a URL");
            assert!(uri_chars(launch), "launch {launch:?}");
            let again = classify(launch, platform);
            assert_ne!(
                again.action,
                Action::Block,
                "{url:?} launches blocked {launch:?}"
            );
            assert_ne!(
                again.scheme.as_deref(),
                Some("intent"),
                "{url:?} relaunches an intent"
            );
        }
        // A load carries a URL only for an iOS universal link, the https URL itself.
        Action::Load if d.universal_link => {
            assert_eq!(platform, Platform::Ios, "universal link on {platform}");
            let link = d.launch_url.as_deref().expect("a universal link has a URL");
            assert!(
                link.starts_with("https:") && uri_chars(link),
                "universal link {link:?}"
            );
        }
        Action::Load | Action::Block => assert!(d.launch_url.is_none()),
    }
}

fuzz_target!(|data: &[u8]| {
    let url = String::from_utf8_lossy(data);
    let _ = parse_intent(&url);
    check(&url, Platform::Android);
    check(&url, Platform::Ios);
});
