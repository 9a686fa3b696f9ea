//! KSNET KSPay WebHost (notes/pg-protocols.md §4.1, §4.2).
//!
//! Desktop: KSNET's page opens in the engine's popup; its `sndReply` is the merchant's relay
//! page, which calls `eparamSet(rcid, rctype, rhash)` then `goResult()` on its opener (or
//! parent, when a blocked popup fell back to the layer). The adapter defines exactly those two
//! globals for the life of the payment and resolves `{next: "fetch_result", reCommConId, …}`:
//! KSNET signs nothing the merchant can check, so only the server's `recv_post.jsp` fetch
//! tells whether the payment was approved. (The PC script `kspay_web_ssl.js` is not used: its
//! internals are not public; the popup posts the same fields to the same page.)
//! Mobile: a full-page POST to `KSPayPWeb.jsp`; KSNET posts the ids to `sndReply` (the
//! merchant's result page), which finishes the payment itself.

use crate::prelude::*;

use super::super::js::{self, StateCell as _};
use super::flow::field;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const GLOBALS: [&str; 2] = ["eparamSet", "goResult"];

pub(super) fn pay(form: JsValue, cfg: super::Config) -> Promise {
    let global: JsValue = match crate::web::dom::window() {
        Some(w) => w.into(),
        None => return Promise::reject(&JsValue::from_str("hanpay.pay needs a browser window")),
    };
    let form = super::retarget_any(form, cfg.sandbox.clone(), "kspay");
    // The order id arrives with the form (maybe later, as a promise): keep it for goResult.
    let order_id: Rc<RefCell<String>> = Rc::default();
    let oid = order_id.clone();
    let remember = js::once_map(move |f| {
        // A malformed form is the engine's to reject (open() reads it strictly).
        let fields = js::fields(&f).unwrap_or_default();
        *oid.write() = field(&fields, "sndOrdernumber").to_string();
        Ok(f)
    });
    let form = js::then(&form, &remember, &JsValue::UNDEFINED);
    let (promise, handle) = super::super::open::open_with_handle(form, cfg.engine_options("popup"));
    let Some(handle) = handle else {
        return promise;
    };
    let ids: Rc<RefCell<[String; 3]>> = Rc::default();
    let set_ids = ids.clone();
    let eparam_set = js::callback(move |rcid, rctype, rhash| {
        let s = |v: &JsValue| v.as_string().unwrap_or_default();
        *set_ids.write() = [s(&rcid), s(&rctype), s(&rhash)];
        JsValue::UNDEFINED
    });
    let go_result = js::on_event(move |_| {
        let [rcid, rctype, rhash] = ids.read().clone();
        let result = super::flow::next_step(
            "kspay",
            &order_id.read(),
            "fetch_result",
            &[
                ("reCommConId", rcid.clone()),
                ("reCommType", rctype),
                ("reHash", rhash),
            ],
        );
        if rcid.is_empty() {
            // goResult without eparamSet: nothing to fetch, so the payment did not happen.
            let _ = Reflect::set(&result, &"success".into(), &false.into());
            let _ = Reflect::set(&result, &"code".into(), &"NO_RESULT".into());
            let _ = Reflect::set(
                &result,
                &"message".into(),
                &"KSNET returned no result id".into(),
            );
        }
        handle.deliver(result);
    });
    let _ = Reflect::set(&global, &GLOBALS[0].into(), eparam_set.as_ref());
    let _ = Reflect::set(&global, &GLOBALS[1].into(), go_result.as_ref());
    // Settled either way: the globals go, and with them the closures. The derived promise
    // always fulfils, so observing the settlement adds no unhandled rejection.
    let cleanup = js::once_into_js(move |_| {
        for name in GLOBALS {
            let _ = Reflect::delete_property(global.unchecked_ref::<Object>(), &name.into());
        }
        drop((eparam_set, go_result));
    });
    let _ = js::then(&promise, &cleanup, &cleanup);
    promise
}
