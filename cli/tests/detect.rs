//! `hanpay detect` prints the library's verdict as one line of exactly five keys, for every
//! user agent in the shared table that needs no window probes.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::Command;

const CASES: &str = include_str!("../../tests/data/user-agents.json");

#[test]
fn detect_prints_the_table_verdicts() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("user-agents.json parses");
    let mut ran = 0;
    for case in cases.iter().filter(|c| c["probes"].is_null()) {
        let out = Command::new(env!("CARGO_BIN_EXE_hanpay"))
            .args(["detect", "--ua", case["ua"].as_str().expect("ua")])
            .args([
                "--touch-points",
                &case["touch_points"].as_u64().unwrap_or(0).to_string(),
            ])
            .output()
            .expect("run hanpay");
        assert!(
            out.status.success(),
            "{}: exit {:?}",
            case["name"],
            out.status
        );
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        assert_eq!(stdout.lines().count(), 1, "{}: one line", case["name"]);
        let got: Value = serde_json::from_str(&stdout).expect("json");
        assert_eq!(got, case["expect"], "{}", case["name"]);
        ran += 1;
    }
    assert!(ran >= 40, "ran {ran} cases");
}
