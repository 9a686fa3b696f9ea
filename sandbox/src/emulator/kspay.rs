//! KSNET KSPay WebHost emulation (notes/pg-protocols.md §4): the two payment pages
//! `KSPayPWeb.jsp` — the PC module under `KSPayWebV1.4` (which KSNET's PC script posts into an
//! iframe `payment-frame` or a popup `_KSPAY_WIN`, 822×630: jeihomme/jenkins_test:src/main/
//! webapp/resources/payment/kspay_web.js@978fdeee) and the smartphone module under
//! `KSPayMobileV1.4` (a full page) — which post only ids (`reCommConId`, `reCommType`,
//! `reHash`, `reCnclType`, `reEncData`) to `sndReply`, and the server-side result fetch
//! `recv_post.jsp` under either module (`sndActionType=1` answers EUC-KR backtick-delimited
//! fields in the order of `sndRpyParams`; `3` confirms processing). KSNET signs nothing the
//! merchant can check, so the fetch is the only verification.
//!
//! The posted fields are those of a logged live post (johnlee79/jzl-closet:app/api/payment/
//! ksnet/return/[[...orderNo]]/route.ts@18d60948): `reCommType=WH`, an empty `reEncData`; the
//! window's [닫기] posts an empty `reCommConId` with `reCnclType=1` (jzl-closet
//! lib/payments/ksnet/config.ts@25182cf1). The `reHash` value is the sandbox's own.
//! Stricter than KSNET: the smartphone page refuses the bank-transfer bit (002:L355) and both
//! pages check the field table; what the real pages do with such forms is not public.

use super::{pay_window, Pending, Session, Shared};
use crate::credentials::KSPAY_STORE_ID;
use crate::pages::error_page;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use hanpay::pg::{kspay, Params, Pg};
use hanpay::text::Charset;
use std::collections::HashMap;

/// Sandbox-defined refusal code carried in `authno` (KSNET's codes are per card company).
const DECLINED: &str = "X999";

/// Pages of this emulator the merchant's page may frame (`origin::guard`): KSNET's PC and mobile windows in its `payment-frame` (or hanpay's `payFrame` layer) and the decision page in it.
pub const FRAMED: &[&str] = &[
    "/pg/kspay/store/KSPayMobileV1.4/KSPayPWeb.jsp",
    "/pg/kspay/store/KSPayWebV1.4/KSPayPWeb.jsp",
    "/pg/kspay/decide",
];

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/pg/kspay/store/KSPayWebV1.4/KSPayPWeb.jsp", post(pc_page))
        .route(
            "/pg/kspay/store/KSPayMobileV1.4/KSPayPWeb.jsp",
            post(phone_page),
        )
        .route("/pg/kspay/decide", post(decide))
        .route(
            "/pg/kspay/store/KSPayWebV1.4/web_host/recv_post.jsp",
            post(recv_post).get(recv_post_query),
        )
        .route(
            "/pg/kspay/store/KSPayMobileV1.4/web_host/recv_post.jsp",
            post(recv_post).get(recv_post_query),
        )
}

/// The page's checks: store id, the field table with KSNET's byte counts (Hangul = 2 bytes,
/// "30Byte(한글15자)", manual 002 Part 3) and its forbidden quotes.
fn check(p: &Params) -> Result<(), (String, String)> {
    hanpay::pg::validate(p, kspay::FIELDS, Charset::EucKr, kspay::FORBIDDEN)
        .map_err(|e| (format!("{}:{}", e.field, e.code()), e.to_string()))?;
    if p.str("sndStoreid") != KSPAY_STORE_ID {
        return Err((
            "sndStoreid:unknown".into(),
            "unregistered sndStoreid".into(),
        ));
    }
    super::check_urls(p, &["sndReply"], &[])
}

async fn pc_page(st: State<Shared>, body: axum::body::Bytes) -> Response {
    page(st, body, false)
}

async fn phone_page(st: State<Shared>, body: axum::body::Bytes) -> Response {
    page(st, body, true)
}

