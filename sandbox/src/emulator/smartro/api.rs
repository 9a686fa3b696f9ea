//! Smartro's URL-call cancel (manual 001 §5.2.1 request, §5.3 answer, §7.6/§7.7 codes) at the
//! path of the real `payCancelNVProcess.jsp`, checked as the PG checks it: `hashData` =
//! base64(hex MD5(TID + merchantKey + CancelAmt + PartialCancelCode)) (notes §2.1), the cancel
//! password registered in the merchant admin ("상점 내부관리자 시스템에서 등록한 취소 패스워드"),
//! and the PG's ledger — a full cancel must take exactly what remains (2011 취소 금액 불일치), a
//! partial one no more (2032 취소금액이 취소가능금액보다 큼), a cancelled payment is 2013 기취소,
//! an unknown TID 2012. The answer is `k=v&…` in EUC-KR (001 §5.3 Note).

use crate::credentials::{SMARTRO_CANCEL_PW as CANCEL_PW, SMARTRO_KEY, SMARTRO_MID};
use crate::emulator::ledger::{CancelAsk, Refusal};
use crate::emulator::Shared;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use hanpay::pg::smartro::cancel_hash;
use hanpay::pg::{KstTime, Pg};
use std::collections::HashMap;

pub fn routes() -> Router<Shared> {
    Router::new().route("/pg/smartro/cancel/payCancelNVProcess.jsp", post(cancel))
}

fn answer(pairs: &[(&str, String)]) -> Response {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_euc_kr(v)))
        .collect::<Vec<_>>()
        .join("&");
    ([(header::CONTENT_TYPE, "text/plain; charset=euc-kr")], body).into_response()
}

/// Percent-encodes the EUC-KR bytes of `s` (the answer is "euc-kr 로 인코딩", 001 §5.3): every
/// byte but RFC 3986's unreserved characters, as the emulator always answered.
fn encode_euc_kr(s: &str) -> String {
    use percent_encoding::{percent_encode, NON_ALPHANUMERIC};
    const UNRESERVED: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(s);
    percent_encode(&bytes, UNRESERVED).to_string()
}

async fn cancel(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let s = |k: &str| f.get(k).cloned().unwrap_or_default();
    let tid = s("TID");
    let code = s("PartialCancelCode");
    let fail = |c: &str, m: &str| {
        answer(&[
            ("PayMethod", String::new()),
            ("MID", SMARTRO_MID.to_string()),
            ("TID", tid.clone()),
            ("CancelAmt", s("CancelAmt")),
            ("ResultCode", c.to_string()),
            ("ResultMsg", m.to_string()),
        ])
    };
    let expected = cancel_hash(&tid, SMARTRO_KEY, &s("CancelAmt"), &code);
    if s("hashData").is_empty() || !hanpay::pg::same(&expected, &s("hashData")) {
        return fail("2041", "원거래 승인데이터와 상이함 (hashData mismatch)");
    }
    if s("Cancelpw").is_empty() {
        return fail("2025", "취소패스워드 미 입력");
    }
    if s("Cancelpw") != CANCEL_PW {
        return fail("2024", "취소패스워드 불일치");
    }
    let Ok(amount) = s("CancelAmt").parse::<u64>() else {
        return fail("2010", "취소 요청금액 0 원 이하");
    };
    let partial = match code.as_str() {
        "0" => false,
        "1" => true,
        _ => return fail("2003", "취소 실패 (PartialCancelCode 0|1)"),
    };
    let ask = CancelAsk {
        amount: Some(amount),
        partial,
        // The manual's cancel carries no refund account: a deposited VBANK is refunded as
        // registered with the PG.
        refund_account: true,
    };
    match st.ledger.cancel(Pg::Smartro, &tid, ask) {
        Ok(c) => {
            let p = st.ledger.get(Pg::Smartro, &tid);
            let method = p.as_ref().map(|p| p.method.clone()).unwrap_or_default();
            let now = KstTime::now().format();
            let mut out = vec![
                ("PayMethod", method.clone()),
                ("PayName", method),
                ("MID", SMARTRO_MID.to_string()),
                ("TID", tid.clone()),
                ("CancelAmt", c.amount.to_string()),
                ("CancelMSG", s("CancelMSG")),
                ("ResultCode", "2001".to_string()),
                ("ResultMsg", "취소 성공".to_string()),
                ("CancelDate", now.get(..8).unwrap_or("").to_string()),
                ("CancelTime", now.get(8..).unwrap_or("").to_string()),
                ("CancelNum", format!("{:08}", st.next_id())),
                ("Moid", p.map(|p| p.order_id).unwrap_or_default()),
            ];
            if partial {
                out.push((
                    "PTID",
                    format!(
                        "{}P{:04}",
                        tid.get(..25).unwrap_or(""),
                        st.next_id() % 10_000
                    ),
                ));
            }
            answer(&out)
        }
        Err(Refusal::Unknown) => fail("2012", "취소 해당거래 없음"),
        Err(Refusal::AlreadyCancelled) => fail("2013", "취소 완료 거래임(기취소)"),
        Err(Refusal::OverCancel) if amount == 0 => fail("2010", "취소 요청금액 0 원 이하"),
        Err(Refusal::OverCancel) => fail("2032", "취소금액이 취소가능금액보다 큼."),
        Err(Refusal::AmountMismatch) => fail("2011", "취소 금액 불일치"),
        Err(Refusal::WrongState) if partial => fail("2036", "입금완료전 부분취소 불가"),
        Err(Refusal::WrongState) => fail("2035", "입금완료전 전취소 불가."),
        Err(Refusal::RefundAccountRequired) => fail("2014", "취소 불가능 거래"),
    }
}
