//! SMARTRO PAY emulation (crates/hanpay-pg/src/pg/smartropay/mod.rs names the public sources S1–S7):
//! - the module script at its real path `/asset/js/SmartroPAY-1.0.min.js` (every script host
//!   maps to `/pg/smartropay`), defining `smartropay.init({mode})` and
//!   `smartropay.payment({FormId, Callback})` as the samples call them (S7);
//! - with a `Callback` (PC) the payment page opens in a layer over the merchant page and the
//!   Callback receives `{Tid, TrAuthKey}` (S6); without one (mobile) the page transitions and
//!   the result is posted to `ReturnUrl` with the form's own fields (S6), a stop goes to
//!   `StopUrl` (S1/S7 "Mobile 연동 시 필수");
//! - `urlCallApproval.do` (JSON `{Tid, TrAuthKey}`, one use per TrAuthKey, `SignValue`-signed
//!   answer, S2/S5) and `cancel.do` (JSON `{EncData, Mid}`, AES-decrypted, `HashData` checked,
//!   `2001`, S4).
//!
//! Stricter than, or unverified against, the real module (no public copy of the script exists,
//! vendor-scripts.md §6): the payment page's path and the layer's size are the emulator's own;
//! the message between the layer and the script is the emulator's own; and a buyer who closes
//! the layer gets a Callback without `TrAuthKey` — no source shows what the real module does
//! then, and hanpay's adapter reports that as `USER_CANCEL` instead of waiting for a timeout.
//! Only `STG` is accepted: the sandbox emulates the test system.

use super::ledger::{CancelAsk, Payment, Refusal, State as Booked};
use super::{pay_window, Pending, Session, Shared};
use crate::credentials::{SMARTROPAY_CANCEL_PWD, SMARTROPAY_KEY, SMARTROPAY_MID};
use crate::pages::error_page;
use crate::pages::script_json;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use hanpay::pg::{self, smartropay, Params, Pg};
use hanpay::text::Charset;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Pages of this emulator the merchant's page may frame (`origin::guard`): SMARTRO PAY's payment layer and the decision page in it.
pub const FRAMED: &[&str] = &[
    "/pg/smartropay/sandbox/payment",
    "/pg/smartropay/sandbox/decide",
];

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/pg/smartropay/asset/js/SmartroPAY-1.0.min.js", get(script))
        .route("/pg/smartropay/sandbox/payment", post(payment))
        .route("/pg/smartropay/sandbox/decide", post(decide))
        .route(
            "/pg/smartropay/payment/approval/urlCallApproval.do",
            post(approve),
        )
        .route("/pg/smartropay/payment/approval/cancel.do", post(cancel))
}

/// The module script. `smartropay.payment` copies the named form's fields into a post to the
/// payment page, into a layer iframe when a Callback is given (PC), else in this window.
async fn script(headers: HeaderMap) -> Response {
    let base = format!("{}/pg/smartropay", crate::http::base_url(&headers));
    let js = crate::pages::fill(
        include_str!("../../templates/smartropay.js"),
        &[("base", &script_json(&Value::String(base.clone())))],
    );
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        js,
    )
        .into_response()
}

fn key_of(mid: &str) -> Option<&'static str> {
    (mid == SMARTROPAY_MID).then_some(SMARTROPAY_KEY)
}

/// What the module checks before showing its window: the request table, a known Mid, the
/// `EncryptData` digest, `StopUrl` on phones and the URLs it will navigate to.
fn check(p: &Params, pc: bool) -> Result<(), (String, String)> {
    if p.str("_mode") != "STG" {
        return Err((
            "mode:STG".into(),
            "the sandbox emulates the test system: smartropay.init({mode: 'STG'})".into(),
        ));
    }
    let fields = Params(
        p.0.iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .cloned()
            .collect(),
    );
    pg::validate(&fields, smartropay::FIELDS, Charset::Utf8, &[])
        .map_err(|e| (format!("{}:{}", e.field, e.code()), e.to_string()))?;
    let key = key_of(p.str("Mid")).ok_or(("Mid:unknown".into(), "unregistered Mid".into()))?;
    let expect = smartropay::encrypt_data(p.str("EdiDate"), p.str("Mid"), p.str("Amt"), key);
    if !pg::same(&expect, p.str("EncryptData")) {
        return Err((
            "EncryptData:mismatch".into(),
            "EncryptData does not match EdiDate + Mid + Amt".into(),
        ));
    }
    if !pc && p.str("StopUrl").is_empty() {
        return Err(("StopUrl:required".into(), "Mobile 연동 시 필수".into()));
    }
    super::check_urls(p, &["ReturnUrl", "StopUrl"], &[])
}