fn page(State(st): State<Shared>, body: axum::body::Bytes, phone: bool) -> Response {
    let euc = String::from_utf8_lossy(&body).contains("sndCharSet=euc-kr");
    let p = match crate::http::decode_form(&body, euc) {
        Ok(p) => p,
        Err(e) => return error_page("KSPay", "charset", &e),
    };
    if let Err((code, detail)) = check(&p) {
        return error_page("KSPay", &code, &detail);
    }
    if phone && p.str("sndPaymethod").as_bytes().get(2) == Some(&b'1') {
        return error_page(
            "KSPay",
            "sndPaymethod:format",
            "no bank transfer on the smartphone page (002:L355)",
        );
    }
    let rows = [
        ("상점", p.str("sndStoreid").to_string()),
        ("주문번호", p.str("sndOrdernumber").to_string()),
        ("상품명", p.str("sndGoodname").to_string()),
        ("금액", p.str("sndAmount").to_string()),
    ];
    let session = st.open_session(Session {
        pg: Pg::Kspay,
        params: p,
        mobile: phone,
    });
    pay_window(
        "KSPay",
        &session,
        "/pg/kspay/decide",
        &rows,
        &[
            ("approve", "승인 (Approve)"),
            ("decline", "거절 (Decline)"),
            ("cancel", "취소 (Cancel)"),
        ],
    )
}

/// Approve or decline: KSNET keeps the outcome under a connection id and posts only the ids;
/// cancel posts `reCnclType=1`.
async fn decide(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let Some(s) = st.take_session(f.get("session").map(String::as_str).unwrap_or("")) else {
        return error_page(
            "KSPay",
            "session",
            "this payment window has already been used or expired",
        );
    };
    let p = &s.params;
    let decision = f.get("decision").map(String::as_str).unwrap_or("");
    let (conid, cancel) = if decision == "cancel" {
        (String::new(), "1")
    } else {
        let conid = format!("KSP{}{:06}", crate::ids::yymmddhhmmss(), st.next_id());
        st.put_pending(
            &conid,
            Pending {
                pg: Pg::Kspay,
                order_id: p.str("sndOrdernumber").into(),
                amount: p.str("sndAmount").parse().unwrap_or(0),
                tid: format!(
                    "1{}{:05}",
                    crate::ids::yymmddhhmmss(),
                    st.next_id() % 100_000
                ),
                approve: decision == "approve",
                method: "1".into(),
                used: false,
            },
        );
        (conid, "0")
    };
    let hash = hanpay::pg::sha256_hex(&conid);
    let fields = vec![
        ("reCommConId".to_string(), conid),
        ("reCommType".to_string(), "WH".to_string()),
        (
            "reHash".to_string(),
            hash.get(..32).unwrap_or("").to_string(),
        ),
        ("reCnclType".to_string(), cancel.to_string()),
        ("reEncData".to_string(), String::new()),
    ];
    super::auto_post("KSPay", p.str("sndReply"), &fields, "UTF-8")
}

/// The fields KSNET can answer for a connection id, by `sndRpyParams` name.
fn value_of(p: &Pending, name: &str) -> String {
    let now = hanpay::pg::KstTime::now().format();
    let ok = p.approve;
    match name {
        "authyn" => if ok { "O" } else { "X" }.into(),
        "trno" => p.tid.clone(),
        "trddt" => now.get(..8).unwrap_or("").into(),
        "trdtm" => now.get(8..).unwrap_or("").into(),
        "amt" => p.amount.to_string(),
        "authno" => if ok { "30012345" } else { DECLINED }.into(),
        "msg1" => if ok { "정상승인" } else { "승인거절" }.into(),
        "msg2" => if ok { "" } else { "카드 거절 (declined)" }.into(),
        "ordno" => p.order_id.clone(),
        "isscd" => "04    ".into(),
        "aqucd" => "04    ".into(),
        "result" => p.method.clone(),
        "halbu" => "00".into(),
        _ => String::new(),
    }
}

fn euc_kr(text: &str) -> Response {
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(text);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=euc-kr")],
        bytes.into_owned(),
    )
        .into_response()
}

fn fetch(st: &Shared, f: &HashMap<String, String>) -> Response {
    let s = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let conid = s("sndCommConId");
    let Some(pend) = st.pending(conid, false).filter(|p| p.pg == Pg::Kspay) else {
        return euc_kr("0`X```````연결번호 오류`unknown sndCommConId");
    };
    match s("sndActionType") {
        "1" => {
            let values: Vec<String> = s("sndRpyParams")
                .split('`')
                .map(|n| value_of(&pend, n.trim()))
                .collect();
            euc_kr(&format!("1`{}", values.join("`")))
        }
        // "정상처리가 완료되었을 경우 호출" (notes §4.1): the merchant confirms processing.
        "3" => {
            st.pending(conid, true);
            euc_kr("1`OK")
        }
        _ => euc_kr("0`X```````sndActionType must be 1 or 3"),
    }
}

async fn recv_post(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    fetch(&st, &f)
}

async fn recv_post_query(
    State(st): State<Shared>,
    axum::extract::Query(f): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    fetch(&st, &f)
}
