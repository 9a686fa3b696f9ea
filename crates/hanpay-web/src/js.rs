//! Reading the plain objects JavaScript passes in (options, forms, result messages) property by
//! property, so the browser build needs no serde deserializer: that machinery, with its error
//! formatting, cost more than the rest of the engine together (issue 8 size budget). Only own
//! data properties count (`dom::own_value`): an inherited `sandbox`, `allowedOrigins` or
//! `requestId` planted by prototype pollution is not an option (security review, finding 3).

use crate::prelude::*;

use super::dom::own_value;
use super::error::invalid_shape;
pub(crate) use super::value::{object, str_or_null};
use core::cell::{Ref, RefCell, RefMut};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

/// The own data property `obj[key]`, or `undefined` (also when `obj` is not an object, or the
/// property is inherited or a getter).
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    own_value(obj, &JsValue::from_str(key))
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// An optional string property; present but not a string is an `INVALID_PARAMETERS` error.
pub(crate) fn opt_string(obj: &JsValue, key: &'static str) -> Result<Option<String>, JsValue> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid_shape(key, "must be a string"))
}

/// A required string property.
pub(crate) fn string(obj: &JsValue, key: &'static str) -> Result<String, JsValue> {
    opt_string(obj, key)?.ok_or_else(|| invalid_shape(key, "is required"))
}

pub(crate) fn opt_bool(obj: &JsValue, key: &'static str) -> Result<Option<bool>, JsValue> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| invalid_shape(key, "must be a boolean"))
}

/// A non-negative whole number of milliseconds, capped where timers would overflow.
pub(crate) fn opt_millis(obj: &JsValue, key: &'static str) -> Result<Option<i32>, JsValue> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.is_finite() => Ok(Some(n.min(i32::MAX as f64) as i32)),
        _ => Err(invalid_shape(
            key,
            "must be a non-negative number of milliseconds",
        )),
    }
}

/// An optional array of strings.
pub(crate) fn opt_strings(
    obj: &JsValue,
    key: &'static str,
) -> Result<Option<Vec<String>>, JsValue> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    let list = v
        .dyn_into::<Array>()
        .map_err(|_| invalid_shape(key, "must be an array of strings"))?;
    items(&list)
        .map(|item| {
            item.as_string()
                .ok_or_else(|| invalid_shape(key, "must be an array of strings"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The elements of an array as own properties: a hole is `undefined`, not whatever a polluted
/// `Array.prototype[i]` holds.
fn items(list: &Array) -> impl Iterator<Item = JsValue> + '_ {
    (0..list.length()).map(move |i| own_value(list, &JsValue::from(i)))
}

/// An optional keyword parsed by `parse` (e.g. a mode name).
pub(crate) fn opt_keyword<T>(
    obj: &JsValue,
    key: &'static str,
    parse: fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<Option<T>, JsValue> {
    match opt_string(obj, key)? {
        None => Ok(None),
        Some(s) => parse(&s)
            .map(Some)
            .ok_or_else(|| invalid_shape(key, allowed)),
    }
}

/// `fields: [[name, value], …]` of a `CheckoutForm`.
pub(crate) fn fields(obj: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let v = get(obj, "fields");
    if absent(&v) {
        return Ok(Vec::new());
    }
    const RULE: &str = "must be an array of [name, value] string pairs";
    let list = v
        .dyn_into::<Array>()
        .map_err(|_| invalid_shape("fields", RULE))?;
    items(&list)
        .map(|pair| {
            let pair = pair
                .dyn_into::<Array>()
                .map_err(|_| invalid_shape("fields", RULE))?;
            let mut it = items(&pair);
            match (
                pair.length(),
                it.next().and_then(|v| v.as_string()),
                it.next().and_then(|v| v.as_string()),
            ) {
                (2, Some(name), Some(value)) => Ok((name, value)),
                _ => Err(invalid_shape("fields", RULE)),
            }
        })
        .collect()
}

/// Every callback hanpay hands to JavaScript has this one type: wasm-bindgen then generates its
/// call/drop glue once instead of once per closure, which was the largest single cost in the
/// browser build. JavaScript may pass fewer arguments (they arrive as `undefined`); a callback
/// with nothing to return answers `undefined`. The function is owned by JavaScript and frees
/// the closure when it is garbage-collected: a payment session (`dom::Session`) holds its
/// callbacks until it settles, so none is freed while it runs.
type Callback = Closure<dyn FnMut(JsValue, JsValue, JsValue) -> JsValue>;

pub(crate) fn callback(f: impl FnMut(JsValue, JsValue, JsValue) -> JsValue + 'static) -> JsValue {
    Callback::wrap(Box::new(f)).into_js_value()
}

/// A callback of one argument and no result (event listeners, promise handlers, timers).
pub(crate) fn on_event(mut f: impl FnMut(JsValue) + 'static) -> JsValue {
    callback(move |v, _, _| {
        f(v);
        JsValue::UNDEFINED
    })
}

/// A callback that runs at most once.
pub(crate) fn once(f: impl FnOnce(JsValue) + 'static) -> JsValue {
    let mut f = Some(f);
    on_event(move |v| {
        if let Some(f) = f.take() {
            f(v)
        }
    })
}

/// A run-once `then` handler: its `Ok` becomes the next value, its `Err` a rejection (returned
/// as a rejected promise, which `then` adopts).
pub(crate) fn once_map(f: impl FnOnce(JsValue) -> Result<JsValue, JsValue> + 'static) -> JsValue {
    let mut f = Some(f);
    callback(move |v, _, _| match f.take() {
        Some(f) => f(v).unwrap_or_else(|e| js_sys::Promise::reject(&e).into()),
        None => JsValue::UNDEFINED,
    })
}

/// `Promise.resolve(value).then(on_ok, on_err)` with JS functions (js-sys's typed `then` wants its
/// own closure type): the handlers' result, or a thrown error, becomes the returned promise.
pub(crate) fn then(value: &JsValue, on_ok: &JsValue, on_err: &JsValue) -> JsValue {
    let p: JsValue = js_sys::Promise::resolve(value).into();
    // `then` is Promise.prototype's: the one inherited property read on purpose.
    Reflect::get(&p, &"then".into())
        .ok()
        .and_then(|t| t.dyn_into::<js_sys::Function>().ok())
        .and_then(|t| t.call2(&p, on_ok, on_err).ok())
        .unwrap_or(p)
}

/// `RefCell` borrows for the browser side's shared state. A conflicting borrow traps, exactly as
/// `borrow`/`borrow_mut` would under the browser build's trapping panic handler, but without
/// linking core's borrow-error formatting (issue 8 size budget). No borrow is held across a
/// call into JavaScript that could call back into the same state.
pub(crate) trait StateCell<T> {
    fn read(&self) -> Ref<'_, T>;
    fn write(&self) -> RefMut<'_, T>;
}

impl<T> StateCell<T> for RefCell<T> {
    fn read(&self) -> Ref<'_, T> {
        self.try_borrow()
            .unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }

    fn write(&self) -> RefMut<'_, T> {
        self.try_borrow_mut()
            .unwrap_or_else(|_| core::arch::wasm32::unreachable())
    }
}
