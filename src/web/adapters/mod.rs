//! PG adapters on top of the checkout engine: `pay(pg, form, options)`.
//!
//! Each adapter knows how its PG shows the payment window (notes/pg-protocols.md) and resolves
//! one shape for every PG — `{pg, orderId, success, next, …}` — where `next` tells the merchant
//! server what to do with the PG-native values that come with it:
//! - Smartro (§2.1): `next: "done"` (the signed `ReturnURL` post was verified server-side) or
//!   `"await_deposit"` for an issued virtual account;
//! - KISPG (§5.1): `next: "approve"` with `tid` (and `amt`) for `/v2/payment`.
//!
//! By default forms go to the real PG URLs the merchant server signed; with
//! `options.sandbox = "http://127.0.0.1:8080"` the PG origin is swapped for
//! `<sandbox>/pg/<pg>`, where the local sandbox emulates the same paths.

use super::error::invalid_shape;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How a PG shows its window on desktop, from its manual.
fn prefers(pg: &str, form_target: &str) -> Option<&'static str> {
    match pg {
        // FORWARD=Y → popup `payWindow`; FORWARD=N → iframe `payFrame` (manual 001, 결제창 호출).
        "smartro" => Some(if form_target == "payFrame" {
            "iframe"
        } else {
            "popup"
        }),
        // KISPG warns that iframes and layer popups may misbehave (manual 004 §6): popup.
        "kispg" => Some("popup"),
        _ => None,
    }
}

/// `https://host[:port]/path` → `<sandbox>/pg/<pg>/path`; relative actions stay as they are.
fn to_sandbox(action: &str, sandbox: &str, pg: &str) -> String {
    let Some(rest) = action
        .strip_prefix("https://")
        .or_else(|| action.strip_prefix("http://"))
    else {
        return action.to_string();
    };
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    format!("{}/pg/{pg}{path}", sandbox.trim_end_matches('/'))
}

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// A copy of the form with the action pointed at the sandbox.
fn retarget(form: &JsValue, sandbox: Option<&str>, pg: &str) -> Result<JsValue, JsValue> {
    let Some(sb) = sandbox else {
        return Ok(form.clone());
    };
    if !form.is_object() {
        return Err(invalid_shape("form", "expected a CheckoutForm object"));
    }
    let copy = Object::assign(&Object::new(), form.unchecked_ref());
    let action = get_str(form, "action").unwrap_or_default();
    Reflect::set(&copy, &"action".into(), &to_sandbox(&action, sb, pg).into())?;
    Ok(copy.into())
}

/// Pays through `pg` ("smartro" | "kispg"). `form` is the server-signed `CheckoutForm` or a
/// promise of it (the popup still opens synchronously inside the click). `options` are the
/// engine's options plus `sandbox`.
#[wasm_bindgen(js_name = pay, unchecked_return_type = "Promise<PgNextStep>")]
pub fn pay(
    #[wasm_bindgen(unchecked_param_type = "PgName")] pg: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckoutForm | Promise<CheckoutForm>")] form: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PayOptions | undefined")] options: JsValue,
) -> Promise {
    match start(pg, form, options) {
        Ok(p) => p,
        Err(e) => Promise::reject(&e),
    }
}

fn start(pg: &str, form: JsValue, options: JsValue) -> Result<Promise, JsValue> {
    let opts = Object::new();
    if options.is_object() {
        Object::assign(&opts, options.unchecked_ref());
    }
    let sandbox = get_str(&options, "sandbox");
    let pg_name = pg.to_string();
    let target = if form.is_instance_of::<Promise>() {
        String::new()
    } else {
        get_str(&form, "target").unwrap_or_default()
    };
    let Some(pref) = prefers(pg, &target) else {
        return Err(invalid_shape("pg", "one of \"smartro\" or \"kispg\""));
    };
    if get_str(&options, "pgPrefers").is_none() {
        Reflect::set(&opts, &"pgPrefers".into(), &pref.into())?;
    }
    let form = if form.is_instance_of::<Promise>() {
        let sb = sandbox.clone();
        let map = Closure::once_into_js(move |f: JsValue| retarget(&f, sb.as_deref(), &pg_name));
        // `then` through Reflect: the mapped value (or a thrown error) becomes the new promise.
        let then: js_sys::Function = Reflect::get(&form, &"then".into())?.dyn_into()?;
        then.call1(&form, &map)?
    } else {
        retarget(&form, sandbox.as_deref(), &pg_name)?
    };
    Ok(super::open::open(form, opts.into()))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** PGs with a browser adapter. */
export type PgName = "smartro" | "kispg";
/** `open()` options plus the sandbox origin that stands in for the real PG. */
export interface PayOptions extends OpenOptions { sandbox?: string }
/** What the merchant server must do next, with the PG-native values it needs. */
export type PgNextStep =
  | { pg: "smartro"; orderId: string; success: true; next: "done" | "await_deposit"; tid: string; amount: string }
  | { pg: "kispg"; orderId: string; success: true; next: "approve"; tid: string; amt: string };
"#;
