//! KCP server calls on the REST gateway (notes §3.2): approval with the merchant's own
//! `ordr_mony` (manual 003 참고사항 4, 003:L285-297, L3184-3295) and `mod` requests — cancel
//! `STSC` (003 §3 변경요청), acquisition `STMR` (003 §4, manual-acquisition merchants) and
//! partial cancel `STPC` with `mod_mny`/`rem_mny` (status `STPC 부분취소`, 003 거래 상태 코드 표;
//! fields from KCP's `pp_cli` samples: "mod_mny 취소요청금액", "rem_mny 취소가능잔액").
//!
//! The REST gateway authenticates the merchant with its serialized certificate `kcp_cert_info`
//! and signs `mod` requests: `kcp_sign_data` = base64(RSA-SHA256(`site_cd^tno^mod_type`)) with
//! the merchant's private key (notes §3.2). hanpay does not hold that key: the caller sends the
//! signature, computed over [`sign_input`](crate::pg::kcp::call::sign_input).

use crate::prelude::*;

use crate::pg::call::lifecycle::{Change, Op};
use crate::pg::call::recover::Recovery;
use crate::pg::call::Server;

use super::super::result::{Outcome, Reading};
use super::super::{field, FieldSpec, Kind, Mode, Params};
use super::{FORBIDDEN, TEST_SITE_CODES};
use crate::form::{Rule, ValidationError};
use crate::pg::call::{at_most, body, fixed, positive, Call, Request, JSON};
use crate::text::{self, Charset};

/// Approval endpoint (notes §3.2).
pub fn payment_url(mode: Mode) -> String {
    super::PAYMENT_URL.at(mode).into()
}

/// `mod` endpoint (notes §3.2, observed for `STSC`). Partial cancel `STPC` and acquisition
/// `STMR` go to the same endpoint here: no public source shows them on another REST path.
pub fn mod_url(mode: Mode) -> String {
    super::MOD_URL.at(mode).into()
}

/// What the merchant signs for `kcp_sign_data` (notes §3.2).
pub fn sign_input(site_cd: &str, tno: &str, mod_type: &str) -> String {
    format!("{site_cd}^{tno}^{mod_type}")
}

fn site_cd_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

// The call tables (`APPROVE`, `MOD`, `TRADE_REGISTER`), generated from `data/pg/kcp.json` by
// build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_kcp_call.rs"));

/// Mobile trade registration (notes §3.3, REST generation: gnuboard5@5bb963284
/// `mobile/subscription/kcp/kcp_api_trade_reg.php` posts JSON to `trade/register.do`).
pub fn trade_register_url(mode: Mode) -> String {
    super::TRADE_REGISTER_URL.at(mode).into()
}

fn url_ok(s: &str) -> bool {
    super::super::safe_url(s)
}

/// The mobile method name and its `ActionResult` for a PC `pay_method` bitmap with exactly one
/// method (notes §3.3: `CARD`/`BANK`/`VCNT`/`MOBX` → `card`/`acnt`/`vcnt`/`mobx`; the bitmap's
/// positions are [`super::method_bit`]'s).
pub fn mobile_method(bitmap: &str) -> Result<(&'static str, &'static str), ValidationError> {
    match bitmap {
        "100000000000" => Ok(("CARD", "card")),
        "010000000000" => Ok(("BANK", "acnt")),
        "001000000000" => Ok(("VCNT", "vcnt")),
        "000010000000" => Ok(("MOBX", "mobx")),
        _ => Err(ValidationError::new(
            "pay_method",
            Rule::OneOf,
            "a KCP phone checkout takes one method: card, bank transfer, virtual account or phone",
        )),
    }
}

/// What a trade registration returned (notes §3.3: `{Code, Message, approvalKey, traceNo,
/// PayUrl}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub approval_key: String,
    pub pay_url: String,
    pub trace_no: String,
}

/// A trade registration KCP refused (`Code` other than `0000`), or an answer without the key
/// or with a `PayUrl` that is not an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRefused {
    pub code: String,
    pub message: String,
}

