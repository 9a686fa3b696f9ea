//! LG U+ XPay cross-platform (notes/pg-protocols.md §1.5, §1.6).
//!
//! Desktop: load `xpay_crossplatform.js`, define the globals it calls (`getFormObject`,
//! `var LGD_window_type`, and `payment_return` — or `setLGDResult` on older pages — which the
//! `LGD_RETURNURL` page calls on its parent), then
//! `openXpay(form, CST_PLATFORM, 'iframe', null, "", "")` (older scripts: `open_paymentwindow`).
//! `payment_return` reads `LGD_RESPCODE`/`LGD_PAYKEY` from the return page inside XPay's
//! iframe and resolves `{next: "payment_by_key", LGD_PAYKEY}`.
//! Mobile: `open_paymentwindow(form, CST_PLATFORM, 'submit')`, a full-page transition; the
//! return page then finishes the payment itself.

use crate::prelude::*;

use super::super::dom;
use super::super::js::{self, StateCell as _};
use super::flow::{as_fn, field, next_step, refusal, win, Flow};
use crate::pg::Mode;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

/// What XPay's return page is taken to report when the buyer closes the window. No public
/// source names `S053`: neither gnuboard's `shop/lg/returnurl.php` nor its mobile copy mentions
/// it, nor does manual 000 (docs/findings.md, Vendor scripts). It is kept as the one code
/// hanpay maps to `USER_CANCEL`; any other non-0000 code is `PG_ERROR` with the PG's code.
const CANCEL_CODE: &str = "S053";

pub(super) fn pay(form: JsValue, cfg: super::Config) -> js_sys::Promise {
    super::flow::session(&form, cfg, start)
}

fn start(flow: &Flow, form: &JsValue, cfg: super::Config) -> Result<(), JsValue> {
    let doc = win()?.document().ok_or_else(crate::error::no_browser)?;
    let fields = js::fields(form)?;
    let platform = field(&fields, "CST_PLATFORM").to_string();
    // The script URL follows the platform the server signed for (one table: crate::pg::xpay).
    let mode = match platform.as_str() {
        "test" => Mode::Test,
        "service" => Mode::Live,
        _ => {
            return Err(super::super::error::invalid_shape(
                "CST_PLATFORM",
                "\"test\" or \"service\" (a form signed by hanpay)",
            ))
        }
    };
    let src = cfg.script(crate::pg::xpay::script_url(mode), "xpay");
    let loaded = dom::load_script(&doc, &src, cfg.script_timeout_ms);
    let f = flow.clone();
    let redirect = cfg.redirect;
    flow.and_then(&loaded, move |_| show(&f, &fields, &platform, redirect));
    Ok(())
}

fn global_fn(global: &JsValue, name: &str) -> Option<Function> {
    as_fn(Reflect::get(global, &JsValue::from_str(name)).ok()?)
}

fn show(
    flow: &Flow,
    fields: &[(String, String)],
    platform: &str,
    redirect: bool,
) -> Result<(), JsValue> {
    let w = win()?;
    let doc = w.document().ok_or_else(crate::error::no_browser)?;
    let global: JsValue = w.into();
    // `var LGD_window_type`, "수정불가" in every sample (Akachu/lg-xpay-php-utf-8:
    // payreq_crossplatform.php@1f24683b); older return pages read `parent.LGD_window_type`.
    let window_type = if redirect { "submit" } else { "iframe" };
    flow.global(&global, "LGD_window_type", &window_type.into())?;
    // The form is `<form id="LGD_PAYINFO">` as the samples locate it; its inputs carry ids equal
    // to their names because the vendor reads fields with getElementById. build_form refuses
    // (NAME_CONFLICT) when the page already holds one of those ids: that element would win the
    // lookup (gnuboard-style pages keep their own LGD_* inputs).
    let form = dom::build_form(&doc, "LGD_PAYINFO", field(fields, "LGD_ENCODING"), fields)?;
    flow.own(&form, "remove");
    let form_js: JsValue = form.clone().into();
    let get_form = js::callback(move |_, _, _| form_js.clone());
    flow.global(&global, "getFormObject", &get_form)?;

    if redirect {
        // Smart XPay: the script submits the form in this window (notes §1.6).
        let open = global_fn(&global, "open_paymentwindow")
            .ok_or_else(|| missing("open_paymentwindow"))?;
        open.call3(&global, &form, &platform.into(), &"submit".into())?;
        return Ok(());
    }

    let lgdwin: Rc<RefCell<JsValue>> = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let order_id = field(fields, "LGD_OID").to_string();
    let (f, frame) = (flow.clone(), lgdwin.clone());
    let return_url = field(fields, "LGD_RETURNURL").to_string();
    let payment_return = js::on_event(move |_| {
        // Only the LGD_RETURNURL page in XPay's frame may settle: a call made while the frame
        // shows anything else came from another frame of the page (security review, finding 7).
        if !dom::shows_page(&frame.read(), &return_url) {
            return;
        }
        // The return page is the merchant's own (same origin) inside XPay's iframe; its
        // elements belong to that frame's realm, hence the unchecked casts.
        let read = |id: &str| dom::frame_value(&frame.read(), id);
        let (code, msg, key) = (
            read("LGD_RESPCODE"),
            read("LGD_RESPMSG"),
            read("LGD_PAYKEY"),
        );
        if code == "0000" && !key.is_empty() {
            f.succeed(next_step(
                "xpay",
                &order_id,
                "payment_by_key",
                &[("LGD_RESPCODE", code), ("LGD_PAYKEY", key)],
            ));
        } else {
            f.fail(refusal(&code, &msg, code == CANCEL_CODE));
        }
    });
    flow.global(&global, "payment_return", &payment_return)?;
    // Older LGD_RETURNURL pages call `parent.setLGDResult()` (iframe) instead (vendor-scripts.md
    // §1.1, "parent.setLGDResult"): the same function, with the same frame check.
    flow.global(&global, "setLGDResult", &payment_return)?;
    flow.own(&global, "closeIframe");
    let open = global_fn(&global, "openXpay")
        .or_else(|| global_fn(&global, "open_paymentwindow"))
        .ok_or_else(|| missing("openXpay"))?;
    let args = Array::of3(&form, &platform.into(), &"iframe".into());
    args.push(&JsValue::NULL);
    args.push(&"".into());
    args.push(&"".into());
    *lgdwin.write() = open.apply(&global, &args)?;
    Ok(())
}

fn missing(name: &str) -> JsValue {
    super::super::error::error_with(
        crate::window::ErrorCode::ScriptLoadFailed,
        "the XPay script loaded but does not define its entry point",
        &[("missing", name.into())],
    )
}
