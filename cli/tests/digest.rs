//! `hanpay digest`: every vector of tests/data/pg-vectors.json `hashes` through the binary, the
//! listing, and the refusals (exit status 2 with the field and rule).

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::{Command, Output};

const VECTORS: &str = include_str!("../../tests/data/pg-vectors.json");

fn hanpay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hanpay"))
        .arg("digest")
        .args(args)
        .output()
        .expect("run hanpay")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).expect("one JSON value on stdout")
}

#[test]
fn digest_prints_every_vector() {
    let d: Value = serde_json::from_str(VECTORS).expect("pg-vectors.json parses");
    let cases = d["hashes"].as_array().expect("hashes");
    for case in cases {
        let (pg, name) = case["fn"]
            .as_str()
            .and_then(|f| f.split_once('.'))
            .expect("fn");
        let key = d["keys"][pg].as_str().expect("key");
        let mut args = vec![pg, name, "--key", key, "--"];
        args.extend(
            case["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| a.as_str().expect("arg")),
        );
        let out = hanpay(&args);
        let v = json(&out);
        if let Some(want) = case["expect"].as_str() {
            assert!(out.status.success(), "{}: {v}", case["source"]);
            assert_eq!(v["value"], want, "{}", case["source"]);
            assert_eq!(v["digest"], name);
            assert!(v["field"].as_str().is_some_and(|f| !f.is_empty()));
        } else {
            assert_eq!(out.status.code(), Some(2), "{}: {v}", case["source"]);
            assert_eq!(v["field"], case["expect_error"]["field"]);
            assert_eq!(v["rule"], case["expect_error"]["rule"]);
        }
    }
    // Every digest of every PG was printed at least once.
    for pg in hanpay::pg::Pg::ALL {
        for dg in pg.gateway().digests {
            let f = format!("{}.{}", pg.name(), dg.name);
            assert!(
                cases.iter().any(|c| c["fn"] == f.as_str()),
                "no case of {f}"
            );
        }
    }
}

#[test]
fn digest_lists_a_pgs_digests() {
    let out = hanpay(&["smartro"]);
    assert!(out.status.success());
    let names: Vec<String> = json(&out)
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(names, ["encrypt_data", "sign_value", "cancel_hash"]);
    assert_eq!(json(&hanpay(&["kcp"])), serde_json::json!([]));
}

#[test]
fn digest_refuses_with_the_field_and_rule() {
    for (args, field, rule) in [
        (&["nope"][..], "pg", "one_of"),
        (
            &["xpay", "sign_value", "--key", "k"][..],
            "digest",
            "one_of",
        ),
        (
            &["xpay", "hashdata", "a", "--key", "k"][..],
            "args",
            "format",
        ),
        (
            &["kispg", "enc_data", "m", "20240101123000", "1"][..],
            "key",
            "key",
        ),
    ] {
        let out = hanpay(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v = json(&out);
        assert_eq!(
            (v["field"].as_str(), v["rule"].as_str()),
            (Some(field), Some(rule)),
            "{args:?}"
        );
    }
}