/// Reads the trade registration answer (flat fields of its JSON).
pub fn read_trade_registration(body: &Params) -> Result<Registration, RegistrationRefused> {
    let refused = |m: &str| RegistrationRefused {
        code: body.str("Code").to_string(),
        message: m.to_string(),
    };
    if body.str("Code") != "0000" {
        return Err(refused(body.str("Message")));
    }
    let reg = Registration {
        approval_key: body.str("approvalKey").to_string(),
        pay_url: body.str("PayUrl").to_string(),
        trace_no: body.str("traceNo").to_string(),
    };
    if reg.approval_key.is_empty() {
        return Err(refused("approvalKey missing"));
    }
    if !super::super::safe_url(&reg.pay_url) {
        return Err(refused("PayUrl is not an http(s) URL"));
    }
    Ok(reg)
}

/// The phone checkout: the `order_info` form KCP's mobile page takes (notes §3.3 step 2), from
/// the validated PC form of the same order, the registration's `Ret_URL` and its answer. It is
/// posted to `PayUrl`; with `encoding_trans=UTF-8` the browser adapter posts it to the
/// encodingFilter next to it, keeping `PayUrl` as a field (notes §3.3).
pub fn phone_form(
    pc: &crate::form::CheckoutForm,
    ret_url: &str,
    reg: &Registration,
) -> Result<crate::form::CheckoutForm, ValidationError> {
    let f = |k: &str| pc.field(k).unwrap_or("");
    let (method, action) = mobile_method(f("pay_method"))?;
    let fields: Vec<(String, String)> = [
        ("site_cd", f("site_cd")),
        ("ordr_idxx", f("ordr_idxx")),
        ("good_name", f("good_name")),
        ("good_mny", f("good_mny")),
        ("pay_method", method),
        ("ActionResult", action),
        ("currency", "410"),
        ("Ret_URL", ret_url),
        ("approval_key", reg.approval_key.as_str()),
        ("PayUrl", reg.pay_url.as_str()),
        ("traceNo", reg.trace_no.as_str()),
        ("shop_name", f("site_name")),
        ("buyr_name", f("buyr_name")),
        ("buyr_tel2", f("buyr_tel2")),
        ("buyr_mail", f("buyr_mail")),
        ("encoding_trans", "UTF-8"),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Ok(crate::form::CheckoutForm {
        action: reg.pay_url.clone(),
        method: "POST".into(),
        accept_charset: "UTF-8".into(),
        target: String::new(),
        fields,
    })
}

pub(super) fn request(call: Call, mut p: Params, mode: Mode) -> Result<Request, ValidationError> {
    let site_cd = p.str("site_cd");
    // Manual 003 F&Q: test codes only on test hosts and the other way round, else 3014.
    if !site_cd.is_empty() && (mode == Mode::Live) == TEST_SITE_CODES.contains(&site_cd) {
        return Err(ValidationError::new(
            "site_cd",
            Rule::Conflict,
            "site_cd and --mode disagree on test/live (3014)",
        ));
    }
    if call == Call::TradeRegister {
        let fields = body(&p, TRADE_REGISTER, Charset::Utf8, FORBIDDEN)?;
        positive(&fields, "good_mny")?;
        return Ok(Request::post(trade_register_url(mode), JSON, fields));
    }
    if call == Call::Approve {
        let fields = body(&p, APPROVE, Charset::Utf8, FORBIDDEN)?;
        positive(&fields, "ordr_mony")?;
        return Ok(Request::post(payment_url(mode), JSON, fields));
    }
    let mod_type = mod_type(call).unwrap_or("STPC");
    fixed(&mut p, "mod_type", mod_type)?;
    if call == Call::PartialCancel {
        for k in ["mod_mny", "rem_mny"] {
            if p.str(k).is_empty() {
                return Err(ValidationError::new(
                    k,
                    Rule::Required,
                    "required for a partial cancel (STPC)",
                ));
            }
        }
    } else {
        for k in ["mod_mny", "rem_mny"] {
            if !p.str(k).is_empty() {
                return Err(ValidationError::new(
                    k,
                    Rule::Conflict,
                    "only a partial cancel (STPC) sends an amount",
                ));
            }
        }
    }
    let fields = body(&p, MOD, Charset::Utf8, FORBIDDEN)?;
    if !text::is_digits(fields.str("tno")) || fields.str("tno").len() != 14 {
        return Err(ValidationError::new(
            "tno",
            Rule::Format,
            "14-digit KCP tno",
        ));
    }
    if call == Call::PartialCancel {
        positive(&fields, "mod_mny")?;
        // No partial cancel above what remains ("rem_mny 취소가능잔액").
        at_most(&fields, "mod_mny", "rem_mny")?;
    }
    Ok(Request::post(mod_url(mode), JSON, fields))
}

/// Reads the answer to a `mod` request: `res_cd` / `res_msg` (manual 003 §3/§4 "전문정보 요청 ·
/// 응답" columns; `0000` 정상처리 as for every KCP result, 003 결과처리) and `tno`. The amount
/// fields are read under the request's names `mod_mny` / `rem_mny` ("취소요청금액", "취소가능잔액",
/// KCP's `pp_cli` samples) and the `panc_mod_mny` / `panc_rem_mny` names of the partial-cancel
/// results of those samples. `STSC` accepted is `cancelled`; `STPC` accepted is
/// `partially_cancelled`, or `cancelled` when nothing remains; `STMR` (매입요청, 003 §4) accepted
/// is `paid` — the acquisition is what moves a manual-acquisition merchant's money. The answer
/// is unsigned (the merchant's own TLS call): `authentic: null`.
pub(super) fn read(call: Call, p: &Params) -> Reading {
    use super::super::{amount, Pg};
    let mut r = Reading::new(Pg::Kcp);
    r.code = p.str("res_cd").to_string();
    r.message = p.str("res_msg").to_string();
    r.tid = p.str("tno").to_string();
    r.order_id = p.str("ordr_idxx").to_string();
    let either = |a: &str, b: &str| amount(p.str(a)).or_else(|| amount(p.str(b)));
    r.amount = either("mod_mny", "panc_mod_mny");
    r.remaining = either("rem_mny", "panc_rem_mny");
    if r.message.is_empty() {
        if let Some(c) = super::super::codes::result_code(Pg::Kcp, &r.code, "") {
            r.message = c.message.to_string();
        }
    }
    let ok = r.code == "0000";
    r.outcome = match (ok, call, r.remaining) {
        (false, ..) => Outcome::Failed,
        (true, Call::Capture, _) => {
            r.amount = amount(p.str("amount")).or(r.amount);
            Outcome::Paid
        }
        (true, Call::PartialCancel, Some(0)) | (true, Call::Cancel, _) => Outcome::Cancelled,
        (true, ..) => Outcome::PartiallyCancelled,
    };
    r
}

/// The `mod_type` of a `mod` request: cancel `STSC`, partial cancel `STPC` (003 §3), acquisition
/// `STMR` (003 §4).
fn mod_type(call: Call) -> Option<&'static str> {
    match call {
        Call::Cancel => Some("STSC"),
        Call::PartialCancel => Some("STPC"),
        Call::Capture => Some("STMR"),
        _ => None,
    }
}