async fn payment(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    let p = match crate::http::decode_form(&body, false) {
        Ok(p) => p,
        Err(e) => return error_page("SMARTRO PAY", "charset", &e),
    };
    let pc = p.str("_pc") == "1";
    if let Err((code, detail)) = check(&p, pc) {
        return error_page("SMARTRO PAY", &code, &detail);
    }
    let rows = [
        ("상점", p.str("Mid").to_string()),
        ("주문번호", p.str("Moid").to_string()),
        ("상품명", p.str("GoodsName").to_string()),
        ("금액", p.str("Amt").to_string()),
        ("결제수단", p.str("PayMethod").to_string()),
    ];
    let session = st.open_session(Session {
        pg: Pg::SmartroPay,
        params: p,
        mobile: !pc,
    });
    pay_window(
        "SMARTRO PAY",
        &session,
        "/pg/smartropay/sandbox/decide",
        &rows,
        &[
            ("approve", "결제 승인 (Approve)"),
            ("decline", "카드사 거절 (Decline at approval)"),
            ("cancel", "취소 (Cancel)"),
        ],
    )
}

/// A 30-character Tid as in S5's answer (`SMTNEW001m01012507251636283998`): Mid(10) + method
/// (2) + medium (2) + yyMMddHHmmss (12) + serial (4).
fn tid(st: &Shared, mid: &str, mobile: bool) -> String {
    format!(
        "{mid:<10.10}01{}{}{:04}",
        if mobile { "02" } else { "01" },
        crate::ids::yymmddhhmmss(),
        st.next_id() % 10_000
    )
}

/// The layer page that hands the Callback's object to the merchant page (PC).
fn to_callback(res: &Value, return_url: &str) -> Response {
    let target = url_origin(return_url);
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>SMARTRO PAY</title><p>결과 전달 중…</p>\
         <script>parent.postMessage({{smartropay: 1, res: {res}}}, {target});</script>",
        res = script_json(res),
        target = script_json(&Value::String(target))
    ))
    .into_response()
}

/// `scheme://host[:port]` of an absolute URL (already checked by [`check`]).
fn url_origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

async fn decide(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let sid = f.get("session").map(String::as_str).unwrap_or("");
    let Some(s) = st.take_session(sid) else {
        return error_page(
            "SMARTRO PAY",
            "session",
            "this payment window was already used",
        );
    };
    let p = &s.params;
    let decision = f.get("decision").map(String::as_str).unwrap_or("");
    if decision == "cancel" {
        if s.mobile {
            // Checked again: it becomes a navigation (security review finding 2).
            return match crate::origin::navigation_target(p.str("StopUrl")) {
                Ok(stop) => Redirect::to(stop).into_response(),
                Err(e) => error_page("SMARTRO PAY", "StopUrl:origin", &e.to_string()),
            };
        }
        let res = json!({"Tid": "", "TrAuthKey": "", "ResultCode": "", "ResultMsg": "사용자 취소"});
        return to_callback(&res, p.str("ReturnUrl"));
    }
    let t = tid(&st, p.str("Mid"), s.mobile);
    let auth_key = format!("TA{:016}{}", st.next_id(), crate::ids::yymmddhhmmss());
    st.put_pending(
        &auth_key,
        Pending {
            pg: Pg::SmartroPay,
            order_id: p.str("Moid").into(),
            amount: p.str("Amt").parse().unwrap_or(0),
            tid: t.clone(),
            approve: decision == "approve",
            method: p.str("PayMethod").into(),
            used: false,
        },
    );
    if s.mobile {
        // S6: on phones the module posts the original form's fields to ReturnUrl.
        let mut fields: Vec<(String, String)> =
            p.0.iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .cloned()
                .collect();
        fields.push(("Tid".into(), t));
        fields.push(("TrAuthKey".into(), auth_key));
        return super::auto_post("SMARTRO PAY", p.str("ReturnUrl"), &fields, "UTF-8");
    }
    to_callback(
        &json!({"Tid": t, "TrAuthKey": auth_key}),
        p.str("ReturnUrl"),
    )
}

