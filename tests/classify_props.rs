//! Properties of the classifier and the intent parser over generated input (native only).
//!
//! - no input panics (arbitrary Unicode, and intent-shaped strings built from real field names);
//! - whatever is launched is never `javascript:`/`data:`/`file:`/`content:`, carries no control
//!   characters or spaces, and pins only well-formed packages;
//! - parsing is linear: tested by structure, not by timing. The parser's output grows at most
//!   linearly with its input (items ≤ separators, launch URL ≤ 3 × input), and inputs built to
//!   make a quadratic scan explode (repeated markers, `%`, `;`, `SEL`) are handled at 1 MiB,
//!   where a quadratic pass would need on the order of 10^12 steps.
#![cfg(not(target_arch = "wasm32"))]

use hanpay::apps::{classify, parse_intent, Action, Platform};
use proptest::prelude::*;

const NEVER_LAUNCHED: [&str; 4] = ["javascript:", "data:", "file:", "content:"];

fn platform() -> impl Strategy<Value = Platform> {
    prop_oneof![Just(Platform::Android), Just(Platform::Ios)]
}

/// Pieces of real intent URLs plus the tricks the security cases use.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("intent:".to_string()),
        Just("INTENT://".to_string()),
        Just("#Intent;".to_string()),
        Just("#intent;".to_string()),
        Just(";".to_string()),
        Just("end".to_string()),
        Just("SEL;".to_string()),
        Just("scheme=ispmobile;".to_string()),
        Just("scheme=javascript;".to_string()),
        Just("scheme=java%73cript;".to_string()),
        Just("scheme=data;".to_string()),
        Just("scheme=%66ile;".to_string()),
        Just("package=kvp.jjy.MispAndroid320;".to_string()),
        Just("package=a%26b;".to_string()),
        Just("component=com.victim/.A;".to_string()),
        Just("action=android.intent.action.CALL;".to_string()),
        Just("launchFlags=0x10000000;".to_string()),
        Just("S.browser_fallback_url=javascript%3Aalert(1);".to_string()),
        Just("S.browser_fallback_url=https%3A%2F%2Fx.example%2F;".to_string()),
        Just("i.n=7;".to_string()),
        Just("javascript:".to_string()),
        Just("data:".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\u{0}".to_string()),
        Just(" ".to_string()),
        Just("%".to_string()),
        Just("%6A".to_string()),
        Just("//".to_string()),
        Just(":".to_string()),
        Just("#".to_string()),
        Just("=".to_string()),
        Just("한".to_string()),
        "[a-zA-Z0-9.:/?&=%;#_-]{0,12}",
    ]
}

fn intent_like() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|parts| parts.concat())
}

fn check_launch_invariants(url: &str, platform: Platform) -> Result<(), TestCaseError> {
    let d = classify(url, platform);
    prop_assert!(!d.reason.is_empty());
    prop_assert!(
        d.reason
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-'),
        "reason {}",
        d.reason
    );
    if let Some(s) = &d.scheme {
        prop_assert_eq!(s.clone(), s.to_ascii_lowercase());
    }
    match d.action {
        Action::Launch => {
            let launch = d.launch_url.as_deref().unwrap_or_default();
            prop_assert!(!launch.is_empty());
            let lower = launch.to_ascii_lowercase();
            for bad in NEVER_LAUNCHED {
                prop_assert!(!lower.starts_with(bad), "launched {launch} for {url:?}");
            }
            prop_assert!(
                !lower.starts_with("intent:"),
                "launched an intent: {launch}"
            );
            prop_assert!(
                launch.bytes().all(|b| b > b' ' && b < 0x7f),
                "unsanitized {launch:?}"
            );
            if let Some(f) = &d.fallback_url {
                prop_assert!(
                    f.starts_with("http://") || f.starts_with("https://"),
                    "fallback {f}"
                );
                prop_assert!(f.bytes().all(|b| b > b' ' && b < 0x7f), "unsanitized {f:?}");
            }
            if let Some(p) = &d.package {
                prop_assert!(platform == Platform::Android);
                prop_assert!(
                    p.split('.').count() >= 2
                        && p.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_'),
                    "package {p:?}"
                );
            }
            prop_assert!(
                launch.len() <= 3 * url.len() + 8,
                "launch URL grew superlinearly"
            );
        }
        Action::Load | Action::Block => {
            prop_assert!(d.launch_url.is_none() && d.store_url.is_none() && d.package.is_none());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics(url in any::<String>(), p in platform()) {
        check_launch_invariants(&url, p)?;
        let _ = parse_intent(&url);
    }

    #[test]
    fn intent_shaped_input_keeps_invariants(url in intent_like(), p in platform()) {
        check_launch_invariants(&url, p)?;
    }

    #[test]
    fn prefixed_intents_parse_or_fail_cleanly(body in intent_like()) {
        let url = format!("intent:{body}");
        if let Ok(intent) = parse_intent(&url) {
            // Each extra and category comes from its own `;`-separated item.
            let items = url.matches(';').count() + 1;
            prop_assert!(intent.extras.len() + intent.categories.len() <= items);
            prop_assert!(intent.data.as_ref().map_or(0, String::len) <= url.len() + 64);
        }
    }

    #[test]
    fn javascript_is_never_launched_whatever_the_disguise(
        case in prop::collection::vec(any::<bool>(), 10),
        pad in "[ \t\n\r\u{1}\u{1f}]{0,4}",
        via_intent in any::<bool>(),
        p in platform(),
    ) {
        let scheme: String = "javascript".chars().zip(&case)
            .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
            .collect();
        let url = if via_intent {
            format!("{pad}intent:alert(1)#Intent;scheme={scheme};end")
        } else {
            format!("{pad}{scheme}:alert(1){pad}")
        };
        prop_assert_ne!(classify(&url, p).action, Action::Launch, "{:?}", url);
    }
}

/// Output size tracks input size: n extras in, n extras out.
#[test]
fn extras_scale_with_items() {
    for n in [0usize, 1, 10, 1000, 20_000] {
        let url = format!(
            "intent://x#Intent;scheme=ispmobile;{}end",
            "S.k=v;".repeat(n)
        );
        let intent = parse_intent(&url).expect("well-formed");
        assert_eq!(intent.extras.len(), n);
    }
}

/// Inputs that make a naive rescanning parser quadratic, at 1 MiB.
#[test]
fn adversarial_megabyte_inputs_finish() {
    const MIB: usize = 1 << 20;
    let shapes = [
        format!("intent:{}", "#Intent;".repeat(MIB / 8)),
        format!("intent://x#Intent;{}", ";".repeat(MIB)),
        format!("intent://{}#Intent;scheme=payco;end", "%".repeat(MIB)),
        format!(
            "intent://x#Intent;scheme=payco;{}end",
            "SEL;".repeat(MIB / 4)
        ),
        format!(
            "intent://x#Intent;scheme=payco;S.browser_fallback_url={};end",
            "%41".repeat(MIB / 3)
        ),
        format!("{}javascript:x", " ".repeat(MIB)),
        "a".repeat(MIB),
    ];
    for url in &shapes {
        let d = classify(url, Platform::Android);
        assert!(!d.reason.is_empty());
        if let Some(launch) = &d.launch_url {
            assert!(launch.len() <= 3 * url.len());
        }
    }
}