/// `kcp_sign_data` over [`sign_input`] of the request's `site_cd`, `tno` and `mod_type`: every
/// `mod` request (notes §3.2).
fn key_signature(call: Call, p: &Params) -> Option<crate::pg::call::KeySignature> {
    Some(crate::pg::call::KeySignature {
        field: "kcp_sign_data",
        input: sign_input(p.str("site_cd"), p.str("tno"), mod_type(call)?),
    })
}

/// KCP's lifecycle (manual 003 §3/§4; `STPC` with `mod_mny` / `rem_mny`, `STMR` capture).
fn lifecycle(op: Op, c: &Change, p: &mut Params, amount: u64) -> Result<Call, ValidationError> {
    let call = match op {
        Op::Cancel => Call::Cancel,
        Op::PartialCancel => Call::PartialCancel,
        Op::Capture => Call::Capture,
        _ => return Err(Call::unknown(crate::pg::Pg::Kcp)),
    };
    p.set("tno", c.tid.as_str());
    if op == Op::PartialCancel {
        p.set("mod_mny", amount.to_string());
        p.set("rem_mny", c.remaining.to_string());
    }
    if !c.reason.is_empty() && op != Op::Capture {
        p.set("mod_desc", c.reason.as_str());
    }
    Ok(call)
}

