//! Smartro WEBLink URL-call cancels (manual 001 §5.2.1), posted form-urlencoded to
//! [`crate::pg::smartro::cancel_url`]; the answer is `k=v&…` text in EUC-KR (001 §5.3 Note).

use crate::prelude::*;

use crate::pg::call::lifecycle::{Change, Op};
use crate::pg::call::recover::Recovery;
use crate::pg::call::Server;

use super::super::result::{Outcome, Reading};
use super::super::smartro::{self, cancel_hash, cancel_url, divide_info_amounts};
use super::super::{field, require_key, FieldSpec, Kind, Mode, Params};
use crate::form::{Rule, ValidationError};
use crate::pg::call::{body, fixed, positive, Call, Request, FORM};
use crate::text::Charset;

fn divide_info_ok(s: &str) -> bool {
    divide_info_amounts(s).is_some()
}

fn tid30(s: &str) -> bool {
    s.len() == 30 && s.is_ascii()
}

// The call tables (`CANCEL`), generated from `data/pg/smartro.json` by
// build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_smartro_call.rs"));

/// `cancel` (`PartialCancelCode=0`) or `partial_cancel` (`1`). A sub-mall merchant
/// (`MerchantMode=T`) must send `DivideInfo` with a partial cancel ("부분취소를 사용할 시
/// DivideInfo 값은 필수", 001:L830), and its parts must add up to `CancelAmt` (001 §5.2.1 Note:
/// "Amt 최종 결제 금액은 … 개별 상품금액의 총액은 같아야").
pub(super) fn request(
    call: Call,
    mut p: Params,
    merchant_key: &str,
    mode: Mode,
) -> Result<Request, ValidationError> {
    let code = if call == Call::PartialCancel {
        "1"
    } else {
        "0"
    };
    fixed(&mut p, "PartialCancelCode", code)?;
    // Placeholder so the table's required check passes; replaced by the real hash below.
    p.set("hashData", "-");
    let mut fields = body(&p, CANCEL, Charset::Utf8, &[])?;
    let amt = positive(&fields, "CancelAmt")?;
    let divide = fields.str("DivideInfo").to_string();
    let sub_mall = fields.str("MerchantMode") == "T";
    if !divide.is_empty() && !sub_mall {
        return Err(ValidationError::new(
            "MerchantMode",
            Rule::Required,
            "DivideInfo is for sub-mall merchants: MerchantMode=T",
        ));
    }
    if sub_mall && call == Call::PartialCancel && divide.is_empty() {
        return Err(ValidationError::new(
            "DivideInfo",
            Rule::Required,
            "required for a sub-mall partial cancel (001:L830)",
        ));
    }
    if let Some(parts) = divide_info_amounts(&divide) {
        let sum: u64 = parts.iter().sum();
        if sum != amt {
            return Err(ValidationError::new(
                "DivideInfo",
                Rule::Sum,
                format!("parts sum to {sum}, CancelAmt is {amt}"),
            ));
        }
    }
    require_key("hashData", merchant_key)?;
    let hash = cancel_hash(
        fields.str("TID"),
        merchant_key,
        fields.str("CancelAmt"),
        code,
    );
    fields.set("hashData", hash);
    Ok(Request::post(cancel_url(mode), FORM, fields))
}

/// Reads the answer to a cancel (manual 001 §5.3: `PayMethod`, `TID` 원거래 TID, `CancelAmt`
/// 취소금액, `ResultCode`, `ResultMsg`, `Moid`, `PTID` 부분취소 TID; `k=v&…` in EUC-KR, decoded by
/// the caller). Success is `2001` 취소 성공 (001 §7.6), `2211` 환불 요청 성공 (§7.7) and, for Toss
/// payments, `TS20` 결제환불 성공 (001:L1354) — [`smartro::cancel_succeeded`]. `2013` 기취소 is
/// counted as cancelled by that helper ("정상취소 처리를 하셔도 무관", 001 §7.6 Note) for a merchant
/// reconciling an unknown outcome, but this call moved no money: it is `failed` here, so a
/// double cancel is never applied twice. The answer is unsigned (the merchant's own call):
/// `authentic: null`.
pub(super) fn read(call: Call, p: &Params) -> Reading {
    use super::super::{amount, Pg};
    let mut r = Reading::new(Pg::Smartro);
    r.code = p.str("ResultCode").to_string();
    r.message = p.str("ResultMsg").to_string();
    r.tid = p.str("TID").to_string();
    r.order_id = p.str("Moid").to_string();
    r.method = p.str("PayMethod").to_string();
    r.amount = amount(p.str("CancelAmt"));
    let ok = r.code != "2013" && smartro::cancel_succeeded(&r.code, &r.method);
    if r.message.is_empty() {
        if let Some(c) = super::super::codes::result_code(Pg::Smartro, &r.code, &r.method) {
            r.message = c.message.to_string();
        }
    }
    r.outcome = match (ok, call) {
        (false, _) => Outcome::Failed,
        (true, Call::PartialCancel) => Outcome::PartiallyCancelled,
        (true, _) => Outcome::Cancelled,
    };
    r
}

/// Smartro's lifecycle (manual 001 §5.2.1: a full cancel sends the amount too).
fn lifecycle(op: Op, c: &Change, p: &mut Params, amount: u64) -> Result<Call, ValidationError> {
    let call = match op {
        Op::Cancel => Call::Cancel,
        Op::PartialCancel => Call::PartialCancel,
        _ => return Err(Call::unknown(crate::pg::Pg::Smartro)),
    };
    p.set("TID", c.tid.as_str());
    p.set("CancelAmt", amount.to_string());
    if !c.reason.is_empty() {
        p.set("CancelMSG", c.reason.as_str());
    }
    Ok(call)
}

/// Smartro's server half ([`Server`]). Its window approves by itself: no browser step to finish.
pub const SERVER: Server = Server {
    calls: &[Call::Cancel, Call::PartialCancel],
    request: |call, p, key, mode, _| request(call, p, key, mode),
    read,
    // `CancelAmt` 취소금액 (001 §5.3).
    cancel_amount_binds: true,
    // 001 §5.2.1 "한글 : 3byte".
    request_charset: Charset::Utf8,
    // 001:L862 "value 를 euc-kr 로 인코딩".
    response_charset: |_| Charset::EucKr,
    rollback_answer: crate::pg::call::no_rollback,
    recovery: |_, _, _, _, _, _| {
        Ok(Recovery::Unknown(
            "manual 001 documents no lookup or net cancel for a lost Smartro answer: check 결제내역조회 in the merchant admin (001 §5.4) before retrying",
        ))
    },
    lifecycle,
    follow_up: crate::pg::call::no_follow_up,
    key_signature: crate::pg::call::no_key_signature,
    phone_registration: None,
};
