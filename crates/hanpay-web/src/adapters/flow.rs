//! What the script-driven adapters (XPay, KCP, SMARTRO PAY) share: the payment session
//! (`dom::Session`, the same one `open()` runs on: settled once, its timers, globals, frames and
//! listeners released with it, `TIMEOUT` after the caller's `timeoutMs`), and result objects.
//!
//! Those PGs draw their own window (XPay's iframe, KCP's layer), so the engine's `open()`
//! does not apply; they need only that session.

use crate::prelude::*;

use super::super::error::{error, error_with};
use crate::dom::Session;
use crate::window::ErrorCode;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Window;

/// Default time a PG script may take to load before `SCRIPT_LOAD_FAILED`.
pub(super) const SCRIPT_TIMEOUT_MS: i32 = 15_000;
pub(crate) const DEFAULT_TIMEOUT_MS: i32 = 20 * 60 * 1000;

pub(super) fn win() -> Result<Window, JsValue> {
    crate::dom::page_window()
}

/// A payment in progress (the adapters' name for the session).
pub(super) type Flow = Session;

impl Session {
    pub(crate) fn succeed(&self, value: JsValue) {
        self.settle(true, &value)
    }

    pub(crate) fn fail(&self, err: JsValue) {
        self.settle(false, &err)
    }

    /// Runs `step` with the value of `value` (a promise or a plain value) unless the session
    /// settled by then; a failing step fails it.
    pub(crate) fn and_then(
        &self,
        value: &JsValue,
        step: impl FnOnce(JsValue) -> Result<(), JsValue> + 'static,
    ) {
        self.then(
            value,
            &super::super::js::once_map(move |v| step(v).map(|()| JsValue::UNDEFINED)),
        );
    }
}

/// The promise of a PG script's window: a session whose `start` runs once `form` (a form or
/// its promise) resolves, and whose first rejection or result settles it.
pub(super) fn session(
    form: &JsValue,
    cfg: super::Config,
    start: impl FnOnce(&Flow, &JsValue, super::Config) -> Result<(), JsValue> + 'static,
) -> js_sys::Promise {
    let (promise, flow) = self::start(cfg.timeout_ms);
    let f = flow.clone();
    flow.and_then(form, move |form| start(&f, &form, cfg));
    promise
}

/// A new session and its promise; it fails with `TIMEOUT` after `timeout_ms` (default 20 min).
pub(super) fn start(timeout_ms: Option<i32>) -> (js_sys::Promise, Flow) {
    let flow = Session::new(timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS));
    (flow.promise(), flow)
}

/// `{pg, orderId, status: "authenticated", success: false, next, …fields}`: the one result
/// shape of every adapter. The browser step authenticated the buyer; money moves only at the
/// server step `next` names, so this is not a success yet (issue #12).
pub(super) fn next_step(
    pg: &str,
    order_id: &str,
    next: &str,
    fields: &[(&str, String)],
) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("pg", pg.into());
    set("orderId", order_id.into());
    set("status", "authenticated".into());
    set("success", false.into());
    set("next", next.into());
    for (k, v) in fields {
        set(k, v.as_str().into());
    }
    o.into()
}

/// The PG's refusal: `USER_CANCEL` for its cancel code, else `PG_ERROR` with its code/message.
pub(super) fn refusal(code: &str, message: &str, cancelled: bool) -> JsValue {
    if cancelled {
        return error(
            ErrorCode::UserCancel,
            "the payment was cancelled in the PG window",
        );
    }
    let m = if message.is_empty() {
        "the PG declined the payment"
    } else {
        message
    };
    error_with(
        ErrorCode::PgError,
        m,
        &[("pgCode", code.into()), ("pgMessage", message.into())],
    )
}

pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A function from any realm (a PG script in an iframe has its own `Function`, so
/// `instanceof` — and with it `dyn_into` — would refuse it).
pub(super) fn as_fn(v: JsValue) -> Option<Function> {
    v.is_function().then(|| v.unchecked_into())
}