/// KCP's server half ([`Server`]).
pub const SERVER: Server = Server {
    calls: &[
        Call::TradeRegister,
        Call::Approve,
        Call::Capture,
        Call::Cancel,
        Call::PartialCancel,
    ],
    request: |call, p, _, mode, _| request(call, p, mode),
    read,
    // KCP echoes the request's amount fields.
    cancel_amount_binds: true,
    request_charset: Charset::Utf8,
    response_charset: crate::pg::call::utf8,
    rollback_answer: crate::pg::call::no_rollback,
    recovery: |_, _, _, _, _, _| {
        Ok(Recovery::Unknown(
            "manual 003 documents no lookup or net cancel for a lost KCP answer: check the transaction in the KCP merchant admin before retrying or cancelling",
        ))
    },
    lifecycle,
    follow_up: crate::pg::call::no_follow_up,
    key_signature,
    phone_registration: Some(crate::pg::call::PhoneRegistration {
        request: registration_request,
        form: registered_form,
    }),
};

/// Step 1 of a phone checkout (notes §3.3; gnuboard5@5bb963284
/// `mobile/subscription/kcp/kcp_api_trade_reg.php`): `site_cd`, `ordr_idxx`, `good_mny`,
/// `good_name`, the one mobile `pay_method` and `Ret_URL`, from the order's validated PC form.
fn registration_request(
    pc: &crate::form::CheckoutForm,
    ret_url: &str,
    mode: Mode,
    now: crate::pg::KstTime,
) -> Result<Request, ValidationError> {
    let (method, _) = mobile_method(pc.field("pay_method").unwrap_or(""))?;
    let f = |k: &str| pc.field(k).unwrap_or("").to_string();
    let params = Params::from_pairs([
        ("site_cd", f("site_cd")),
        ("ordr_idxx", f("ordr_idxx")),
        ("good_mny", f("good_mny")),
        ("good_name", f("good_name")),
        ("pay_method", method.to_string()),
        ("Ret_URL", ret_url.to_string()),
    ]);
    crate::pg::call::request(
        crate::pg::Pg::Kcp,
        Call::TradeRegister,
        params,
        "",
        mode,
        now,
    )
}

/// Step 2: the registration's answer read ([`read_trade_registration`]) and the `order_info`
/// form built on it ([`phone_form`]). A refusal is an error on `approval_key`, the field the
/// answer did not give, with KCP's `Code` and `Message` in its message.
fn registered_form(
    pc: &crate::form::CheckoutForm,
    ret_url: &str,
    answer: &Params,
) -> Result<crate::form::CheckoutForm, ValidationError> {
    let reg = read_trade_registration(answer).map_err(|e| {
        ValidationError::new(
            "approval_key",
            Rule::Required,
            format!(
                "KCP refused the trade registration: [{}] {}",
                e.code, e.message
            ),
        )
    })?;
    phone_form(pc, ret_url, &reg)
}

/// The buyer's cancel in a `Ret_URL` post ([`RETURN`]): the `res_cd`/`res_msg` pair
/// `m_Completepayment` hands to the form that is posted ([`crate::pg::kcp::is_buyer_cancel`]).
fn buyer_cancel(p: &Params) -> bool {
    crate::pg::kcp::is_buyer_cancel(p.str("res_cd"), p.str("res_msg"))
}
