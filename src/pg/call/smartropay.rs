//! SMARTRO PAY server calls (sources S1–S7 in [`super::super::smartropay`]):
//! - `approve`: JSON `{"Tid","TrAuthKey"}` to `urlCallApproval.do` (S2, S5 and a Java/React
//!   sample post exactly these two keys with `Content-Type: application/json`). The answer is
//!   JSON, read with `verify(smartropay, …, approval)`. It moves money: send it once and, when
//!   the answer is lost, look the payment up instead of posting again (DESIGN.md).
//! - `cancel` / `partial_cancel`: JSON `{"EncData","Mid"}` to `cancel.do`, where `EncData` is the
//!   AES-encrypted JSON of the cancel fields with `HashData` (S4, S5). Success is `2001` (S4;
//!   [`super::super::smartropay::cancel_succeeded`]).

use crate::prelude::*;

use super::super::smartropay::{approval_url, cancel_hash, cancel_url, enc_data};
use super::super::{field, require_key, FieldSpec, Kind, Mode, Params};
use super::{body, fixed, positive, Call, Request, JSON};
use crate::form::{Rule, ValidationError};
use crate::text::Charset;

fn ascii_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic())
}

/// The approval body: the Callback's two values (S2 `request_approval($tid, $tr_auth_key)`).
/// Neither has a published length; both are printable ASCII in every sample (`Tid` is 30
/// characters in S5's answer), and anything else cannot be one.
const APPROVE: &[FieldSpec] = &[
    field(
        "Tid",
        true,
        0,
        Kind::Format {
            desc: "printable ASCII",
            check: ascii_token,
        },
    ),
    field(
        "TrAuthKey",
        true,
        0,
        Kind::Format {
            desc: "printable ASCII",
            check: ascii_token,
        },
    ),
];

/// The cancel parameters, in S4's order. `SERVICE_MODE` is `CL1` in both samples. `CancelPwd`
/// is the merchant's cancel password (S5 "취소 비밀번호 설정(필요시 설정, 미설정 시 빈 문자열)":
/// optional). `CancelSeq` "취소차수(기본값: 1, 부분취소 시마다 차수가 1씩 늘어남)".
const CANCEL: &[FieldSpec] = &[
    field("SERVICE_MODE", true, 0, Kind::OneOf(&["CL1"])),
    field(
        "Tid",
        true,
        0,
        Kind::Format {
            desc: "printable ASCII",
            check: ascii_token,
        },
    ),
    field("Mid", true, 10, Kind::Text),
    field("CancelAmt", true, 12, Kind::Digits),
    field("CancelPwd", false, 0, Kind::Text),
    field("CancelMsg", false, 0, Kind::Text),
    field("CancelSeq", true, 3, Kind::Digits),
    field("PartialCancelCode", true, 1, Kind::OneOf(&["0", "1"])),
    field("CancelTaxAmt", false, 12, Kind::Digits),
    field("CancelTaxFreeAmt", false, 12, Kind::Digits),
    field("CancelVatAmt", false, 12, Kind::Digits),
    field("DivideInfo", false, 0, Kind::Text),
    field("HashData", true, 0, Kind::Text),
];

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
/// and `CancelAmt` (S4, S5). Success is `2001` ([`super::super::smartropay::cancel_succeeded`],
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
    let ok = r.code != "2013" && super::super::smartropay::cancel_succeeded(&r.code);
    r.outcome = match (ok, call) {
        (false, _) => Outcome::Failed,
        (true, Call::PartialCancel) => Outcome::PartiallyCancelled,
        (true, _) => Outcome::Cancelled,
    };
    r
}
