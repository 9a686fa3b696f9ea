//! `hanpay classify` prints the library's decision for every case of the shared table, with
//! `--strict` for the cases that name the strict policy.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::Command;

const CASES: &str = include_str!("../../tests/data/classify.json");

#[test]
fn classify_prints_the_table_decisions() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("classify.json parses");
    let (mut ran, mut strict) = (0, 0);
    let mut failures = Vec::new();
    // A NUL cannot cross argv; the library and JVM tests run those cases.
    for case in cases
        .iter()
        .filter(|c| !c["url"].as_str().unwrap_or("").contains('\0'))
    {
        let name = case["name"].as_str().expect("name");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hanpay"));
        cmd.args([
            "classify",
            "--platform",
            case["platform"].as_str().expect("platform"),
        ]);
        match case["policy"].as_str() {
            None | Some("default") => {}
            Some("strict") => {
                cmd.arg("--strict");
                strict += 1;
            }
            Some(other) => panic!("{name}: policy {other}"),
        }
        let out = cmd
            .arg(case["url"].as_str().expect("url"))
            .output()
            .expect("run hanpay");
        assert!(out.status.success(), "{name}: exit {:?}", out.status);
        let got: Value = serde_json::from_slice(&out.stdout).expect("json");
        for (key, want) in case["expect"].as_object().expect("expect") {
            if got.get(key) != Some(want) {
                failures.push(format!("{name} {key}: expected {want}, got {got}"));
            }
        }
        ran += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        ran >= 150 && strict >= 10,
        "ran {ran} cases, {strict} strict"
    );
}
