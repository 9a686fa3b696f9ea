//! `hanpay request <pg> <call>` as a new user runs it: one call per PG from the shared cases of
//! tests/data/requests.json (params on stdin, output exactly the expected request), and the
//! refusals: invalid params, an unknown pg or call, no `--mode` — exit 1 with `{field, rule}`.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const CASES: &str = include_str!("../../tests/data/requests.json");

fn run(args: &[&str], stdin: &str) -> (i32, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hanpay"))
        .arg("request")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run hanpay");
    // hanpay exits before reading stdin when the arguments are refused: a broken pipe is fine.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    let out = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    (
        out.status.code().expect("exit code"),
        serde_json::from_str(&stdout).expect("json"),
    )
}

fn case_args(case: &Value) -> Vec<String> {
    let s = |k: &str| case[k].as_str().expect(k).to_string();
    vec![
        s("pg"),
        s("call"),
        "--key".into(),
        s("key"),
        "--mode".into(),
        s("mode"),
        "--now".into(),
        s("now"),
    ]
}

#[test]
fn one_call_per_pg_prints_the_request() {
    let d: Value = serde_json::from_str(CASES).expect("requests.json");
    let cases = d["cases"].as_array().expect("cases");
    for name in [
        "xpay payment_by_key test",
        "smartro partial_cancel",
        "kcp approve",
        "kspay fetch_result",
        "kispg refund of a deposited virtual account",
    ] {
        let case = cases
            .iter()
            .find(|c| c["name"] == name)
            .expect("case exists");
        let args = case_args(case);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, got) = run(&args, &case["params"].to_string());
        assert_eq!(code, 0, "{name}: {got}");
        assert_eq!(got, case["expect"], "{name}");
    }
}

#[test]
fn invalid_params_exit_1_with_field_and_rule() {
    let d: Value = serde_json::from_str(CASES).expect("requests.json");
    let case = d["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == "kispg refund without the holder")
        .expect("case exists");
    let args = case_args(case);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, got) = run(&args, &case["params"].to_string());
    assert_eq!(code, 1);
    assert_eq!(got["error"], "invalid_input");
    assert_eq!(got["field"], "refundNm");
    assert_eq!(got["rule"], "required");
}

#[test]
fn unknown_pg_call_mode_and_input_exit_1() {
    for (args, stdin, field, rule) in [
        (
            &["paypal", "cancel", "--mode", "test"][..],
            "{}",
            "pg",
            "one_of",
        ),
        (
            &["kspay", "cancel", "--mode", "test"][..],
            "{}",
            "call",
            "one_of",
        ),
        (&["kcp", "approve"][..], "{}", "--mode", "required"),
        (
            &["kcp", "approve", "--mode", "prod"][..],
            "{}",
            "--mode",
            "one_of",
        ),
        (
            &["kispg", "order", "--mode", "test", "--now", "2024"][..],
            "{}",
            "--now",
            "format",
        ),
        (
            &["kispg", "order", "--mode", "test"][..],
            "[1]",
            "stdin",
            "format",
        ),
    ] {
        let (code, got) = run(args, stdin);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(
            (got["field"].as_str(), got["rule"].as_str()),
            (Some(field), Some(rule)),
            "{args:?}: {got}"
        );
    }
}

#[test]
fn help_lists_every_pgs_calls_from_the_registry() {
    for sub in ["request", "call"] {
        let out = Command::new(env!("CARGO_BIN_EXE_hanpay"))
            .args([sub, "--help"])
            .output()
            .expect("run hanpay");
        assert!(out.status.success(), "{sub} --help");
        // clap wraps long help lines: compare with the whitespace joined.
        let help = String::from_utf8(out.stdout)
            .expect("utf-8")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for pg in hanpay::pg::Pg::ALL {
            let calls: Vec<&str> = hanpay::pg::call::Call::of(pg)
                .iter()
                .map(|c| c.as_str())
                .collect();
            let entry = format!("{}: {}", pg.name(), calls.join("|"));
            assert!(
                help.contains(&entry),
                "{sub} --help lacks {entry:?}:\n{help}"
            );
        }
    }
}
