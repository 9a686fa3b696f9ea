//! `relayResult(result, { targetOrigin, requestId })`: the return page's half of the contract.
//!
//! The merchant's return page, after its server verified the PG's post, hands the result to
//! the window that called `open()`: its opener (popup) or its parent (iframe layer), with an
//! explicit target origin so a result never reaches a page of another site.

use super::error::{invalid, invalid_shape};
use super::js;
use crate::window::{FormProblem, MESSAGE_SOURCE};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Posts the verified result to the opener or parent. Returns `true` when relayed, `false` when
/// this page has neither (redirect mode: the page itself must show the result).
#[wasm_bindgen(js_name = relayResult)]
pub fn relay_result(
    #[wasm_bindgen(unchecked_param_type = "PaymentResult")] result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RelayOptions")] options: JsValue,
) -> Result<bool, JsValue> {
    if !options.is_object() {
        return Err(invalid_shape(
            "options",
            "must be { targetOrigin, requestId }",
        ));
    }
    let target_origin = js::string(&options, "targetOrigin")?;
    let request_id = js::string(&options, "requestId")?;
    // Close the popup after relaying unless told otherwise; ignored in an iframe.
    let close = js::opt_bool(&options, "close")?.unwrap_or(true);
    // The browser's own URL parser decides, as postMessage will: the string must be exactly
    // the origin it serializes (security review, finding 9).
    if !super::dom::exact_origin(&target_origin) {
        return Err(invalid(&FormProblem {
            field: "targetOrigin",
            rule: "explicit_http_origin",
        }));
    }
    if request_id.is_empty() {
        return Err(invalid_shape("requestId", "must not be empty"));
    }
    let w = crate::dom::page_window()?;
    let opener = w
        .opener()
        .ok()
        .filter(|o| !o.is_null() && !o.is_undefined());
    let parent = w
        .parent()
        .ok()
        .flatten()
        .filter(|p| JsValue::from(p.clone()) != JsValue::from(w.clone()));
    let (target, is_popup): (web_sys::Window, bool) = match (opener, parent) {
        (Some(o), _) => (o.unchecked_into(), true),
        (None, Some(p)) => (p, false),
        (None, None) => return Ok(false),
    };
    let message = Object::new();
    Reflect::set(&message, &"source".into(), &MESSAGE_SOURCE.into())?;
    Reflect::set(&message, &"type".into(), &"result".into())?;
    Reflect::set(&message, &"requestId".into(), &request_id.as_str().into())?;
    Reflect::set(&message, &"result".into(), &result)?;
    target.post_message(&message, &target_origin)?;
    // A window opened from inside a frame (Smartro FORWARD=N: its module opens its window from
    // the hidden `payFrame`, nokr82/GVMP:myOffice/SmartroPay/mainPayConfirm.php@fcee951e) has
    // that frame as opener; the page that called open() is the frame's parent. The
    // targetOrigin keeps the copy from any page of another site.
    if let Some(up) = target.parent().ok().flatten() {
        if is_popup && JsValue::from(up.clone()) != JsValue::from(target.clone()) {
            up.post_message(&message, &target_origin)?;
        }
    }
    if is_popup && close {
        let _ = w.close();
    }
    Ok(true)
}
