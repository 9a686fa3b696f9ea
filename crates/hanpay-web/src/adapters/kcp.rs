//! NHN KCP 표준웹 (notes/pg-protocols.md §3.1, §3.3).
//!
//! Desktop: `payplus_web.jsp` writes its code with `document.write`, which Chrome ignores in
//! scripts inserted after load, so (like the g7 plugin) the adapter writes a same-origin
//! iframe document itself — `m_Completepayment` first, then the script tag, synchronously
//! parsed — and calls `KCP_Pay_Execute_Web` (or `KCP_Pay_Execute`) there. The callback runs
//! `GetField(form, FormOrJson)` and resolves `{next: "approve", enc_data, enc_info, tran_cd}`.
//! The iframe covers the page so KCP's layer shows; it is removed when the flow ends, which
//! takes the only global (`m_Completepayment`, inside the iframe) with it.
//! Mobile: the form from trade registration goes to `PayUrl` — or, for UTF-8 forms, to the
//! `encodingFilter.jsp` next to it (§3.3) — through the engine's redirect.

use crate::prelude::*;

use super::super::dom::{self, form_value};
use super::super::js::{self, StateCell as _};
use super::flow::{as_fn, field, next_step, refusal, Flow};
use crate::pg::Mode;
use crate::window::ErrorCode;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlFormElement, Window};

/// Fields the server's approval needs, copied from the form after `GetField`.
const RESULT_FIELDS: &[&str] = &[
    "enc_data",
    "enc_info",
    "tran_cd",
    "use_pay_method",
    "ordr_idxx",
];

pub(super) fn pay(form: JsValue, cfg: super::Config) -> Promise {
    if cfg.redirect {
        return mobile(form, cfg);
    }
    super::flow::session(&form, cfg, |f, form, cfg| desktop(f, form, &cfg))
}

/// `PayUrl` → `<dir of PayUrl>/jsp/encodingFilter/encodingFilter.jsp` when the form is UTF-8
/// (notes §3.3: gnuboard `order_mobile.php`, `PayUrl` kept as a field).
fn mobile_action(fields: &[(String, String)]) -> Option<String> {
    let pay_url = field(fields, "PayUrl");
    if pay_url.is_empty() {
        return None;
    }
    if field(fields, "encoding_trans") == "UTF-8" {
        let dir = crate::text::rsplit_once_ascii(pay_url, b'/').map_or(pay_url, |(dir, _)| dir);
        return Some(crate::text::concat(&[
            dir,
            "/jsp/encodingFilter/encodingFilter.jsp",
        ]));
    }
    Some(pay_url.to_string())
}

fn mobile(form: JsValue, cfg: super::Config) -> Promise {
    let sandbox = cfg.sandbox.clone();
    let map = js::once_map(move |form| {
        let fields = js::fields(&form)?;
        let action = mobile_action(&fields).ok_or_else(|| {
            super::super::error::invalid_shape(
                "PayUrl",
                "required on mobile (from KCP trade registration)",
            )
        })?;
        let copy = super::super::dom::own_copy(&form);
        let action = match &sandbox {
            Some(sb) => super::to_sandbox(&action, sb, "kcp"),
            None => action,
        };
        Reflect::set(&copy, &"action".into(), &action.into())?;
        Ok(copy)
    });
    let mapped = js::then(&form, &map, &JsValue::UNDEFINED);
    super::super::open::open(mapped, cfg.engine_options("popup"))
}

