//! App-return parameters and in-app escape URLs over `tests/data/app-return.json`, natively
//! and in the browser.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::app_return::{self, AppReturnError};
use hanpay::env::{detect_with, Probes};
use serde_json::Value;

const CASES: &str = include_str!("data/app-return.json");

fn cases(group: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(CASES).expect("app-return.json parses");
    let list = all[group].as_array().expect("group is an array").clone();
    assert!(!list.is_empty(), "{group} has cases");
    list
}

fn environment(case: &Value) -> hanpay::Environment {
    let p = &case["probes"];
    let probes = Probes {
        host_app: p["host_app"].as_str().map(str::to_string),
        react_native_webview: p["react_native_webview"].as_bool().unwrap_or(false),
        webkit_message_handlers: p["webkit_message_handlers"].as_bool().unwrap_or(false),
        android_bridge: p["android_bridge"].as_bool().unwrap_or(false),
    };
    let ua = case["ua"].as_str().expect("ua");
    detect_with(
        ua,
        case["touch_points"].as_u64().unwrap_or(0) as u32,
        &probes,
    )
}

/// Compares an outcome with the case's `expect` or `expect_error` code.
fn check<T: serde::Serialize>(
    case: &Value,
    got: Result<T, AppReturnError>,
    failures: &mut Vec<String>,
) {
    let name = &case["name"];
    assert!(
        case["source"].as_str().is_some_and(|s| !s.is_empty()),
        "{name}: source note"
    );
    match (got, case["expect_error"].as_str()) {
        (Ok(value), None) => {
            let value = serde_json::to_value(value).expect("serialize");
            if value != case["expect"] {
                failures.push(format!("{name}: expected {} got {value}", case["expect"]));
            }
        }
        (Err(e), Some(code)) if e.code == code => {}
        (Ok(value), Some(code)) => {
            let value = serde_json::to_value(value).expect("serialize");
            failures.push(format!("{name}: expected error {code} got {value}"));
        }
        (Err(e), _) => failures.push(format!("{name}: unexpected error {e}")),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn derive_table() {
    let mut failures = Vec::new();
    for case in cases("derive") {
        let env = environment(&case);
        let ua = case["ua"].as_str().expect("ua");
        let got = app_return::derive(&env, ua, case["host_scheme"].as_str());
        check(&case, got, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn escape_table() {
    let mut failures = Vec::new();
    for case in cases("escape") {
        let url = case["url"].as_str().expect("url");
        match case["helper"].as_str().expect("helper") {
            "line" => check(&case, app_return::line_external_browser(url), &mut failures),
            "kakaotalk" => check(
                &case,
                app_return::kakaotalk_open_external(url),
                &mut failures,
            ),
            "chrome_intent" => check(&case, app_return::android_chrome_intent(url), &mut failures),
            "for_environment" => check(
                &case,
                app_return::escape_for(&environment(&case), url),
                &mut failures,
            ),
            other => failures.push(format!("{}: unknown helper {other}", case["name"])),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The error names the field and the rule, so a merchant can fix the input without the docs.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn errors_name_field_and_rule() {
    let err = app_return::normalize_scheme("my shop").expect_err("space is not a scheme character");
    assert_eq!((err.code, err.field), ("INVALID_SCHEME", "host_scheme"));
    assert!(err.to_string().contains("host_scheme"));
    let err = app_return::android_chrome_intent("ftp://x").expect_err("ftp is not http(s)");
    assert_eq!((err.code, err.field), ("INVALID_URL", "page_url"));
}
