//! The WebView URL classifier over the shared table of cases (`tests/data/classify.json`),
//! natively and in headless Chromium. The C and JVM bridge tests read the same file: each case
//! compares only the Decision keys present in its `expect`. A case runs under the policy named by
//! its optional `policy` key (`"default"` when absent, or `"strict"`).

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::apps::{
    android_queries_manifest, classify, classify_with, ios_queries_plist, Platform, Policy,
};
use serde_json::Value;

const CASES: &str = include_str!("data/classify.json");

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn classify_table() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("classify.json parses");
    assert!(cases.len() >= 120, "the table should keep its 120+ cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        assert!(
            case["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{name}: source"
        );
        let platform: Platform = case["platform"]
            .as_str()
            .expect("platform")
            .parse()
            .expect("platform value");
        let policy: Policy = case["policy"]
            .as_str()
            .unwrap_or("default")
            .parse()
            .expect("policy value");
        let url = case["url"].as_str().expect("url");
        let expect = case["expect"].as_object().expect("expect object");
        assert!(
            !expect.is_empty(),
            "{name}: expect must name at least one key"
        );
        let got = serde_json::to_value(classify_with(url, platform, policy)).expect("serialize");
        for (key, want) in expect {
            let have = got
                .get(key)
                .unwrap_or_else(|| panic!("{name}: unknown key {key}"));
            if have != want {
                failures.push(format!(
                    "{name} [{platform}, {policy}] {key}: expected {want} got {have}\n    {got}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The serialized decision is exactly the CLI/bridge shape: these nine keys, nothing else.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn decision_json_shape() {
    let got = serde_json::to_value(classify("ispmobile://x", Platform::Ios)).expect("serialize");
    let mut keys: Vec<&str> = got
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "category",
            "fallback_url",
            "launch_url",
            "package",
            "reason",
            "scheme",
            "store_url",
            "universal_link"
        ]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn platform_names() {
    assert_eq!("ANDROID".parse::<Platform>(), Ok(Platform::Android));
    assert_eq!("iOS".parse::<Platform>(), Ok(Platform::Ios));
    assert_eq!(Platform::Ios.to_string(), "ios");
    let err = "windows".parse::<Platform>().expect_err("unknown platform");
    assert_eq!(err.code(), "platform-unknown");
}

/// Every package the classifier can pin (table rows) is declared in `<queries>`, and the
/// flagged typos from the merged sources are not.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn android_manifest_lists_table_packages() {
    let xml = android_queries_manifest();
    assert!(xml.starts_with("<!--") && xml.trim_end().ends_with("</queries>"));
    for scheme in [
        "ispmobile",
        "kftc-bankpay",
        "kakaotalk",
        "tauthlink",
        "v3mobileplusweb",
        "cloudpay",
        "kbbank",
        // Rows from app-table-gaps.md §1.
        "droidxantivirusweb",
        "vguardend",
        "hanaansim",
        "storylink",
    ] {
        let pkg = hanpay::apps::lookup(Platform::Android, scheme)
            .and_then(|a| a.package)
            .expect(scheme);
        assert!(
            xml.contains(&format!("<package android:name=\"{pkg}\" />")),
            "{pkg} missing"
        );
    }
    for typo in [
        "com.hanaskard.paycla",
        "com.kbstar.kbkank",
        "com.kt.ktauthp",
        "com.android.vending",
    ] {
        assert!(!xml.contains(typo), "{typo} must not be queried");
    }
    assert!(xml.contains("<category android:name=\"android.intent.category.BROWSABLE\" />"));
    assert!(xml.contains("<data android:scheme=\"https\" />"));
    let packages = xml.matches("<package ").count();
    let unique: std::collections::BTreeSet<&str> =
        xml.lines().filter(|l| l.contains("<package ")).collect();
    assert_eq!(packages, unique.len(), "packages are listed once");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn ios_plist_lists_payment_schemes_first() {
    let plist = ios_queries_plist();
    assert!(plist.contains("<key>LSApplicationQueriesSchemes</key>\n<array>\n"));
    let schemes: Vec<&str> = plist
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<string>"))
        .filter_map(|l| l.split("</string>").next())
        .collect();
    assert_eq!(
        schemes.first(),
        Some(&"ispmobile"),
        "ISP leads: canOpenURL sees only 50"
    );
    for s in [
        "kftc-bankpay",
        "kakaotalk",
        "newsmartpib",
        "tauthlink",
        "com.wooricard.wcard",
    ] {
        let pos = schemes
            .iter()
            .position(|x| *x == s)
            .unwrap_or_else(|| panic!("{s} missing"));
        assert!(
            pos < 50,
            "{s} is at {pos}, beyond the 50 canOpenURL honours"
        );
    }
    // Rows from app-table-gaps.md §1, beyond the first 50 (three sources or fewer each).
    for s in [
        "kakaolink",
        "storylink",
        "kakaokompassauth",
        "shinhan-sr-ansimclick-mola",
    ] {
        assert!(schemes.contains(&s), "{s} missing");
    }
    for s in [
        "itms-apps",
        "itms-appss",
        "naversearchapp",
        "wooribank",
        "nidlogin",
    ] {
        assert!(
            !schemes.contains(&s),
            "{s} does not belong in the iOS query list"
        );
    }
    assert!(plist.contains(&format!("{} schemes", schemes.len())));
}
