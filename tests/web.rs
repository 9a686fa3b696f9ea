//! The browser engine's Rust side in real Chromium: typed errors, the iframe layer's DOM and its
//! Escape path, and relay refusing a wildcard origin. (Popups and the full relay round trip need
//! a second window and a server: they are in the Playwright suite, e2e/engine.test.mjs.)

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn form(action: &str, fields: &[(&str, &str)]) -> JsValue {
    let list = Array::new();
    for (k, v) in fields {
        list.push(&Array::of2(&(*k).into(), &(*v).into()));
    }
    obj(&[
        ("action", action.into()),
        ("method", "POST".into()),
        ("fields", list.into()),
    ])
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
async fn a_script_action_is_rejected_with_a_typed_error() {
    let options = obj(&[("mode", "iframe".into())]);
    let err = JsFuture::from(hanpay::web::open(
        form(" JavaScript:alert(1)", &[("orderId", "A1")]),
        options,
    ))
    .await
    .unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "code"), "INVALID_PARAMETERS");
    assert_eq!(get(&err, "field"), "action");
    assert_eq!(get(&err, "rule"), "http_or_relative_url");
    assert!(
        document()
            .query_selector("[data-hanpay=layer]")
            .unwrap()
            .is_none(),
        "layer torn down"
    );
    assert!(
        document()
            .query_selector("form[data-hanpay]")
            .unwrap()
            .is_none(),
        "no form left behind"
    );
}

#[wasm_bindgen_test]
async fn the_layer_is_an_accessible_dialog_and_escape_cancels() {
    let options = obj(&[("mode", "iframe".into()), ("title", "테스트 결제".into())]);
    let pending: Promise = hanpay::web::open(
        form(
            "/no-such-pg",
            &[("Moid", "M-42"), ("GoodsName", "<b>x</b>")],
        ),
        options,
    );
    let doc = document();
    let dialog = doc
        .query_selector("[data-hanpay=layer] [role=dialog]")
        .unwrap()
        .expect("dialog");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    assert_eq!(
        dialog.get_attribute("aria-label").as_deref(),
        Some("테스트 결제")
    );
    let frame = doc
        .query_selector("iframe[data-hanpay=frame]")
        .unwrap()
        .expect("iframe");
    assert_eq!(frame.get_attribute("name").as_deref(), Some("payFrame"));
    let active = doc.active_element().expect("focus");
    assert_eq!(
        active.get_attribute("data-hanpay").as_deref(),
        Some("close")
    );

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let esc = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    doc.dispatch_event(&esc).unwrap();
    let err = JsFuture::from(pending).await.unwrap_err();
    assert_eq!(get(&err, "code"), "USER_CANCEL");
    assert!(doc.query_selector("[data-hanpay=layer]").unwrap().is_none());
}

#[wasm_bindgen_test]
fn relay_refuses_a_wildcard_target_origin() {
    let options = obj(&[("targetOrigin", "*".into()), ("requestId", "A1".into())]);
    let err = hanpay::web::relay_result(obj(&[("success", true.into())]), options).unwrap_err();
    assert_eq!(get(&err, "code"), "INVALID_PARAMETERS");
    assert_eq!(get(&err, "field"), "targetOrigin");
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let ok = obj(&[("targetOrigin", origin.into()), ("requestId", "A1".into())]);
    // The test page has no opener and no parent: nothing to relay to, the page shows the result.
    assert_eq!(
        hanpay::web::relay_result(obj(&[("success", true.into())]), ok).ok(),
        Some(false)
    );
}