/// `urlCallApproval.do`: the TrAuthKey is good once and only with its own Tid.
async fn approve(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let p = Params::from_json(&text).unwrap_or_default();
    let (t, key) = (p.str("Tid"), p.str("TrAuthKey"));
    let pending = st
        .pending(key, true)
        .filter(|x| x.pg == Pg::SmartroPay && x.tid == t);
    let Some(x) = pending else {
        return Json(json!({"ResultCode": "3002", "ResultMsg": "인증 정보 없음 (unknown Tid/TrAuthKey)", "Tid": t}))
            .into_response();
    };
    if x.used {
        return Json(json!({"ResultCode": "3002", "ResultMsg": "이미 승인 요청된 거래 (TrAuthKey already used)", "Tid": t}))
            .into_response();
    }
    let (code, msg) = if x.approve {
        ("3001", "카드 결제 성공")
    } else {
        ("3095", "카드사 실패 응답 (declined)")
    };
    let sign = smartropay::sign_value(&x.tid, code, SMARTROPAY_KEY).unwrap_or_default();
    let mut v = json!({
        "Tid": x.tid, "Mid": SMARTROPAY_MID, "Moid": x.order_id, "Amt": x.amount.to_string(),
        "PayMethod": x.method, "ResultCode": code, "ResultMsg": msg,
        "AuthDate": crate::ids::yymmddhhmmss(), "SignValue": sign,
    });
    if x.approve {
        v["AuthCode"] = json!("30012345");
        v["AppCardCode"] = json!("12");
        v["AppCardName"] = json!("NH농협");
        // The PG's own record of the payment, which cancel.do checks remaining amount and
        // state against (ledger.rs, as for the other PGs).
        let booked = Payment::new(&x.order_id, x.amount, &x.method, Booked::Paid);
        st.ledger.record(Pg::SmartroPay, &x.tid, booked);
    }
    Json(v).into_response()
}

/// `cancel.do`: `EncData` opened with the Mid's key, `HashData` over Tid + key + CancelAmt +
/// PartialCancelCode, the cancel password, then the ledger: what remains and the state.
async fn cancel(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    let fail = |code: &str, msg: &str| Json(json!({"ResultCode": code, "ResultMsg": msg}));
    let outer = Params::from_json(&String::from_utf8_lossy(&body)).unwrap_or_default();
    let Some(key) = key_of(outer.str("Mid")) else {
        return fail("2002", "unregistered Mid").into_response();
    };
    let Some(inner) = smartropay::open_enc_data(outer.str("EncData"), key) else {
        return fail("2002", "EncData does not decrypt with the Mid's key").into_response();
    };
    let p = Params::from_json(&inner).unwrap_or_default();
    let hash = smartropay::cancel_hash(
        p.str("Tid"),
        key,
        p.str("CancelAmt"),
        p.str("PartialCancelCode"),
    );
    if !pg::same(&hash, p.str("HashData")) {
        return fail("2002", "HashData mismatch").into_response();
    }
    if p.str("CancelPwd") != SMARTROPAY_CANCEL_PWD || p.str("Mid") != outer.str("Mid") {
        return fail("2002", "cancel password or Mid wrong").into_response();
    }
    let Ok(amount) = p.str("CancelAmt").parse::<u64>() else {
        return fail("2002", "CancelAmt must be digits").into_response();
    };
    // PartialCancelCode 0 cancels all that remains, 1 a part of it (S4/S5); the ledger refuses
    // an amount above what remains, a cancel of a cancelled payment and a full cancel whose
    // amount is not the remaining one. Codes other than 2001/2013 are the sandbox's own.
    let ask = CancelAsk {
        amount: Some(amount),
        partial: p.str("PartialCancelCode") == "1",
        refund_account: false,
    };
    match st.ledger.cancel(Pg::SmartroPay, p.str("Tid"), ask) {
        Ok(c) => Json(
            json!({"ResultCode": "2001", "ResultMsg": "취소 성공", "Tid": p.str("Tid"),
            "CancelAmt": c.amount.to_string(), "RemainAmt": c.remaining.to_string()}),
        )
        .into_response(),
        Err(r) => {
            let (code, msg) = match r {
                Refusal::Unknown => ("2002", "no such paid transaction"),
                Refusal::AlreadyCancelled => ("2013", "취소 완료 거래임(기취소)"),
                Refusal::OverCancel => (
                    "2032",
                    "취소금액이 취소가능금액보다 큼 (above the remaining amount)",
                ),
                Refusal::AmountMismatch => (
                    "2033",
                    "전체취소 금액 불일치 (a full cancel takes all that remains)",
                ),
                Refusal::RefundAccountRequired | Refusal::WrongState => {
                    ("2034", "취소 불가 거래 (not cancellable in this state)")
                }
            };
            fail(code, msg).into_response()
        }
    }
}
