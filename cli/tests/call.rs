//! `hanpay call` as a new user runs it, against the real sandbox binary (PORT=0, its
//! "listening on" line read as e2e/harness.mjs does): a KISPG payment authenticated in the
//! sandbox's window and approved by the CLI with the order's amount, the PG's refusal of a
//! second approval, invalid input (exit 1, `{field, rule}`), and a transport failure (exit 3,
//! typed JSON).

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const KISPG_MID: &str = "kistest00m";
/// The sandbox's registered KISPG test key (sandbox/src/credentials.rs `KISPG_KEY`).
const KISPG_KEY: &str =
    "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";

struct Sandbox {
    child: Child,
    base: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Starts target/debug/hanpay-sandbox on a free port. The binary comes from `make sandbox-bin`
/// (or `cargo test --workspace`, which builds it with the sandbox's tests). Not built from here:
/// a nested `cargo build` with the sandbox's own feature set would replace the unhashed
/// `libhanpay.rlib` (a cdylib crate) under the running test build and break its doc-tests.
fn sandbox() -> Sandbox {
    let bin = root().join("target/debug/hanpay-sandbox");
    assert!(
        bin.exists(),
        "{} is missing: run `make sandbox-bin` first",
        bin.display()
    );
    let mut child = Command::new(bin)
        .env("PORT", "0")
        .env("HANPAY_ROOT", root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sandbox");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("sandbox exited before listening")
            .expect("read");
        if let Some(i) = line.find("listening on http://127.0.0.1:") {
            let url = &line[i + "listening on ".len()..];
            break url.split_whitespace().next().expect("url").to_string();
        }
    };
    // Keep draining its output so the sandbox never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Sandbox { child, base }
}

fn hanpay(args: &[&str], stdin: &str) -> (i32, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hanpay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run hanpay");
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

fn form_body(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The value of the hidden input `name` in a sandbox page.
fn hidden(html: &str, name: &str) -> String {
    let at = [format!("name=\"{name}\""), format!("name={name} ")]
        .iter()
        .find_map(|tag| html.find(tag.as_str()))
        .unwrap_or_else(|| panic!("{name} in {html}"));
    let rest = &html[at..];
    let v = &rest[rest.find("value=\"").expect("value") + 7..];
    v[..v.find('"').expect("quote")].to_string()
}

/// The sandbox's KISPG window: the signed auth form (built by `hanpay form`), then "approve".
/// Returns the authenticated tid.
fn kispg_authenticate(sb: &Sandbox, order: &str, amount: &str) -> String {
    let params = serde_json::json!({
        "mid": KISPG_MID, "goodsAmt": amount, "ordNo": order, "goodsNm": "hanpay cli test",
        "ordNm": "홍길동", "ordTel": "01012345678", "ordEmail": "buyer@example.com",
        "returnUrl": format!("{}/merchant/kispg/return", sb.base), "payMethod": "card",
    });
    let (code, form) = hanpay(
        &["form", "kispg", "--key", KISPG_KEY, "--mode", "test"],
        &params.to_string(),
    );
    assert_eq!(code, 0, "{form}");
    let fields: Vec<(String, String)> = form["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let http = reqwest::blocking::Client::new();
    let post = |path: &str, body: String| {
        http.post(format!("{}{path}", sb.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .expect("post")
            .text()
            .expect("text")
    };
    let window = post("/pg/kispg/v2/auth", form_body(&fields));
    let session = hidden(&window, "session");
    let back = post(
        "/pg/kispg/decide",
        form_body(&[
            ("session".into(), session),
            ("decision".into(), "approve".into()),
        ]),
    );
    hidden(&back, "tid")
}

#[test]
fn kispg_payment_through_the_sandbox() {
    let sb = sandbox();
    let order = "cli-o1";
    let tid = kispg_authenticate(&sb, order, "1000");
    let base = format!("{}/pg/kispg", sb.base);
    let args = [
        "call",
        "kispg",
        "payment",
        "--key",
        KISPG_KEY,
        "--mode",
        "test",
        "--base-url",
        &base,
        "--order",
        order,
        "--amount",
        "1000",
    ];
    let params = serde_json::json!({"mid": KISPG_MID, "tid": tid, "goodsAmt": "1000"}).to_string();
    let (code, r) = hanpay(&args, &params);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["status"], "paid", "{r}");
    assert_eq!(r["success"], true);
    assert_eq!(r["tid"], tid.as_str());
    assert_eq!(r["order_id"], order);
    assert_eq!(r["amount"], 1000);
    assert_eq!(r["kind"], "approval");

    // The same tid again: the PG refuses a second approval ("이미 승인된 거래"); the CLI sent
    // it once and prints the refusal as the verified result.
    let (code, again) = hanpay(&args, &params);
    assert_eq!(code, 0, "{again}");
    assert_ne!(again["status"], "paid", "{again}");
    assert_eq!(again["success"], false);
}

#[test]
fn kispg_payment_for_another_amount_is_not_paid() {
    let sb = sandbox();
    let tid = kispg_authenticate(&sb, "cli-o2", "1000");
    let base = format!("{}/pg/kispg", sb.base);
    // The merchant's order says 900: the PG refuses the amount mismatch.
    let (code, r) = hanpay(
        &[
            "call",
            "kispg",
            "payment",
            "--key",
            KISPG_KEY,
            "--mode",
            "test",
            "--base-url",
            &base,
            "--order",
            "cli-o2",
            "--amount",
            "900",
        ],
        &serde_json::json!({"mid": KISPG_MID, "tid": tid, "goodsAmt": "900"}).to_string(),
    );
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["success"], false, "{r}");
}

#[test]
fn invalid_params_exit_1_with_field_and_rule() {
    let (code, e) = hanpay(
        &[
            "call",
            "kispg",
            "payment",
            "--key",
            KISPG_KEY,
            "--mode",
            "test",
            "--base-url",
            "http://127.0.0.1:9/pg/kispg",
        ],
        r#"{"mid":"kistest00m","goodsAmt":"1000"}"#,
    );
    assert_eq!(code, 1, "{e}");
    assert_eq!(e["error"], "invalid_input");
    assert_eq!(e["field"], "tid");
    assert_eq!(e["rule"], "required");

    let (code, e) = hanpay(&["call", "kispg", "payment_by_key", "--mode", "test"], "{}");
    assert_eq!(code, 1, "{e}");
    assert_eq!(e["field"], "call");
}

#[test]
fn transport_failure_exits_3_with_a_typed_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}/pg/kispg");
    let (code, e) = hanpay(
        &[
            "call",
            "kispg",
            "payment",
            "--key",
            KISPG_KEY,
            "--mode",
            "test",
            "--base-url",
            &base,
        ],
        r#"{"mid":"kistest00m","tid":"kistest00m01012401011230001234","goodsAmt":"1000"}"#,
    );
    assert_eq!(code, 3, "{e}");
    assert_eq!(e["error"], "transport");
    assert_eq!(e["kind"], "not_sent");
    assert_eq!(e["cause"], "connect");
}

/// The whole KISPG lifecycle through `hanpay call` against the sandbox: pay → approve →
/// partial cancel → the PG's refusal of an over-cancel → cancel the rest → look up → the
/// refusal of a second cancel.
#[test]
fn kispg_lifecycle_through_the_sandbox() {
    let sb = sandbox();
    let order = "cli-life";
    let tid = kispg_authenticate(&sb, order, "1000");
    let base = format!("{}/pg/kispg", sb.base);
    let call = |name: &str, extra: Value| {
        let mut p = serde_json::json!({"mid": KISPG_MID, "tid": tid});
        for (k, v) in extra.as_object().expect("object") {
            p[k] = v.clone();
        }
        hanpay(
            &[
                "call",
                "kispg",
                name,
                "--key",
                KISPG_KEY,
                "--mode",
                "test",
                "--base-url",
                &base,
                "--order",
                order,
                "--amount",
                "1000",
            ],
            &p.to_string(),
        )
    };
    let cancel = |amt: &str, msg: &str| serde_json::json!({"payMethod": "card", "canAmt": amt, "canMsg": msg});
    let (code, r) = call("payment", serde_json::json!({"goodsAmt": "1000"}));
    assert_eq!((code, r["status"].as_str()), (0, Some("paid")), "{r}");
    let (code, r) = call("partial_cancel", cancel("300", "part"));
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["status"], "partially_cancelled", "{r}");
    assert_eq!(r["amount"], 300);
    let (_, r) = call("partial_cancel", cancel("800", "over"));
    assert_eq!(r["status"], "failed", "over-cancel refused: {r}");
    let (_, r) = call("cancel", cancel("700", "rest"));
    assert_eq!(r["status"], "cancelled", "{r}");
    let (_, r) = call("order", serde_json::json!({"goodsAmt": "1000"}));
    assert_eq!(r["status"], "cancelled", "{r}");
    assert_eq!(r["tid"], tid.as_str());
    let (_, r) = call("cancel", cancel("700", "again"));
    assert_eq!(r["status"], "failed", "double cancel refused: {r}");
}

/// `--kcp-private-key`: the CLI signs `kcp_sign_data` of a KCP cancel with the merchant's PEM
/// key. The sandbox checks the RSA signature before it looks the transaction up
/// (sandbox/src/emulator/kcp/api.rs `modify`), so a correctly signed cancel of an unknown `tno` gets
/// KCP's "unknown transaction" (8128), while a forged one stops at the signature (S102) and an
/// unsigned one is invalid input before anything is sent.
#[test]
fn kcp_cancel_is_signed_with_the_private_key_file() {
    let sb = sandbox();
    let base = format!("{}/pg/kcp", sb.base);
    let key = root().join("tests/data/kcp-test-key.pem");
    let key = key.to_str().expect("utf-8 path");
    let params = serde_json::json!({
        "site_cd": "T0000",
        "kcp_cert_info": "-----BEGIN CERTIFICATE-----hanpay-sandbox-----END CERTIFICATE-----",
        "tno": "20261202000000", "mod_desc": "cli cancel",
    })
    .to_string();
    let args = [
        "call",
        "kcp",
        "cancel",
        "--mode",
        "test",
        "--base-url",
        &base,
    ];

    let signed = [&args[..], &["--kcp-private-key", key]].concat();
    let (code, r) = hanpay(&signed, &params);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["code"], "8128",
        "signed, so refused only for the unknown tno: {r}"
    );

    let (code, r) = hanpay(&args, &params);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["field"], "kcp_sign_data", "no key, no signature: {r}");

    let mut forged: serde_json::Value = serde_json::from_str(&params).expect("json");
    forged["kcp_sign_data"] = "aGFucGF5".into();
    let (code, r) = hanpay(&args, &forged.to_string());
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["code"], "S102", "a signature no key made: {r}");

    let missing = [&args[..], &["--kcp-private-key", "/nonexistent.pem"]].concat();
    let (code, r) = hanpay(&missing, &params);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["field"], "kcp_private_key", "{r}");
}
