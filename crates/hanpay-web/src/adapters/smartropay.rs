//! SMARTRO PAY (crates/hanpay-pg/src/pg/smartropay/mod.rs, sources S1–S7 there).
//!
//! The form's `action` is the module script the server signed for: the PC script
//! (`tpay`/`pay`) or the phone one (`tmpay`/`mpay`). The adapter loads it, writes the fields
//! into a hidden form of its own id `hanpay-smartropay`, calls `smartropay.init({mode})` with
//! STG/REAL for the script's host and then `smartropay.payment({FormId, …})`. (One merchant's
//! comment calls `tranMgr` a fixed id the module looks for; other samples pass `kcForm` and
//! `paymentForm` (S7, S2's view), so `FormId` is what counts, and an id of hanpay's own cannot
//! collide with the merchant page's `tranMgr`.)
//! - PC: with a `Callback`; `res.Tid` + `res.TrAuthKey` resolve `{next: "approve", Tid,
//!   TrAuthKey}` (S6, S7). A Callback without `TrAuthKey` is no approval: without a
//!   `ResultCode` it is the buyer leaving (`USER_CANCEL`, unverified: no source shows the real
//!   module's cancel), with one it is `PG_ERROR` with that code.
//!   The DOM and module calls and the Callback, which settles the session, are `js/dom.js
//!   smartroPay` (as a wasm closure the Callback cost several times its size, docs/size.md).
//! - Phone: without a Callback; the page transitions and the module posts to `ReturnUrl`
//!   (S6), whose page finishes the payment itself.

use super::super::dom::{self, Session};
use super::super::error::invalid_shape;
use super::super::js;
use super::flow::{field, Flow};
use crate::pg::smartropay;
use js_sys::Array;
use wasm_bindgen::prelude::*;

// The adapter's DOM and module calls live in the shared `js/dom.js` (docs/size.md: a snippet
// of its own measured +220 bytes); their binding lives here, with the adapter.
#[wasm_bindgen(module = "/js/dom.js")]
extern "C" {
    /// Loads `src`, then `init` + `payment` over a hidden form `hanpay-smartropay`, with a
    /// Callback that settles `session` for `order_id` unless it is `None` (phones). Fails the
    /// session with `SCRIPT_LOAD_FAILED`.
    #[wasm_bindgen(js_name = smartroPay)]
    fn smartro_pay(
        session: &Session,
        src: &str,
        timeout_ms: i32,
        fields: &Array,
        mode: &str,
        order_id: Option<&str>,
    );
}

pub(super) fn pay(form: JsValue, cfg: super::Config) -> js_sys::Promise {
    super::flow::session(&form, cfg, start)
}

fn start(flow: &Flow, form: &JsValue, cfg: super::Config) -> Result<(), JsValue> {
    let action = js::get(form, "action").as_string().unwrap_or_default();
    let (mode, phone) = smartropay::script_kind(&action)
        .ok_or_else(|| invalid_shape("action", "SMARTRO PAY script URL"))?;
    let fields = js::fields(form)?;
    // PC: the Callback settles with the order id (`js/dom.js smartroPay`); phones have none.
    let order_id = (!phone).then(|| field(&fields, "Moid"));
    let src = cfg.script(&action, "smartropay");
    let mode = smartropay::init_mode(mode);
    smartro_pay(
        flow,
        &src,
        cfg.script_timeout_ms,
        &dom::flat(&fields),
        mode,
        order_id,
    );
    Ok(())
}
