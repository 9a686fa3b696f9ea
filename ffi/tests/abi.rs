//! The C ABI from Rust: the shared classifier and user-agent cases through the exported
//! functions, the argument contract, and the panic guard.

use hanpay_ffi::c_api::{
    hanpay_app_return, hanpay_classify, hanpay_classify_with, hanpay_detect, hanpay_manifest,
    hanpay_string_free, hanpay_version,
};
use hanpay_ffi::calls;
use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::path::PathBuf;

fn data(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("shared cases parse")
}

/// Takes ownership of a returned string, as the header documents, and parses it.
fn take(ptr: *mut c_char) -> Value {
    assert!(!ptr.is_null(), "results are never null");
    let text = unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .expect("UTF-8")
        .to_string();
    unsafe { hanpay_string_free(ptr) };
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn c(text: &str) -> CString {
    CString::new(text).expect("no NUL")
}

/// `got` holds every key of `expect` with the same value.
fn subset_mismatch(name: &Value, expect: &Value, got: &Value) -> Option<String> {
    let map = expect.as_object()?;
    let wrong: Vec<String> = map
        .iter()
        .filter(|(k, v)| got.get(k.as_str()) != Some(v))
        .map(|(k, v)| {
            format!(
                "{k}: expected {v} got {}",
                got.get(k.as_str()).unwrap_or(&Value::Null)
            )
        })
        .collect();
    (!wrong.is_empty()).then(|| format!("{name}: {}", wrong.join("; ")))
}

#[test]
fn classify_cases_through_the_c_abi() {
    let cases = data("classify.json");
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases {
        let url = case["url"].as_str().expect("url");
        let Ok(url) = CString::new(url) else { continue };
        let platform = c(case["platform"].as_str().expect("platform"));
        let got = match case["policy"].as_str() {
            // The two-argument entry point is the default policy, and says the same as naming it.
            None => {
                let plain = take(unsafe { hanpay_classify(url.as_ptr(), platform.as_ptr()) });
                let named = c("default");
                let with = take(unsafe {
                    hanpay_classify_with(url.as_ptr(), platform.as_ptr(), named.as_ptr())
                });
                assert_eq!(plain, with, "{}", case["name"]);
                plain
            }
            Some(policy) => {
                let policy = c(policy);
                take(unsafe {
                    hanpay_classify_with(url.as_ptr(), platform.as_ptr(), policy.as_ptr())
                })
            }
        };
        failures.extend(subset_mismatch(&case["name"], &case["expect"], &got));
        ran += 1;
    }
    assert!(ran > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn user_agent_cases_through_the_c_abi() {
    let mut failures = Vec::new();
    for case in data("user-agents.json")
        .iter()
        .filter(|c| c["probes"].is_null())
    {
        let ua = c(case["ua"].as_str().expect("ua"));
        let touch = case["touch_points"].as_u64().unwrap_or(0) as u32;
        let got = take(unsafe { hanpay_detect(ua.as_ptr(), touch) });
        if got != case["expect"] {
            failures.push(format!(
                "{}: expected {} got {got}",
                case["name"], case["expect"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_arguments_give_error_json() {
    let android = c("android");
    let got = take(unsafe { hanpay_classify(std::ptr::null(), android.as_ptr()) });
    assert_eq!(got["error"]["code"], "null-argument");
    assert!(got["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("url")));
    let bad = [b'h', 0xff, 0];
    let got = take(unsafe { hanpay_classify(bad.as_ptr().cast(), android.as_ptr()) });
    assert_eq!(got["error"]["code"], "invalid-utf8");
    let url = c("https://a.example/");
    let got = take(unsafe { hanpay_classify(url.as_ptr(), c("").as_ptr()) });
    assert_eq!(got["error"]["code"], "platform-unknown");
    let got =
        take(unsafe { hanpay_classify_with(url.as_ptr(), android.as_ptr(), std::ptr::null()) });
    assert_eq!(got["error"]["code"], "null-argument");
    assert!(got["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("policy")));
    let lax = c("lax");
    let got = take(unsafe { hanpay_classify_with(url.as_ptr(), android.as_ptr(), lax.as_ptr()) });
    assert_eq!(got["error"]["code"], "policy-unknown");
    let got = take(unsafe { hanpay_manifest(std::ptr::null()) });
    assert_eq!(got["error"]["code"], "null-argument");
    let got = take(unsafe { hanpay_app_return(url.as_ptr(), 0, c("1bad").as_ptr()) });
    assert_eq!(got["error"]["code"], "invalid-scheme");
    unsafe { hanpay_string_free(std::ptr::null_mut()) };
}

#[test]
fn app_return_treats_the_caller_as_the_host_app() {
    let ua = c("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1");
    let got = take(unsafe { hanpay_app_return(ua.as_ptr(), 5, c("HanpaySample").as_ptr()) });
    assert_eq!(got["kispg"]["appSchemeFlg"], "1");
    assert_eq!(got["kispg"]["resultScheme"], "hanpaysample://");
    assert_eq!(got["ksnet"]["sndRtApp"], "hanpaysample://");
}

#[test]
fn manifests_are_json_strings_of_the_generated_blocks() {
    let android = take(unsafe { hanpay_manifest(c("android").as_ptr()) });
    assert_eq!(
        android.as_str(),
        Some(hanpay::apps::android_queries_manifest().as_str())
    );
    let ios = take(unsafe { hanpay_manifest(c("IOS").as_ptr()) });
    assert_eq!(
        ios.as_str(),
        Some(hanpay::apps::ios_queries_plist().as_str())
    );
}

#[test]
fn a_panic_becomes_an_error_value() {
    let json = calls::run::<()>(|| panic!("simulated bug"));
    let got: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(got["error"]["code"], "internal-panic");
}

#[test]
fn version_is_static_and_matches_the_core() {
    let v = unsafe { CStr::from_ptr(hanpay_version()) };
    assert_eq!(v.to_str(), Ok(hanpay::VERSION));
    assert_eq!(
        hanpay_version(),
        hanpay_version(),
        "one static buffer, never to be freed"
    );
}

#[test]
fn the_generated_header_declares_every_export() {
    let header =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("include/hanpay.h"))
            .expect("header");
    let source = include_str!("../src/c_api.rs");
    let exports: Vec<&str> = source
        .split("extern \"C\" fn ")
        .skip(1)
        .filter_map(|rest| rest.split('(').next())
        .collect();
    assert!(exports.len() >= 6, "{exports:?}");
    for name in exports {
        assert!(
            header.contains(&format!(" {name}(")) || header.contains(&format!("*{name}(")),
            "{name} missing from hanpay.h"
        );
    }
}
