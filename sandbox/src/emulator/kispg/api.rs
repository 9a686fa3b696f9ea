//! KISPG's `/v2/cancel` (manual 004 §3.3: cancel, partial cancel `partCanFlg=1`, refund of a
//! deposited virtual account with `refundBankCd`/`refundAccnt`/`refundNm` "환불일 때 필수") and
//! `/v2/order` lookup (§3.4), checked as the PG checks them: known `mid`, `ediDate` within 10
//! minutes ("현재 시각 -10분까지 유효"), `encData` = hex SHA-256(mid + ediDate + canAmt|goodsAmt +
//! merchantKey) (§7.1, §7.2), and the ledger. The lookup answers the PG's current state:
//! `trxStatus` '승인' / '취소' / '입금대기', `cancelYN`, and the partial cancels in `cancelData`
//! ("부분취소 시에도 결제 상태는 '승인'", §3.4.2).
//!
//! `2001` 취소 성공 is the manual's (notes §5.3); the refusal codes are the sandbox's own.

use crate::emulator::ledger::{CancelAsk, Payment, Refusal, State as Booked};
use crate::emulator::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use hanpay::pg::{kispg, KstTime, Pg};
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/pg/kispg/v2/cancel", post(cancel))
        .route("/pg/kispg/v2/order", post(order))
        .route("/pg/kispg/sandbox/deposit", post(deposit))
}

/// Books an approval (kispg.rs `/v2/payment`): a virtual account is only issued.
pub fn book(st: &Shared, tid: &str, order_id: &str, amount: u64, method: &str) {
    let state = if method == "vacnt" {
        Booked::Issued
    } else {
        Booked::Paid
    };
    st.ledger.record(
        Pg::Kispg,
        tid,
        Payment::new(order_id, amount, method, state),
    );
}

fn fail(code: &str, msg: &str) -> Response {
    Json(json!({"resultCd": code, "resultMsg": msg})).into_response()
}

/// The request checks common to both APIs; `amount_field` is what `encData` covers.
fn authenticate(v: &Value, amount_field: &str) -> Result<(), (&'static str, &'static str)> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let mid = s("mid");
    let Some(key) = super::key_of(&mid) else {
        return Err(("9001", "mid 오류"));
    };
    let edi = s("ediDate");
    if hanpay::pg::check_fresh("ediDate", &edi, KstTime::now(), kispg::EDI_WINDOW_SECS).is_err() {
        return Err(("9002", "ediDate 유효시간 초과"));
    }
    let expected = kispg::enc_data(&mid, &edi, &s(amount_field), key);
    if !hanpay::pg::same(&expected, &s("encData").to_ascii_lowercase()) {
        return Err(("9003", "encData 검증 실패"));
    }
    Ok(())
}

async fn cancel(State(st): State<Shared>, Json(v): Json<Value>) -> Response {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Err((code, msg)) = authenticate(&v, "canAmt") {
        return fail(code, msg);
    }
    if s("canMsg").is_empty() {
        return fail("2101", "canMsg 취소사유 필수");
    }
    let tid = s("tid");
    let Ok(amount) = s("canAmt").parse::<u64>() else {
        return fail("2102", "canAmt 숫자만 입력");
    };
    let partial = match s("partCanFlg").as_str() {
        "0" => false,
        "1" => true,
        _ => return fail("2103", "partCanFlg 0|1"),
    };
    if let Some(p) = st.ledger.get(Pg::Kispg, &tid) {
        if !s("payMethod").eq_ignore_ascii_case(&p.method) {
            return fail("2104", "payMethod 원거래 결제수단과 다름");
        }
    }
    let refund_account = ["refundBankCd", "refundAccnt", "refundNm"]
        .iter()
        .all(|k| !s(k).is_empty());
    let ask = CancelAsk {
        amount: Some(amount),
        partial,
        refund_account,
    };
    match st.ledger.cancel(Pg::Kispg, &tid, ask) {
        Ok(c) => {
            let p = st.ledger.get(Pg::Kispg, &tid);
            Json(json!({
                "resultCd": "2001", "resultMsg": "취소 성공", "payMethod": s("payMethod"),
                "tid": tid, "appDtm": KstTime::now().format(), "appNo": "30001234",
                "ordNo": p.map(|p| p.order_id).unwrap_or_default(), "amt": c.amount.to_string(),
                "cancelYN": if c.remaining == 0 { "Y" } else { "N" },
                "mbsReserved": s("mbsReserved"),
            }))
            .into_response()
        }
        Err(Refusal::Unknown) => fail("2012", "취소 해당거래 없음"),
        Err(Refusal::AlreadyCancelled) => fail("2013", "취소 완료 거래"),
        Err(Refusal::OverCancel) => fail("2032", "취소금액이 취소가능금액보다 큼"),
        Err(Refusal::AmountMismatch) => fail(
            "2011",
            "전체취소 금액 불일치 (canAmt is not the remaining amount)",
        ),
        Err(Refusal::RefundAccountRequired) => fail(
            "2211",
            "입금완료 가상계좌 환불은 refundBankCd, refundAccnt, refundNm 필수",
        ),
        Err(Refusal::WrongState) => fail("2035", "입금완료전 취소 불가"),
    }
}

async fn order(State(st): State<Shared>, Json(v): Json<Value>) -> Response {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Err((code, msg)) = authenticate(&v, "goodsAmt") {
        return fail(code, msg);
    }
    // "거래번호와 주문번호를 둘 다 넘길 경우 거래번호를 기준으로 검색" (§3.4.1).
    let found = if s("tid").is_empty() {
        st.ledger.by_order(Pg::Kispg, &s("ordNo"))
    } else {
        st.ledger.get(Pg::Kispg, &s("tid")).map(|p| (s("tid"), p))
    };
    let Some((tid, p)) = found else {
        return fail("2012", "해당거래 없음");
    };
    let code = match p.method.as_str() {
        "vacnt" => "4100",
        "bank" => "4000",
        "hp" => "A000",
        _ => "3001",
    };
    let trx = match p.state {
        Booked::Cancelled => "취소",
        Booked::Issued => "입금대기",
        Booked::Paid | Booked::Deposited => "승인",
    };
    let cancel_data: Vec<Value> = p
        .cancels
        .iter()
        .filter(|_| p.state != Booked::Cancelled)
        .map(|a| json!({"canAmt": a.to_string()}))
        .collect();
    let mut out = json!({
        "resultCd": code, "resultMsg": "조회 성공", "payMethod": p.method, "tid": tid,
        "ordNo": p.order_id, "amt": p.amount.to_string(),
        "cancelYN": if p.state == Booked::Cancelled { "Y" } else { "N" },
        "trxStatus": trx,
    });
    if !cancel_data.is_empty() {
        out["cancelData"] = json!(Value::Array(cancel_data).to_string());
    }
    Json(out).into_response()
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct DepositRequest {
    order_id: String,
}

/// Sandbox control: the buyer pays into the issued account. KISPG documents no deposit
/// notice (audit M3): the merchant sees the deposit through `/v2/order`.
async fn deposit(State(st): State<Shared>, Json(req): Json<DepositRequest>) -> Response {
    st.ledger.deposit(Pg::Kispg, &req.order_id);
    let state = st
        .ledger
        .by_order(Pg::Kispg, &req.order_id)
        .map(|(_, p)| p.state.as_str());
    Json(json!({"orderId": req.order_id, "state": state})).into_response()
}
