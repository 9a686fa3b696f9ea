//! Smartro WEBLink (SmilePay legacy) emulation: the PC payment page behind
//! `interfaceURL.jsp` (EUC-KR, popup `payWindow`, or `FORWARD=N`: the hidden 0×0 `payFrame` from
//! which the module opens its own window), the smartphone page
//! `pay/interfaceURL` (UTF-8, `StopURL` required), `SignValue`-signed results to `ReturnURL`,
//! and `RetryURL` deposit notices retried until the merchant answers `OK`.

mod api;

use super::ledger::{Payment, State as Booked};
use super::notify::default_gap;
use super::{notify, pay_window, Pending, Session, Shared};
use crate::credentials::{SMARTRO_KEY, SMARTRO_MID};
use crate::pages::error_page;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use hanpay::pg::smartro;
use hanpay::pg::{Params, Pg};
use hanpay::text::Charset;
use serde::Deserialize;
use std::collections::HashMap;

/// Pages of this emulator the merchant's page may frame (`origin::guard`): Smartro's window in hanpay's `payFrame` layer (`FORWARD=N`) and the decision page in it.
pub const FRAMED: &[&str] = &["/pg/smartro/interfaceURL.jsp", "/pg/smartro/decide"];

pub fn routes() -> Router<Shared> {
    Router::new()
        .merge(api::routes())
        .route("/pg/smartro/interfaceURL.jsp", post(pc))
        .route("/pg/smartro/pay/interfaceURL", post(mobile))
        .route("/pg/smartro/decide", post(decide))
        .route("/pg/smartro/module", axum::routing::get(module))
        .route("/pg/smartro/sandbox/deposit", post(deposit))
}

/// The key of a test MID (only the published pair is known to the sandbox).
fn key_of(mid: &str) -> Option<&'static str> {
    (mid == SMARTRO_MID).then_some(SMARTRO_KEY)
}

/// What the real page checks before showing the window: the request table (required, bytes,
/// formats), a known MID, and `EncryptData` over ediDate + MID + Amt + key (manual 001 §3.1).
fn check(p: &Params, mobile: bool) -> Result<(), (String, String)> {
    hanpay::pg::validate(p, smartro::FIELDS, Charset::Utf8, &[])
        .map_err(|e| (format!("{}:{}", e.field, e.code()), e.to_string()))?;
    let key =
        key_of(p.str("MID")).ok_or(("MID:unknown".to_string(), "unregistered MID".to_string()))?;
    let expect = smartro::encrypt_data(p.str("ediDate"), p.str("MID"), p.str("Amt"), key);
    if !hanpay::pg::same(&expect, p.str("EncryptData")) {
        return Err((
            "EncryptData:mismatch".into(),
            "EncryptData does not match ediDate + MID + Amt (amount or date changed after signing?)".into(),
        ));
    }
    if mobile && p.str("StopURL").is_empty() {
        return Err((
            "StopURL:required".into(),
            "StopURL is required on the smartphone page".into(),
        ));
    }
    // The emulator checks what it will navigate to itself, whoever built the form: hanpay's
    // Smartro table refuses a `javascript:` StopURL too, but a hand-made form need not have come
    // through it (security review finding 2).
    super::check_urls(p, &["ReturnURL", "StopURL"], &["RetryURL"])
}

