//! Environment detection over the shared table of user agents, natively and in the browser.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use serde_json::Value;

const CASES: &str = include_str!("data/user-agents.json");

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn user_agent_table() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("user-agents.json parses");
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let ua = case["ua"].as_str().expect("ua");
        let touch = case["touch_points"].as_u64().unwrap_or(0) as u32;
        let got = serde_json::to_value(hanpay::env::detect(ua, touch)).expect("serialize");
        if got != case["expect"] {
            failures.push(format!("{}: expected {} got {}", case["name"], case["expect"], got));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
