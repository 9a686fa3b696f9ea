//! `hanpay verify` as the issue "Payment truth" states its contract: the result vectors of
//! tests/data/pg-vectors.json through the binary (body on stdin, `--kind`, `--key`,
//! `--expect-amount`, `--expect-order`, `--peer-ip`, `--mode`), the output keys, and the refusals.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const VECTORS: &str = include_str!("../../tests/data/pg-vectors.json");

fn verify(args: &[&str], body: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hanpay"))
        .arg("verify")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hanpay");
    // hanpay exits before reading stdin when its arguments are refused: a broken pipe is fine.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(body.as_bytes());
    child.wait_with_output().expect("hanpay output")
}

#[test]
fn verify_prints_the_vector_results() {
    let d: Value = serde_json::from_str(VECTORS).expect("pg-vectors.json parses");
    let mut failures = Vec::new();
    let results = d["results"].as_array().expect("results");
    for case in results {
        let pg = case["pg"].as_str().expect("pg");
        let key = case["key"]
            .as_str()
            .or_else(|| d["keys"][pg].as_str())
            .unwrap_or("");
        let amount = case["expect_amount"].as_u64().map(|a| a.to_string());
        let mut args = vec![
            pg,
            "--kind",
            case["kind"].as_str().expect("kind"),
            "--key",
            key,
        ];
        if let Some(a) = &amount {
            args.extend(["--expect-amount", a]);
        }
        for (flag, field) in [
            ("--expect-order", "expect_order"),
            ("--peer-ip", "peer_ip"),
            ("--mode", "mode"),
        ] {
            if let Some(v) = case[field].as_str() {
                args.extend([flag, v]);
            }
        }
        let out = verify(&args, case["body"].as_str().expect("body"));
        assert!(
            out.status.success(),
            "{}: exit {:?}",
            case["source"],
            out.status
        );
        let got: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        for k in [
            "status",
            "authentic",
            "success",
            "code",
            "message",
            "amount",
            "tid",
            "order_id",
            "reply",
        ] {
            assert!(got.get(k).is_some(), "{}: no {k}", case["source"]);
        }
        for (k, want) in case["expect"].as_object().expect("expect") {
            if &got[k] != want {
                failures.push(format!(
                    "{}: {k} = {}, expected {want}",
                    case["source"], got[k]
                ));
            }
        }
    }
    assert!(results.len() >= 40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kind_and_mode_are_required_words() {
    // No --kind: clap refuses (the message never decides its own kind).
    let out = verify(&["xpay"], "LGD_RESPCODE=0000");
    assert!(!out.status.success());
    for (args, field) in [
        (&["xpay", "--kind", "payment"][..], "--kind"),
        (
            &["xpay", "--kind", "notice", "--mode", "prod"][..],
            "--mode",
        ),
        (&["paypal", "--kind", "notice"][..], "pg"),
    ] {
        let out = verify(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
        assert_eq!(err["field"], field, "{args:?}");
        assert_eq!(err["rule"], "one_of", "{args:?}");
    }
}

#[test]
fn a_stripped_signature_is_rejected_not_unsigned() {
    // audit W1: a Smartro deposit notice with SignValue deleted.
    let body = "PayMethod=VBANK&ResultCode=4110&Amt=1004&TID=SMTPAY001m01012401011200001234&Moid=A&StateCd=0";
    let out = verify(
        &[
            "smartro",
            "--kind",
            "notice",
            "--key",
            "k",
            "--expect-amount",
            "1004",
        ],
        body,
    );
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (
            &got["status"],
            &got["authentic"],
            &got["success"],
            &got["reply"]
        ),
        (
            &Value::from("rejected"),
            &Value::from(false),
            &Value::from(false),
            &Value::Null
        )
    );
}