fn desktop(flow: &Flow, form: &JsValue, cfg: &super::Config) -> Result<(), JsValue> {
    let fields = js::fields(form)?;
    // The script follows the site code's test/live kind (one table: crate::pg::kcp).
    let test = crate::pg::kcp::TEST_SITE_CODES.contains(&field(&fields, "site_cd"));
    let src = cfg.script(
        crate::pg::kcp::web_script_url(if test { Mode::Test } else { Mode::Live }),
        "kcp",
    );

    let frame = dom::open_frame("KCP 결제 (Payment)", "kcp-frame")?;
    flow.own(&frame, "remove");
    let iwin: Window = frame
        .content_window()
        .ok_or_else(|| crate::error::error(ErrorCode::WindowClosed, "the payment frame is gone"))?;
    let iglobal: JsValue = iwin.clone().into();

    // m_Completepayment(FormOrJson, closeEvent): declared before the script (§3.1 step 1).
    let slot: Rc<RefCell<Option<HtmlFormElement>>> = Rc::new(RefCell::new(None));
    let (f, g, order_id, form_slot) = (
        flow.clone(),
        iglobal.clone(),
        field(&fields, "ordr_idxx").to_string(),
        slot.clone(),
    );
    let on_complete = move |data: JsValue, close: JsValue| {
        let Some(form) = form_slot.read().clone() else {
            return f.fail(JsValue::from_str(
                "KCP called m_Completepayment before the payment started",
            ));
        };
        if let Some(get_field) = Reflect::get(&g, &"GetField".into()).ok().and_then(as_fn) {
            let _ = get_field.call2(&g, &form, &data);
        }
        let res_cd = form_value(&form, "res_cd");
        if res_cd == "0000" {
            let values: Vec<(&str, String)> = RESULT_FIELDS
                .iter()
                .map(|k| (*k, form_value(&form, k)))
                .collect();
            f.succeed(next_step("kcp", &order_id, "approve", &values));
        } else {
            if let Some(c) = as_fn(close) {
                let _ = c.call0(&JsValue::NULL);
            }
            // 3001, '', 7777 or a message naming 취소: the buyer left (`kcp::is_buyer_cancel`).
            let msg = form_value(&form, "res_msg");
            let cancelled = crate::pg::kcp::is_buyer_cancel(&res_cd, &msg);
            f.fail(refusal(&res_cd, &msg, cancelled));
        }
    };
    let complete = js::callback(move |data, close, _| {
        on_complete(data, close);
        JsValue::UNDEFINED
    });
    Reflect::set(&iglobal, &"m_Completepayment".into(), &complete)?;

    let (f1, f2, f3) = (flow.clone(), flow.clone(), flow.clone());
    let on_error = js::once(move |_| f1.fail(load_failed("the KCP script failed to load")));
    let started = slot.clone();
    flow.timer(
        cfg.script_timeout_ms,
        &js::once(move |_| {
            if started.read().is_none() {
                f3.fail(load_failed("the KCP script did not load in time"));
            }
        }),
    );
    let fields2 = fields.to_vec();
    let on_load = js::once(move |_| match execute(&iwin, &fields2) {
        Ok(form) => *slot.write() = Some(form),
        Err(e) => f2.fail(e),
    });
    // The frame's load event fires once the written document (and its script) is done.
    dom::write_script(
        &frame,
        &src,
        on_error.unchecked_ref(),
        on_load.unchecked_ref(),
    )?;
    Ok(())
}

fn load_failed(why: &str) -> JsValue {
    super::super::error::error_with(ErrorCode::ScriptLoadFailed, why, &[])
}

/// Builds the order form in the iframe (response fields included, empty, by the builder)
/// and starts KCP; the launcher may throw on a normal end (§3.1 step 3), which is ignored.
fn execute(iwin: &Window, fields: &[(String, String)]) -> Result<HtmlFormElement, JsValue> {
    let idoc = iwin
        .document()
        .ok_or_else(|| crate::error::error(ErrorCode::WindowClosed, "the payment frame is gone"))?;
    let g: JsValue = iwin.clone().into();
    let launcher = ["KCP_Pay_Execute_Web", "KCP_Pay_Execute"]
        .iter()
        .find_map(|n| as_fn(Reflect::get(&g, &JsValue::from_str(n)).ok()?))
        .ok_or_else(|| load_failed("the KCP script loaded but defines no KCP_Pay_Execute"))?;
    let form = dom::build_form(&idoc, "order_info", "", fields)?;
    let _ = launcher.call1(&g, &form);
    Ok(form)
}
