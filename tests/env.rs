//! Environment detection over the shared table of user agents, natively and in the browser.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::env::{detect, detect_with, Probes, WindowMode};
use serde_json::Value;

const CASES: &str = include_str!("data/user-agents.json");

fn probes_of(case: &Value) -> Probes {
    let p = &case["probes"];
    Probes {
        host_app: p["host_app"].as_str().map(str::to_string),
        react_native_webview: p["react_native_webview"].as_bool().unwrap_or(false),
        webkit_message_handlers: p["webkit_message_handlers"].as_bool().unwrap_or(false),
        android_bridge: p["android_bridge"].as_bool().unwrap_or(false),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn user_agent_table() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("user-agents.json parses");
    assert!(
        cases.len() >= 40,
        "the table keeps at least 40 public samples"
    );
    let mut failures = Vec::new();
    for case in &cases {
        assert!(
            case["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{}: source note",
            case["name"]
        );
        let ua = case["ua"].as_str().expect("ua");
        let touch = case["touch_points"].as_u64().unwrap_or(0) as u32;
        let got =
            serde_json::to_value(detect_with(ua, touch, &probes_of(case))).expect("serialize");
        if got != case["expect"] {
            failures.push(format!(
                "{}: expected {} got {}",
                case["name"], case["expect"], got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `detect` is `detect_with` without probes, and its JSON never carries `host_app`: the CLI
/// and the browser surface promise exactly `{os, device, in_app, webview, mode}`.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn detect_keeps_the_five_key_shape() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("user-agents.json parses");
    for case in cases.iter().filter(|c| c["probes"].is_null()) {
        let ua = case["ua"].as_str().expect("ua");
        let touch = case["touch_points"].as_u64().unwrap_or(0) as u32;
        let got = serde_json::to_value(detect(ua, touch)).expect("serialize");
        let keys: Vec<&str> = got
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 5, "{}: {keys:?}", case["name"]);
        assert_eq!(got, case["expect"], "{}", case["name"]);
    }
}

/// Every embedded or touch environment in the table is sent to redirect, never a popup
/// (KISPG manual §6.1; notes/browser-sdk-anchors.md §4 step 2).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn embedded_browsers_never_get_a_popup() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("user-agents.json parses");
    for case in &cases {
        let ua = case["ua"].as_str().expect("ua");
        let touch = case["touch_points"].as_u64().unwrap_or(0) as u32;
        let env = detect_with(ua, touch, &probes_of(case));
        if env.in_app.is_some() || env.webview {
            assert_eq!(env.mode, WindowMode::Redirect, "{}", case["name"]);
        }
    }
}
