//! What the script-driven adapters (XPay, KCP) share: one promise settled once with teardown,
//! loading a PG script with a timeout, page globals the PG script calls, and result objects.
//!
//! Those PGs draw their own window (XPay's iframe, KCP's layer), so the engine's `open()`
//! does not apply; this is the small part of its contract they need: settle once, clean up,
//! time out.

use crate::prelude::*;

use super::super::error::{error, error_with, name_conflict};
use super::super::js::{self, StateCell as _};
use crate::window::ErrorCode;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Window;

/// Default time a PG script may take to load before `SCRIPT_LOAD_FAILED`.
pub(super) const SCRIPT_TIMEOUT_MS: i32 = 15_000;
const DEFAULT_TIMEOUT_MS: i32 = 20 * 60 * 1000;

struct State {
    settled: bool,
    resolve: Function,
    reject: Function,
    cleanup: Vec<Box<dyn FnOnce()>>,
    keep: Vec<Box<dyn core::any::Any>>,
}

/// A payment in progress: settles once, then runs its cleanups (globals, layers, timers).
#[derive(Clone)]
pub(super) struct Flow(Rc<RefCell<State>>);

pub(super) fn win() -> Result<Window, JsValue> {
    crate::web::dom::window().ok_or_else(|| JsValue::from_str("hanpay.pay needs a browser window"))
}

impl Flow {
    /// A new flow and its promise; it fails with `TIMEOUT` after `timeout_ms` (default 20 min).
    pub(super) fn new(timeout_ms: Option<i32>) -> (Promise, Flow) {
        let mut slot = None;
        let promise = Promise::new(&mut |res, rej| slot = Some((res, rej)));
        // The executor runs synchronously, so the slot is always filled; the fallback (calls
        // that fail quietly) only avoids a panic path and `new Function`, which CSPs forbid.
        let (resolve, reject) = slot.unwrap_or_else(|| {
            let none: Function = JsValue::UNDEFINED.unchecked_into();
            (none.clone(), none)
        });
        let flow = Flow(Rc::new(RefCell::new(State {
            settled: false,
            resolve,
            reject,
            cleanup: Vec::new(),
            keep: Vec::new(),
        })));
        let f = flow.clone();
        let _ = flow.timer(timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS), move || {
            f.fail(error(
                ErrorCode::Timeout,
                "no payment result arrived in time",
            ))
        });
        (promise, flow)
    }

    pub(super) fn settled(&self) -> bool {
        self.0.read().settled
    }

    /// Runs `f` when the flow settles.
    pub(super) fn on_end(&self, f: impl FnOnce() + 'static) {
        self.0.write().cleanup.push(Box::new(f));
    }

    /// Keeps a closure alive until the flow settles (dropped on a later tick).
    pub(super) fn keep<T: 'static>(&self, value: T) {
        self.0.write().keep.push(Box::new(value));
    }

    /// A one-shot timer cleared when the flow settles.
    pub(super) fn timer(&self, ms: i32, f: impl FnOnce() + 'static) -> Result<(), JsValue> {
        let w = win()?;
        let cb = js::once(move |_| f());
        let id = w.set_timeout_with_callback_and_timeout_and_arguments_0(js::function(&cb), ms)?;
        self.keep(cb);
        self.on_end(move || w.clear_timeout_with_handle(id));
        Ok(())
    }

    pub(super) fn succeed(&self, value: JsValue) {
        self.finish(Ok(value))
    }

    pub(super) fn fail(&self, err: JsValue) {
        self.finish(Err(err))
    }

    fn finish(&self, outcome: Result<JsValue, JsValue>) {
        let (callback, cleanup, keep) = {
            let mut s = self.0.write();
            if s.settled {
                return;
            }
            s.settled = true;
            let cb = if outcome.is_ok() {
                s.resolve.clone()
            } else {
                s.reject.clone()
            };
            (
                cb,
                core::mem::take(&mut s.cleanup),
                core::mem::take(&mut s.keep),
            )
        };
        for f in cleanup {
            f();
        }
        // One of the kept closures may be running right now: drop them on a later tick.
        if let Ok(w) = win() {
            let later = js::once_into_js(move |_| drop(keep));
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
        }
        let value = match outcome {
            Ok(v) | Err(v) => v,
        };
        let _ = callback.call1(&JsValue::NULL, &value);
    }

    /// Runs `step` with the value of `value` (a promise or a plain value); a failing step
    /// fails the flow.
    pub(super) fn then(
        &self,
        value: &JsValue,
        step: impl FnOnce(JsValue) -> Result<(), JsValue> + 'static,
    ) {
        let ok_flow = self.clone();
        let err_flow = self.clone();
        let on_ok = js::once(move |v| {
            if ok_flow.settled() {
                return;
            }
            if let Err(e) = step(v) {
                ok_flow.fail(e);
            }
        });
        let on_err = js::once(move |e| err_flow.fail(e));
        js::then(value, js::function(&on_ok), js::function(&on_err));
        self.keep(on_ok);
        self.keep(on_err);
    }

    /// Sets a global the PG script calls by name (`claim_global`) and releases it when the
    /// flow ends.
    pub(super) fn global(
        &self,
        target: &JsValue,
        name: &'static str,
        f: &JsValue,
    ) -> Result<(), JsValue> {
        claim_global(target, name, f)?;
        let (t, f) = (target.clone(), f.clone());
        self.on_end(move || release_global(&t, name, &f));
        Ok(())
    }
}

/// Sets the page global `name` to `f`, bound to one flow: a global that is already set belongs
/// to a concurrent flow or to the page, and taking it over would let one flow settle, or
/// delete, another's (security review, finding 7), so that is `NAME_CONFLICT`.
pub(super) fn claim_global(
    target: &JsValue,
    name: &'static str,
    f: &JsValue,
) -> Result<(), JsValue> {
    if !js::get(target, name).is_undefined() {
        return Err(name_conflict(name));
    }
    Reflect::set(target, &name.into(), f)?;
    Ok(())
}

/// Deletes the global `name` only if it is still `f`, the flow's own function.
pub(super) fn release_global(target: &JsValue, name: &str, f: &JsValue) {
    if js::get(target, name) == *f {
        let _ = Reflect::delete_property(target.unchecked_ref::<Object>(), &name.into());
    }
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
pub(crate) fn refusal(code: &str, message: &str, cancelled: bool) -> JsValue {
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
