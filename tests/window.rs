//! Window-mode planning, form-action safety and result-message acceptance, natively and in the
//! browser, from `tests/data/window-plan.json`.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::env::WindowMode;
use hanpay::window::{self, ErrorCode, Outcome, RequestedMode};
use serde_json::Value;

fn data() -> Value {
    serde_json::from_str(include_str!("data/window-plan.json")).expect("window-plan.json parses")
}

fn mode(s: &str) -> WindowMode {
    match s {
        "popup" => WindowMode::Popup,
        "iframe" => WindowMode::Iframe,
        "redirect" => WindowMode::Redirect,
        other => panic!("unknown mode {other}"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn modes_follow_the_environment() {
    let mut failures = Vec::new();
    for case in data()["modes"].as_array().expect("modes") {
        let env = hanpay::env::detect(
            case["ua"].as_str().unwrap(),
            case["touch_points"].as_u64().unwrap() as u32,
        );
        let requested: RequestedMode = serde_json::from_value(case["requested"].clone()).unwrap();
        let got = window::resolve_mode(requested, &env, mode(case["pg_prefers"].as_str().unwrap()));
        if got != mode(case["expect"].as_str().unwrap()) {
            failures.push(format!("{}: got {got:?}", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn form_actions_are_http_or_relative() {
    for case in data()["actions"].as_array().expect("actions") {
        let action = case["action"].as_str().unwrap();
        let got = window::check_form(action, "POST", &[]).is_ok();
        assert_eq!(got, case["ok"].as_bool().unwrap(), "action {action:?}");
    }
    let unnamed = vec![(" ".to_string(), "x".to_string())];
    let err = window::check_form("/pay", "POST", &unnamed).unwrap_err();
    assert_eq!((err.field, err.rule), ("fields", "non_empty_names"));
    assert_eq!(
        window::check_form("/pay", "DELETE", &[]).unwrap_err().field,
        "method"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn result_messages_need_origin_and_request_id() {
    for case in data()["messages"].as_array().expect("messages") {
        let allow: Vec<String> = serde_json::from_value(case["allow"].clone()).unwrap();
        let got = window::accept_message(
            case["origin"].as_str().unwrap(),
            &allow,
            case["tag"].as_str().unwrap(),
            case["id"].as_str().unwrap(),
            case["expected"].as_str().unwrap(),
        );
        assert_eq!(got, case["ok"].as_bool().unwrap(), "{}", case["name"]);
    }
    // Natively the `url` crate decides; in the browser build its `URL` does (e2e security
    // "finding 9" runs the same cases through relayResult).
    #[cfg(not(target_arch = "wasm32"))]
    for case in data()["target_origins"].as_array().expect("target_origins") {
        let target = case["target"].as_str().unwrap();
        assert_eq!(
            window::check_target_origin(target).is_ok(),
            case["ok"].as_bool().unwrap(),
            "{target}"
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn default_request_id_is_the_pg_order_id() {
    let fields = |k: &str, v: &str| {
        vec![
            ("Amt".to_string(), "1004".to_string()),
            (k.to_string(), v.to_string()),
        ]
    };
    assert_eq!(
        window::default_request_id(&fields("Moid", "M-1")),
        Some("M-1")
    );
    assert_eq!(
        window::default_request_id(&fields("LGD_OID", "L-1")),
        Some("L-1")
    );
    assert_eq!(window::default_request_id(&fields("ordr_idxx", "")), None);
    assert_eq!(window::default_request_id(&fields("GoodsName", "x")), None);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn results_settle_by_success_and_cancel_flags() {
    assert_eq!(window::outcome_of(Some(true), None), Outcome::Resolve);
    assert_eq!(
        window::outcome_of(Some(false), None),
        Outcome::Reject(ErrorCode::PgError)
    );
    assert_eq!(
        window::outcome_of(None, None),
        Outcome::Reject(ErrorCode::PgError)
    );
    assert_eq!(
        window::outcome_of(Some(false), Some(true)),
        Outcome::Reject(ErrorCode::UserCancel)
    );
    assert_eq!(ErrorCode::UserCancel.as_str(), "USER_CANCEL");
}