fn open(st: &Shared, body: &[u8], mobile: bool) -> Response {
    // PC pages decode EUC-KR (manual 001 §3.1.3); the smartphone page takes UTF-8.
    let p = match crate::http::decode_form(body, !mobile) {
        Ok(p) => p,
        Err(e) => return error_page("Smartro", "charset", &e),
    };
    if let Err((code, detail)) = check(&p, mobile) {
        return error_page("Smartro", &code, &detail);
    }
    let vbank = p.str("PayMethod") == "VBANK";
    let rows = [
        ("상점", p.str("MID").to_string()),
        ("주문번호", p.str("Moid").to_string()),
        ("상품명", p.str("GoodsName").to_string()),
        ("금액", p.str("Amt").to_string()),
        ("결제수단", p.str("PayMethod").to_string()),
    ];
    let forward_n = !mobile && p.str("FORWARD") == "N";
    let session = st.open_session(Session {
        pg: Pg::Smartro,
        params: p,
        mobile,
    });
    if forward_n {
        // "화면처리방식 N:결제모듈내부 팝업호출" with a 0×0 `payFrame` (nokr82/GVMP:myOffice/
        // SmartroPay/mainPayConfirm.php@fcee951e): the page in payFrame opens the module's own
        // window. Its name and size are the sandbox's (545×573 like payWindow); what the real
        // interfaceURL.jsp shows there is not public.
        let url = crate::pages::script_json(&serde_json::Value::String(format!(
            "/pg/smartro/module?session={session}"
        )));
        return Html(format!(
            "<!doctype html><meta charset=utf-8><title>Smartro</title><body data-smartro-frame>\
             <script>window.open({url}, 'SMARTRO_MODULE', 'width=545,height=573');</script>"
        ))
        .into_response();
    }
    let approve = if vbank {
        ("approve", "가상계좌 발급 (Issue account)")
    } else {
        ("approve", "결제 승인 (Approve)")
    };
    pay_window(
        "Smartro",
        &session,
        "/pg/smartro/decide",
        &rows,
        &[
            approve,
            ("decline", "거절 (Decline)"),
            ("cancel", "취소 (Cancel)"),
        ],
    )
}

/// The module window a `FORWARD=N` payFrame opened: the same payment window.
async fn module(
    State(st): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("session").map(String::as_str).unwrap_or("");
    let Some(s) = st.session(id) else {
        return error_page("Smartro", "session", "no such payment window");
    };
    let p = &s.params;
    let rows = [
        ("상점", p.str("MID").to_string()),
        ("주문번호", p.str("Moid").to_string()),
        ("금액", p.str("Amt").to_string()),
    ];
    pay_window(
        "Smartro",
        id,
        "/pg/smartro/decide",
        &rows,
        &[
            ("approve", "결제 승인 (Approve)"),
            ("decline", "거절 (Decline)"),
            ("cancel", "취소 (Cancel)"),
        ],
    )
}

async fn pc(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    open(&st, &body, false)
}

async fn mobile(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    open(&st, &body, true)
}

/// A 30-character TID: MID(10) + method(2) + medium(2) + yyMMddHHmmss(12) + serial(4) (notes §2.1).
fn tid(st: &Shared, method: &str, mobile: bool) -> String {
    let m = match method {
        "BANK" => "02",
        "VBANK" => "03",
        "CELLPHONE" => "05",
        _ => "01",
    };
    format!(
        "{SMARTRO_MID}{m}{}{}{:04}",
        if mobile { "02" } else { "01" },
        crate::ids::yymmddhhmmss(),
        st.next_id() % 10_000
    )
}

