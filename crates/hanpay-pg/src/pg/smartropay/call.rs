//! SMARTRO PAY server calls (sources S1–S7 in [`crate::pg::smartropay`]):
//! - `approve`: JSON `{"Tid","TrAuthKey"}` to `urlCallApproval.do` (S2, S5 and a Java/React
//!   sample post exactly these two keys with `Content-Type: application/json`). The answer is
//!   JSON, read with `verify(smartropay, …, approval)`. It moves money: send it once and, when
//!   the answer is lost, look the payment up instead of posting again (DESIGN.md).
//! - `cancel` / `partial_cancel`: JSON `{"EncData","Mid"}` to `cancel.do`, where `EncData` is the
//!   AES-encrypted JSON of the cancel fields with `HashData` (S4, S5). Success is `2001` (S4;
//!   [`crate::pg::smartropay::cancel_succeeded`]).

use crate::prelude::*;

use crate::pg::call::lifecycle::{Change, Op};
use crate::pg::call::recover::Recovery;
use crate::pg::call::Server;

use super::super::{field, require_key, FieldSpec, Kind, Mode, Params};
use super::{approval_url, cancel_hash, cancel_url, enc_data};
use crate::form::{Rule, ValidationError};
use crate::pg::call::{body, fixed, positive, Call, Request, JSON};
use crate::text::Charset;

fn ascii_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic())
}

// The call tables (`APPROVE`, `CANCEL`), generated from `data/pg/smartropay.json` by
// build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_smartropay_call.rs"));

pub(super) fn request(
    call: Call,
    mut p: Params,
    merchant_key: &str,
    mode: Mode,
) -> Result<Request, ValidationError> {
    if call == Call::Approve {
        let fields = body(&p, APPROVE, Charset::Utf8, &[])?;
        return Ok(Request::post(approval_url(mode), JSON, fields));
    }
    let code = if call == Call::PartialCancel {
        "1"
    } else {
        "0"
    };
    fixed(&mut p, "PartialCancelCode", code)?;
    fixed(&mut p, "SERVICE_MODE", "CL1")?;
    p.set_default("CancelSeq", "1");
    // Placeholder so the table's required check passes; replaced by the real hash below.
    p.set("HashData", "-");
    let fields = body(&p, CANCEL, Charset::Utf8, &[])?;
    positive(&fields, "CancelAmt")?;
    if fields.str("CancelSeq").trim_start_matches('0').is_empty() {
        return Err(ValidationError::new(
            "CancelSeq",
            Rule::Digits,
            "1 or more (the n-th cancel of this payment)",
        ));
    }
    require_key("HashData", merchant_key)?;
    let hash = cancel_hash(
        fields.str("Tid"),
        merchant_key,
        fields.str("CancelAmt"),
        code,
    );
    // S4 encrypts every parameter of its array, empty ones included; the table order is S4's.
    let inner = Params::from_pairs(CANCEL.iter().map(|f| {
        let v = if f.name == "HashData" {
            hash.as_str()
        } else {
            fields.str(f.name)
        };
        (f.name, v)
    }));
    let enc = enc_data(&inner.to_json(), merchant_key)?;
    let outer = Params::from_pairs([("EncData", enc.as_str()), ("Mid", fields.str("Mid"))]);
    Ok(Request::post(cancel_url(mode), JSON, outer))
}

/// Reads the answer to a cancel or partial cancel: JSON with `ResultCode`, `ResultMsg`, `Tid`
/// and `CancelAmt` (S4, S5). Success is `2001` ([`super::cancel_succeeded`],
/// the WEBLink cancel table, manual 001 §7.6); anything else, including `2013` 기취소, moved no
/// money and is `failed`, so a double cancel is never applied twice. The answer is unsigned
/// (the merchant's own TLS call).
pub(super) fn read(call: Call, p: &Params) -> super::super::result::Reading {
    use super::super::result::{Outcome, Reading};
    use super::super::{amount, Pg};
    let mut r = Reading::new(Pg::SmartroPay);
    r.code = p.str("ResultCode").to_string();
    r.message = p.str("ResultMsg").to_string();
    r.tid = p.str("Tid").to_string();
    r.order_id = p.str("Moid").to_string();
    r.method = p.str("PayMethod").to_string();
    r.amount = amount(p.str("CancelAmt"));
    let ok = r.code != "2013" && super::cancel_succeeded(&r.code);
    r.outcome = match (ok, call) {
        (false, _) => Outcome::Failed,
        (true, Call::PartialCancel) => Outcome::PartiallyCancelled,
        (true, _) => Outcome::Cancelled,
    };
    r
}

/// SMARTRO PAY's lifecycle (`cancel.do`, sources S4/S5): the amount this cancel takes.
fn lifecycle(op: Op, c: &Change, p: &mut Params, amount: u64) -> Result<Call, ValidationError> {
    let call = match op {
        Op::Cancel => Call::Cancel,
        Op::PartialCancel => Call::PartialCancel,
        _ => return Err(Call::unknown(crate::pg::Pg::SmartroPay)),
    };
    p.set("Tid", c.tid.as_str());
    p.set("CancelAmt", amount.to_string());
    if !c.reason.is_empty() {
        p.set("CancelMsg", c.reason.as_str());
    }
    Ok(call)
}

/// SMARTRO PAY's server half ([`Server`]).
pub const SERVER: Server = Server {
    calls: &[Call::Approve, Call::Cancel, Call::PartialCancel],
    request: |call, p, key, mode, _| request(call, p, key, mode),
    read,
    cancel_amount_binds: true,
    request_charset: Charset::Utf8,
    response_charset: crate::pg::call::utf8,
    rollback_answer: crate::pg::call::no_rollback,
    recovery: |_, _, _, _, _, _| {
        Ok(Recovery::Unknown(
            "no public SMARTRO PAY source documents a lookup or net cancel for a lost answer: check the transaction in the merchant admin before retrying",
        ))
    },
    lifecycle,
    follow_up: crate::pg::call::no_follow_up,
    key_signature: crate::pg::call::no_key_signature,
    phone_registration: None,
};
