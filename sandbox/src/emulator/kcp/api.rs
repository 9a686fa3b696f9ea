//! KCP's `mod` requests on the REST gateway (`/gw/mod/v1/cancel`, notes §3.2): full cancel
//! `STSC` (manual 003 §3), partial cancel `STPC` with `mod_mny`/`rem_mny` (003 status table
//! "STPC 부분취소"; KCP's `pp_cli` samples: "mod_mny 취소요청금액", "rem_mny 취소가능잔액") and
//! acquisition `STMR` (003 §4). Checked as the PG checks them: the site code, the merchant's
//! certificate (`kcp_cert_info`, PEM framing only — the sandbox holds no KCP certificate),
//! `kcp_sign_data` over `site_cd^tno^mod_type` (base64 of RSA PKCS#1 v1.5 SHA-256 with the
//! merchant's private key, notes §3.2), verified with the test merchant's registered public key
//! ([`KCP_TEST_PUBLIC_KEY`]), and the ledger:
//! `rem_mny` must be what the PG holds and `mod_mny` no more than it.
//!
//! Refusal codes other than `0000` are the sandbox's own (manual 003 lists none for `mod`).

use crate::credentials::KCP_TEST_PUBLIC_KEY;
use crate::emulator::ledger::{CancelAsk, Refusal};
use crate::emulator::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use hanpay::pg::Pg;
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new().route("/pg/kcp/gw/mod/v1/cancel", post(modify))
}

fn fail(code: &str, msg: &str) -> Response {
    Json(json!({"res_cd": code, "res_msg": msg})).into_response()
}

fn refusal(r: Refusal) -> Response {
    match r {
        Refusal::Unknown => fail("8128", "존재하지 않는 거래 (unknown tno)"),
        Refusal::AlreadyCancelled => fail("8133", "이미 취소된 거래 (already cancelled)"),
        Refusal::OverCancel => fail("8134", "취소가능금액 초과 (mod_mny above rem_mny)"),
        Refusal::AmountMismatch => fail("8135", "취소금액 불일치"),
        Refusal::RefundAccountRequired => fail(
            "8136",
            "입금완료된 가상계좌는 환불계좌가 필요합니다 (refund account required)",
        ),
        Refusal::WrongState => fail("8137", "변경 불가 상태 (not allowed in this state)"),
    }
}

/// `sig` (base64) is the test merchant's RSA PKCS#1 v1.5 SHA-256 signature of `input`.
pub fn signed(input: &str, sig: &str) -> bool {
    use base64::Engine;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    let Ok(public) = rsa::RsaPublicKey::from_public_key_pem(KCP_TEST_PUBLIC_KEY) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(sig) else {
        return false;
    };
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(bytes.as_slice()) else {
        return false;
    };
    rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(public)
        .verify(input.as_bytes(), &sig)
        .is_ok()
}

async fn modify(State(st): State<Shared>, Json(v): Json<Value>) -> Response {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if super::site_check(&s("site_cd")).is_err() {
        return fail("3014", "미등록 가맹점");
    }
    if !s("kcp_cert_info").starts_with("-----BEGIN CERTIFICATE-----") {
        return fail("S102", "kcp_cert_info: PEM certificate required");
    }
    let tno = s("tno");
    let mod_type = s("mod_type");
    let input = hanpay::pg::kcp::call::sign_input(&s("site_cd"), &tno, &mod_type);
    if !signed(&input, &s("kcp_sign_data")) {
        return fail("S102", "kcp_sign_data does not sign site_cd^tno^mod_type");
    }
    if mod_type == "STMR" {
        return match st.ledger.capture(Pg::Kcp, &tno) {
            Ok(p) => Json(json!({
                "res_cd": "0000", "res_msg": "정상처리", "tno": tno, "mod_type": mod_type,
                "amount": p.amount.to_string(), "ordr_idxx": p.order_id,
            }))
            .into_response(),
            Err(r) => refusal(r),
        };
    }
    let ask = match mod_type.as_str() {
        "STSC" => CancelAsk {
            amount: None,
            partial: false,
            refund_account: false,
        },
        "STPC" => {
            let (Ok(amount), Ok(rem)) = (s("mod_mny").parse::<u64>(), s("rem_mny").parse::<u64>())
            else {
                return fail("S102", "mod_mny and rem_mny (digits) are required for STPC");
            };
            match st.ledger.get(Pg::Kcp, &tno) {
                Some(p) if p.remaining() != rem => {
                    return fail(
                        "8138",
                        "rem_mny 취소가능잔액 불일치 (differs from the PG's)",
                    )
                }
                _ => {}
            }
            CancelAsk {
                amount: Some(amount),
                partial: true,
                refund_account: false,
            }
        }
        _ => return fail("S102", "mod_type must be STSC, STPC or STMR"),
    };
    match st.ledger.cancel(Pg::Kcp, &tno, ask) {
        Ok(c) => {
            let order = st
                .ledger
                .get(Pg::Kcp, &tno)
                .map(|p| p.order_id)
                .unwrap_or_default();
            Json(json!({
                "res_cd": "0000", "res_msg": "정상처리", "tno": tno, "mod_type": mod_type,
                "ordr_idxx": order, "mod_mny": c.amount.to_string(), "rem_mny": c.remaining.to_string(),
                "canc_time": hanpay::pg::KstTime::now().format(),
            }))
            .into_response()
        }
        Err(r) => refusal(r),
    }
}
