//! KCP `kcp_sign_data` with a key `openssl` generates at test time: the signature verifies with
//! the public key (rsa crate and `openssl dgst -sha256 -verify`, independently), a changed input
//! does not, and the client fills `kcp_sign_data` into a cancel it sends.

use base64::Engine;
use hanpay::pg::kcp::call::sign_input;
use hanpay::pg::{Mode, Params, Pg};
use hanpay_client::{key_signature, Client};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use sha2::Sha256;
use std::path::PathBuf;
use std::process::Command;

/// A file in this test's own directory (tests run in parallel: one directory per call site).
fn tmp(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hanpay-kcp-sign-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh 2048-bit key (PKCS#8 PEM) and its public key PEM path.
fn keypair() -> (String, PathBuf) {
    let key = tmp("key.pem");
    let public = tmp("pub.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.to_str().unwrap(),
    ]);
    openssl(&[
        "pkey",
        "-in",
        key.to_str().unwrap(),
        "-pubout",
        "-out",
        public.to_str().unwrap(),
    ]);
    (std::fs::read_to_string(&key).unwrap(), public)
}

#[test]
fn sign_data_verifies_with_the_public_key() {
    let (pem, public) = keypair();
    let key = key_signature::private_key(&pem).unwrap();
    let b64 = key_signature::sign(&key, &sign_input("T0000", "20240101000001", "STSC"));
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&b64)
        .unwrap();

    let verifier = VerifyingKey::<Sha256>::new(key.to_public_key());
    let s = Signature::try_from(sig.as_slice()).unwrap();
    let input = sign_input("T0000", "20240101000001", "STSC");
    assert_eq!(input, "T0000^20240101000001^STSC");
    verifier.verify(input.as_bytes(), &s).unwrap();
    assert!(verifier.verify(b"T0000^20240101000001^STPC", &s).is_err());

    // The same check by openssl (sha256WithRSAEncryption, as the integrations sign).
    let (msg, sigf) = (tmp("msg"), tmp("sig"));
    std::fs::write(&msg, input).unwrap();
    std::fs::write(&sigf, &sig).unwrap();
    openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        public.to_str().unwrap(),
        "-signature",
        sigf.to_str().unwrap(),
        msg.to_str().unwrap(),
    ]);
}

#[test]
fn a_bad_pem_is_a_field_error() {
    let e = key_signature::private_key(
        "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n",
    )
    .unwrap_err();
    assert_eq!(e.field, "kcp_private_key");
}

#[tokio::test]
async fn the_client_signs_the_cancel_it_sends() {
    let (pem, _) = keypair();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let s2 = seen.clone();
    let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let s2 = s2.clone();
        async move {
            s2.lock().unwrap().push(body.to_vec());
            (
                [("content-type", "application/json")],
                r#"{"res_cd":"0000","res_msg":"정상처리","tno":"20240101000001","mod_type":"STSC"}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = Client::new(
        Pg::Kcp,
        Mode::Test,
        "",
        Params::from_pairs([("site_cd", "T0000"), ("kcp_cert_info", "CERT")]),
    )
    .unwrap()
    .base_url(&base)
    .unwrap()
    .kcp_private_key(&pem)
    .unwrap();
    assert!(!format!("{client:?}").contains("BEGIN"));
    let _ = client
        .call(
            hanpay::pg::call::Call::Cancel,
            Params::from_pairs([("tno", "20240101000001")]),
            None,
        )
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&seen.lock().unwrap()[0]).unwrap();
    let key = key_signature::private_key(&pem).unwrap();
    assert_eq!(
        body["kcp_sign_data"],
        key_signature::sign(&key, &sign_input("T0000", "20240101000001", "STSC"))
    );
}