fn result_fields(p: &Params, tid: &str, code: &str, msg: &str) -> Vec<(String, String)> {
    let sign = smartro::sign_value(tid, code, SMARTRO_KEY).unwrap_or_default();
    let mut f: Vec<(String, String)> = [
        ("PayMethod", p.str("PayMethod")),
        ("MID", p.str("MID")),
        ("TID", tid),
        ("Amt", p.str("Amt")),
        // The return names the order `OID` (manual 001 §6.1, 001:L650; the official
        // returnPay.php reads it: vendor-scripts.md §4.1), not the request's `Moid`.
        ("OID", p.str("Moid")),
        ("GoodsName", p.str("GoodsName")),
        ("BuyerName", p.str("BuyerName")),
        ("ResultCode", code),
        ("ResultMsg", msg),
        ("AuthDate", &crate::ids::yymmddhhmmss()),
        ("SignValue", &sign),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if p.str("PayMethod") == "CARD" && code == "3001" {
        f.push(("AuthCode".into(), "30012345".into()));
        f.push(("fn_cd".into(), "01".into()));
    }
    if code == "4100" {
        f.push(("VbankNum".into(), "56211000123456".into()));
        f.push(("VbankBankCode".into(), "004".into()));
        f.push(("VbankExpDate".into(), p.str("VbankExpDate").into()));
    }
    f
}

async fn decide(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let sid = f.get("session").map(String::as_str).unwrap_or("");
    let Some(s) = st.take_session(sid) else {
        return error_page(
            "Smartro",
            "session",
            "this payment window has already been used or expired",
        );
    };
    let p = &s.params;
    let decision = f.get("decision").map(String::as_str).unwrap_or("");
    if decision == "cancel" {
        // The buyer gives up: a popup just closes (the opener sees the window close); the
        // smartphone page goes to StopURL (notes §2.1 mobile flow), checked again here because
        // it becomes a navigation (finding 2: a `javascript:` StopURL ran on this origin).
        let stop = crate::origin::navigation_target(p.str("StopURL")).unwrap_or("");
        let stop = crate::pages::script_json(&serde_json::Value::String(stop.to_string()));
        return Html(format!(
            "<!doctype html><meta charset=utf-8><title>취소</title><p>결제를 취소했습니다.</p>\
             <script>if (window.opener) window.close(); else if ({stop}) location.replace({stop});</script>"
        ))
        .into_response();
    }
    let vbank = p.str("PayMethod") == "VBANK";
    let (code, msg) = match (decision, vbank) {
        ("approve", true) => ("4100", "가상계좌발급성공"),
        ("approve", false) => ("3001", "카드 결제 성공"),
        _ => ("3095", "카드사 실패 응답 (declined)"),
    };
    let t = tid(&st, p.str("PayMethod"), s.mobile);
    if let Some(state) = match code {
        "3001" => Some(Booked::Paid),
        "4100" => Some(Booked::Issued),
        _ => None,
    } {
        let amount = p.str("Amt").parse().unwrap_or(0);
        let booked = Payment::new(p.str("Moid"), amount, p.str("PayMethod"), state);
        st.ledger.record(Pg::Smartro, &t, booked);
    }
    if code == "4100" {
        let amount = p.str("Amt").parse().unwrap_or(0);
        st.put_pending(
            p.str("Moid"),
            Pending {
                pg: Pg::Smartro,
                order_id: p.str("Moid").into(),
                amount,
                tid: t.clone(),
                approve: true,
                method: "VBANK".into(),
                used: false,
            },
        );
        st.put_pending(
            &format!("smartro-notify:{}", p.str("Moid")),
            Pending {
                tid: p.str("RetryURL").into(),
                ..pending_stub()
            },
        );
    }
    let charset = if p.str("EncodingType") == "utf8" {
        "UTF-8"
    } else {
        "EUC-KR"
    };
    super::auto_post(
        "Smartro",
        p.str("ReturnURL"),
        &result_fields(p, &t, code, msg),
        charset,
    )
}

fn pending_stub() -> Pending {
    Pending {
        pg: Pg::Smartro,
        order_id: String::new(),
        amount: 0,
        tid: String::new(),
        approve: false,
        method: String::new(),
        used: false,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DepositRequest {
    order_id: String,
    #[serde(default)]
    amount: Option<u64>,
    #[serde(default = "default_gap")]
    gap_ms: u64,
}

/// Sandbox control: the buyer deposits into the issued account; the PG sends the `RetryURL`
/// notice (ResultCode 4110, StateCd 0, signed) until the merchant answers `OK`.
async fn deposit(State(st): State<Shared>, Json(req): Json<DepositRequest>) -> Response {
    let Some(va) = st.pending(&req.order_id, false) else {
        return error_page(
            "Smartro",
            "vbank:unknown",
            "no virtual account issued for this order",
        );
    };
    let url = st
        .pending(&format!("smartro-notify:{}", req.order_id), false)
        .map(|p| p.tid)
        .unwrap_or_default();
    if req.amount.is_none_or(|a| a >= va.amount) {
        st.ledger.deposit(Pg::Smartro, &va.order_id);
    }
    let amount = req.amount.unwrap_or(va.amount).to_string();
    let code = "4110";
    let sign = smartro::sign_value(&va.tid, code, SMARTRO_KEY).unwrap_or_default();
    let fields: Vec<(String, String)> = [
        ("PayMethod", "VBANK"),
        ("MID", SMARTRO_MID),
        ("TID", &va.tid),
        ("Amt", &amount),
        // The RetryURL notice names the order `OID` (manual 001 §6.4, 001:L935).
        ("OID", &va.order_id),
        ("ResultCode", code),
        ("ResultMsg", "가상계좌입금성공"),
        ("StateCd", "0"),
        ("SignValue", &sign),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Json(notify::deliver(&url, &fields, notify::exactly_ok, req.gap_ms).await).into_response()
}
