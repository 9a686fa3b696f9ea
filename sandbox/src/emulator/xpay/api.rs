//! XPay's `Cancel` (manual 000 §7.1-7.3) and `PartialCancel` (Toss's partial-cancel sample, see
//! `hanpay::pg::xpay::call`) on the emulated XPayClient gateway: the same `Gateway.do` as
//! `PaymentByKey` (xpay.rs hands every other `LGD_TXNAME` here), authenticated the same way
//! (`LGD_AUTHCODE` = SHA-1(`LGD_TXID` + MertKey), notes §1.2), checked against the PG's ledger.
//!
//! `Rollback` (XPayClient's net cancel of a call whose answer was lost: `LGD_TXNAME=Rollback`
//! with `LGD_RB_TXID` = the lost call's `LGD_TXID` and `LGD_RB_REASON`, sent by `TX()` when
//! `auto_rollback` is on, manual 000 mall.conf 000:L302-303;
//! `Akachu/lg-xpay-php-utf-8:lgdacom/XPayClient.php` `Rollback()`) voids the PaymentByKey booked
//! under that `LGD_TXID`.
//!
//! Refusal codes: manual 000 lists only the success codes of a cancel (§7.3); the codes below
//! are the sandbox's own, in XPay's `XC..` style, and only their being not-a-success matters.

use crate::credentials::{XPAY_CST_MID, XPAY_KEY};
use crate::emulator::ledger::{CancelAsk, Refusal};
use crate::emulator::Shared;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hanpay::pg::Pg;
use serde_json::json;
use std::collections::HashMap;

fn fail(code: &str, msg: &str) -> Response {
    Json(json!({"LGD_RESPCODE": code, "LGD_RESPMSG": msg})).into_response()
}

fn refusal(r: Refusal) -> Response {
    match r {
        Refusal::Unknown => fail("XC10", "존재하지 않는 거래 (unknown LGD_TID)"),
        Refusal::AlreadyCancelled => fail("XC11", "이미 취소된 거래 (already cancelled)"),
        Refusal::OverCancel => fail("XC12", "취소가능금액 초과 (above the remaining amount)"),
        Refusal::AmountMismatch => fail("XC13", "취소금액 불일치 (amount mismatch)"),
        Refusal::RefundAccountRequired => fail(
            "XC14",
            "가상계좌 환불은 환불계좌 필수 (LGD_RFACCOUNTNUM, LGD_RFBANKCODE, LGD_RFCUSTOMERNAME)",
        ),
        Refusal::WrongState => fail("XC15", "취소 불가 거래 (not cancellable in this state)"),
    }
}

/// Where xpay.rs files each PaymentByKey by its `LGD_TXID` (pending-map key prefix).
pub const TXID_KEY: &str = "xpay-txid:";
/// Test hook: a PaymentByKey for an order id ending so answers too late (xpay.rs `gateway`).
pub const SLOW_SUFFIX: &str = "SLOW";

/// The merchant's own call, authenticated as every XPayClient call is (notes §1.2).
fn authenticated(s: &dyn Fn(&str) -> String) -> Result<(), &'static str> {
    let mid = s("LGD_MID");
    if mid.strip_prefix('t').unwrap_or(&mid) != XPAY_CST_MID {
        return Err("unregistered LGD_MID");
    }
    let txid = s("LGD_TXID");
    let auth = super::sha1_hex(&format!("{txid}{XPAY_KEY}"));
    if !txid.starts_with(&format!("{mid}-")) || !hanpay::pg::same(&auth, &s("LGD_AUTHCODE")) {
        return Err("LGD_AUTHCODE does not authenticate LGD_TXID");
    }
    Ok(())
}

/// `LGD_TXNAME=Rollback`: voids what the call `LGD_RB_TXID` booked. Rolling back the same call
/// again answers `0000` too (the client retries a rollback); a `LGD_RB_TXID` that booked
/// nothing is refused.
pub fn rollback(st: &Shared, f: &HashMap<String, String>) -> Response {
    let s = |k: &str| f.get(k).cloned().unwrap_or_default();
    if let Err(why) = authenticated(&s) {
        return fail("XC01", why);
    }
    let Some(lost) = st.pending(&format!("{TXID_KEY}{}", s("LGD_RB_TXID")), false) else {
        return fail("XC17", "LGD_RB_TXID: no call with this LGD_TXID");
    };
    let void = CancelAsk {
        amount: None,
        partial: false,
        refund_account: true,
    };
    match st.ledger.cancel(Pg::Xpay, &lost.tid, void) {
        Ok(_) | Err(Refusal::AlreadyCancelled) => {
            Json(json!({"LGD_RESPCODE": "0000", "LGD_RESPMSG": "롤백성공"})).into_response()
        }
        Err(r) => refusal(r),
    }
}

/// `LGD_TXNAME` `Cancel` / `PartialCancel`.
pub fn gateway(st: &Shared, f: &HashMap<String, String>) -> Response {
    let s = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let name = s("LGD_TXNAME");
    if name != "Cancel" && name != "PartialCancel" {
        return fail("XC01", "unsupported LGD_TXNAME");
    }
    let mid = s("LGD_MID");
    if mid.strip_prefix('t').unwrap_or(mid) != XPAY_CST_MID {
        return fail("XC01", "unregistered LGD_MID");
    }
    let txid = s("LGD_TXID");
    let auth = super::sha1_hex(&format!("{txid}{XPAY_KEY}"));
    if !txid.starts_with(&format!("{mid}-")) || !hanpay::pg::same(&auth, s("LGD_AUTHCODE")) {
        return fail("XC01", "LGD_AUTHCODE does not authenticate LGD_TXID");
    }
    let tid = s("LGD_TID");
    let refund_account = ["LGD_RFACCOUNTNUM", "LGD_RFBANKCODE", "LGD_RFCUSTOMERNAME"]
        .iter()
        .all(|k| !s(k).is_empty());
    let ask = if name == "Cancel" {
        CancelAsk {
            amount: None,
            partial: false,
            refund_account: false,
        }
    } else {
        let Ok(amount) = s("LGD_CANCELAMOUNT").parse::<u64>() else {
            return fail("XC12", "LGD_CANCELAMOUNT must be digits");
        };
        // "취소전 남은금액": when sent it must be what the PG holds.
        if let (Ok(said), Some(p)) = (
            s("LGD_REMAINAMOUNT").parse::<u64>(),
            st.ledger.get(Pg::Xpay, tid),
        ) {
            if said != p.remaining() {
                return fail("XC16", "LGD_REMAINAMOUNT differs from the remaining amount");
            }
        }
        CancelAsk {
            amount: Some(amount),
            partial: true,
            refund_account,
        }
    };
    match st.ledger.cancel(Pg::Xpay, tid, ask) {
        Ok(c) => {
            let p = st.ledger.get(Pg::Xpay, tid);
            Json(json!({
                "LGD_RESPCODE": "0000", "LGD_RESPMSG": "취소성공", "LGD_MID": mid, "LGD_TID": tid,
                "LGD_OID": p.as_ref().map(|p| p.order_id.clone()).unwrap_or_default(),
                "LGD_PAYTYPE": p.map(|p| p.method).unwrap_or_default(),
                "LGD_CANCELAMOUNT": c.amount.to_string(), "LGD_REMAINAMOUNT": c.remaining.to_string(),
            }))
            .into_response()
        }
        Err(r) => refusal(r),
    }
}
