//! KSNET KSPay WebHost (notes/pg-protocols.md §4.1, §4.2).
//!
//! Desktop: KSNET's PC page `KSPayWebV1.4/KSPayPWeb.jsp` (the form's action, `kspay::action_url`)
//! in an iframe layer named `payment-frame`, 822×630, the default of KSNET's own PC script
//! (`_KSPAY_URL`, `submitI` when `iframeYn` is not `N`: jeihomme/jenkins_test:src/main/webapp/
//! resources/payment/kspay_web.js@978fdeee, Binjiho/laraArrhythmia:public/script/
//! kspay_web_ssl.js@ce0c4b04); `mode: "popup"` gets that script's other window, popup
//! `_KSPAY_WIN` of the same size. hanpay does what the script does instead of loading it: the
//! script pulls its jQuery with `document.writeln` at load, which browsers ignore for a
//! script added after the page loaded, and then stops at `KSNET_JQUERY` (a live integration
//! found the same: johnlee79/jzl-closet:lib/payments/ksnet/config.ts@25182cf1); apart from its
//! `navigator.platform` check (desktop Linux counts as mobile there) and alerts, it only builds
//! that frame and posts the form into it.
//!
//! KSNET's page posts the ids to `sndReply`, the merchant's relay page, which calls
//! `eparamSet(rcid, rctype, rhash)` then `goResult()` on its opener or parent, or — for the
//! buyer's cancel, `reCnclType=1` — `mcancel()` (the official relay, HyeongjuLee/
//! wpr-cosmico:PG/KSNET/utf-8/kspay_wh_rcv.asp@c7077f50). The adapter defines those three
//! globals for the life of the payment: `mcancel` is `USER_CANCEL` at once, the other two
//! resolve `{next: "fetch_result", reCommConId, …}`: KSNET signs nothing the merchant can
//! check, so only the server's `recv_post.jsp` fetch tells whether the payment was approved.
//! `reCommType` is passed on as posted (`WH` live, jzl-closet route.ts@18d60948); `reEncData`,
//! empty there, is not needed for the fetch.
//! Mobile: a full-page POST to `KSPayMobileV1.4/KSPayPWeb.jsp`; KSNET posts the ids to
//! `sndReply` (the merchant's result page), which finishes the payment itself.

use crate::prelude::*;

use super::super::dom;
use super::super::error::error_with;
use super::super::js::{self, StateCell as _};
use super::super::open::Shape;
use super::flow::field;
use crate::window::ErrorCode;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

const GLOBALS: [&str; 3] = ["eparamSet", "goResult", "mcancel"];

/// KSNET's PC script: frame `payment-frame` or popup `_KSPAY_WIN`, both 822×630 (kspay_web.js
/// `iWinX`/`iWinY` outside old IE).
const SHAPE: Shape = Shape {
    popup: "_KSPAY_WIN",
    frame: "payment-frame",
    features: "width=822,height=630,left=100,top=100,resizable=yes,scrollbars=yes",
    size: (822, 630),
    pg_origins: "",
};

/// What the relay page's calls are checked against, known once the form arrives.
#[derive(Default)]
struct Expect {
    order_id: String,
    /// `sndReply`: the relay page; the globals count only while hanpay's window shows it.
    reply: String,
}

pub(super) fn pay(form: JsValue, cfg: super::Config) -> Result<Promise, JsValue> {
    let global: JsValue = crate::dom::page_window()?.into();
    // One KSPay checkout at a time: both would need the same globals (finding 7). Refused
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
    let (promise, handle) =
        super::super::open::open_shaped(form, cfg.engine_options("iframe"), SHAPE, "");
    let Some(handle) = handle else {
        return Ok(promise);
    };
    let handle = Rc::new(handle);
    // The relay page runs in hanpay's own window; a call while that window shows anything
    // else (KSNET's page, about:blank) comes from another frame of this page — a widget
    // calling parent.eparamSet/goResult with ids of its choosing — and is ignored.
    let (h, ex) = (handle.clone(), expect.clone());
    let from_relay = move || dom::shows_page(&h.window(), &ex.read().reply);
    let from_relay_c = from_relay.clone();
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
    // The relay's `reCnclType == "1"` branch: the buyer closed KSNET's window.
    let (cancel, relay) = (handle.clone(), from_relay_c);
    let m_cancel = js::on_event(move |_| {
        if relay() {
            cancel.fail(super::super::error::error(
                ErrorCode::UserCancel,
                "the buyer cancelled in the KSNET window",
            ));
        }
    });
    // The session releases them when it settles, only while they are still this flow's.
    let session = handle.session();
    for (name, f) in GLOBALS.iter().zip([eparam_set, go_result, m_cancel]) {
        // Free a moment ago; only a page onFallback handler could have taken it since.
        if let Err(e) = session.global(&global, name, &f) {
            handle.fail(e);
            break;
        }
    }
    Ok(promise)
}
