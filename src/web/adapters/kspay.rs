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

use super::super::dom;
use super::super::error::error_with;
use super::super::js::{self, StateCell as _};
use super::flow::{claim_global, field, release_global};
use crate::window::ErrorCode;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

const GLOBALS: [&str; 2] = ["eparamSet", "goResult"];

/// What the relay page's calls are checked against, known once the form arrives.
#[derive(Default)]
struct Expect {
    order_id: String,
    /// `sndReply`: the relay page; the globals count only while hanpay's window shows it.
    reply: String,
}

pub(super) fn pay(form: JsValue, cfg: super::Config) -> Result<Promise, JsValue> {
    let global: JsValue = crate::web::dom::window()
        .ok_or_else(|| JsValue::from_str("hanpay.pay needs a browser window"))?
        .into();
    // One KSPay checkout at a time: both would need the same two globals (finding 7). Refused
    // before any window opens.
    for name in GLOBALS {
        if !js::get(&global, name).is_undefined() {
            return Err(super::super::error::name_conflict(name));
        }
    }
    let form = super::retarget_any(form, cfg.sandbox.clone(), "kspay");
    let expect: Rc<RefCell<Expect>> = Rc::default();
    let ex = expect.clone();
    let remember = js::once_map(move |f| {
        // A malformed form is the engine's to reject (open() reads it strictly).
        let fields = js::fields(&f).unwrap_or_default();
        *ex.write() = Expect {
            order_id: field(&fields, "sndOrdernumber").to_string(),
            reply: field(&fields, "sndReply").to_string(),
        };
        Ok(f)
    });
    let form = js::then(&form, &remember, &JsValue::UNDEFINED);
    let (promise, handle) = super::super::open::open_with_handle(form, cfg.engine_options("popup"));
    let Some(handle) = handle else {
        return Ok(promise);
    };
    let handle = Rc::new(handle);
    // The relay page runs in hanpay's own window; a call while that window shows anything
    // else (KSNET's page, about:blank) comes from another frame of this page — a widget
    // calling parent.eparamSet/goResult with ids of its choosing — and is ignored.
    let (h, ex) = (handle.clone(), expect.clone());
    let from_relay = move || dom::shows_page(&h.window(), &ex.read().reply);
    let ids: Rc<RefCell<[String; 3]>> = Rc::default();
    let (set_ids, relay) = (ids.clone(), from_relay.clone());
    let eparam_set = js::callback(move |rcid, rctype, rhash| {
        if relay() {
            let s = |v: &JsValue| v.as_string().unwrap_or_default();
            *set_ids.write() = [s(&rcid), s(&rctype), s(&rhash)];
        }
        JsValue::UNDEFINED
    });
    let settle = handle.clone();
    let go_result = js::on_event(move |_| {
        if !from_relay() {
            return;
        }
        let [rcid, rctype, rhash] = ids.read().clone();
        if rcid.is_empty() {
            // goResult without eparamSet: nothing to fetch, so the payment did not happen.
            let why = "KSNET returned no result id";
            return settle.fail(error_with(
                ErrorCode::PgError,
                why,
                &[("pgCode", "NO_RESULT".into()), ("pgMessage", why.into())],
            ));
        }
        let order_id = expect.read().order_id.clone();
        settle.resolve(super::flow::next_step(
            "kspay",
            &order_id,
            "fetch_result",
            &[
                ("reCommConId", rcid),
                ("reCommType", rctype),
                ("reHash", rhash),
            ],
        ));
    });
    let fns: [JsValue; 2] = [
        js::function(&eparam_set).clone().into(),
        js::function(&go_result).clone().into(),
    ];
    for (name, f) in GLOBALS.iter().zip(&fns) {
        // Free a moment ago; only a page onFallback handler could have taken it since.
        if let Err(e) = claim_global(&global, name, f) {
            handle.fail(e);
            break;
        }
    }
    // Settled either way: this flow's globals go (not another's), and with them the closures.
    // The derived promise always fulfils, so observing the settlement adds no unhandled
    // rejection.
    let cleanup = js::once_into_js(move |_| {
        for (name, f) in GLOBALS.iter().zip(&fns) {
            release_global(&global, name, f);
        }
        drop((eparam_set, go_result));
    });
    let _ = js::then(&promise, &cleanup, &cleanup);
    Ok(promise)
}
