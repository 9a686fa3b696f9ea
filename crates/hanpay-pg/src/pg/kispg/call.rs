//! KISPG server API (manual 004 §3.2-§3.4), JSON POSTs signed with `encData`: approval
//! `/v2/payment`, cancel and partial cancel `/v2/cancel` (with the buyer's refund account for a
//! deposited virtual account), and the `/v2/order` lookup — the one way to see a KISPG virtual
//! account deposited, since the manual documents no deposit notice (audit M3).

use crate::prelude::*;

use crate::pg::call::lifecycle::{Change, Op};
use crate::pg::call::recover::Recovery;
use crate::pg::call::Server;

use super::super::result::{Outcome, Reading};
use super::super::{
    check_fresh, field, order_id_char, require_key, FieldSpec, Kind, KstTime, Mode, Params,
};
use super::{cancel_url, enc_data, payment_url, EDI_WINDOW_SECS};
use crate::form::{Rule, ValidationError};
use crate::pg::call::{body, fixed, positive, Call, Request, JSON};
use crate::text::Charset;

/// The published test MID (notes §5.4).
pub const TEST_MID: &str = "kistest00m";

/// Order lookup API (manual 004 §3.4.1).
pub fn order_url(mode: Mode) -> String {
    super::ORDER_URL.at(mode).into()
}

fn mid10(s: &str) -> bool {
    s.len() == 10 && s.is_ascii()
}

// The call tables (`PAYMENT`, `CANCEL`, `ORDER`), generated from `data/pg/kispg.json` by
// build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_kispg_call.rs"));

const REFUND: [&str; 3] = ["refundBankCd", "refundAccnt", "refundNm"];

pub(super) fn request(
    call: Call,
    mut p: Params,
    merchant_key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<Request, ValidationError> {
    // The published test MID only works on the test hosts.
    if p.str("mid") == TEST_MID && mode == Mode::Live {
        return Err(ValidationError::new(
            "mid",
            Rule::Conflict,
            "kistest00m is the test MID: use --mode test",
        ));
    }
    p.set_default("ediDate", now.format());
    p.set_default("charset", "UTF-8");
    // Placeholder so the table's required check passes; the real hash is set below.
    p.set("encData", "-");
    let (spec, amount_field, url) = match call {
        Call::Payment => (PAYMENT, "goodsAmt", payment_url(mode)),
        Call::Order => (ORDER, "goodsAmt", order_url(mode)),
        _ => {
            match call {
                Call::Cancel => fixed(&mut p, "partCanFlg", "0")?,
                Call::PartialCancel => fixed(&mut p, "partCanFlg", "1")?,
                // A refund may be whole or partial: the caller's partCanFlg, default whole.
                _ => p.set_default("partCanFlg", "0"),
            }
            (CANCEL, "canAmt", cancel_url(mode))
        }
    };
    let mut fields = body(&p, spec, Charset::Utf8, &[])?;
    // "현재 시각 -10분까지 유효" (004 §3.2.1, §3.3.1, §3.4.1).
    check_fresh("ediDate", fields.str("ediDate"), now, EDI_WINDOW_SECS)?;
    positive(&fields, amount_field)?;
    match call {
        Call::Order if fields.str("tid").is_empty() && fields.str("ordNo").is_empty() => {
            return Err(ValidationError::new(
                "tid",
                Rule::Required,
                "tid or ordNo (거래번호/주문번호 중 1개 필수, 004 §3.4.1)",
            ));
        }
        Call::Refund => {
            // "환불일 때 필수" (004:L389-391): the refund of a deposited virtual account.
            if fields.str("payMethod") != "vacnt" {
                return Err(ValidationError::new(
                    "payMethod",
                    Rule::OneOf,
                    "a refund is of a virtual account: vacnt",
                ));
            }
            for k in REFUND {
                if fields.str(k).is_empty() {
                    return Err(ValidationError::new(
                        k,
                        Rule::Required,
                        "required for a refund (환불일 때 필수, 004:L389-391)",
                    ));
                }
            }
        }
        Call::Cancel | Call::PartialCancel => {
            if let Some(k) = REFUND.iter().find(|k| !fields.str(k).is_empty()) {
                return Err(ValidationError::new(
                    k,
                    Rule::Conflict,
                    "refund account fields belong to the refund call",
                ));
            }
        }
        _ => {}
    }
    require_key("encData", merchant_key)?;
    // 004 §7.1 (auth/payment/lookup: goodsAmt) and §7.2 (cancel: canAmt in the amount's place).
    let enc = enc_data(
        fields.str("mid"),
        fields.str("ediDate"),
        fields.str(amount_field),
        merchant_key,
    );
    fields.set("encData", enc);
    Ok(Request::post(url, JSON, fields))
}

/// Reads the answer to `/v2/cancel` (cancel, partial cancel, refund) or `/v2/order`.
///
/// - Cancels (manual 004 §3.3.2: `resultCd` "8.3 취소 결과 코드", `tid`, `ordNo`, `amt`,
///   `cancelYN` 취소여부): `2001` 취소 성공 (notes §5.3) is the one success; "결제취소에 실패하였을
///   경우 실패시 전달되는 데이터만 전송" — anything else is `failed`. Accepted, `cancelYN` says
///   whether the payment is now wholly cancelled (`Y`: `cancelled`; `N`: `partially_cancelled`);
///   without it the call decides (a partial cancel is `partially_cancelled`).
/// - The lookup (§3.4.2): a result code the code table lists as a success of any kind means the
///   transaction was found; then the state is `trxStatus` ('승인' / '취소' / '입금대기', sent for
///   virtual accounts) or `cancelYN`, and "부분취소 시에도 결제 상태는 '승인'으로 응답 … 부분취소
///   시에는 cancelData를 확인": a non-empty `cancelData` on an approved payment is
///   `partially_cancelled`, its `canAmt` values summed off `amt` give `remaining`. An approved
///   virtual account is `deposited`; other approved payments are `paid`, bound to the order
///   amount like approvals.
pub(super) fn read(call: Call, p: &Params) -> Reading {
    use super::super::codes::{self, ResultKind};
    use super::super::{amount, Pg};
    let mut r = Reading::new(Pg::Kispg);
    r.code = p.str("resultCd").to_string();
    r.message = p.str("resultMsg").to_string();
    r.tid = p.str("tid").to_string();
    r.order_id = p.str("ordNo").to_string();
    r.method = p.str("payMethod").to_string();
    r.amount = amount(p.str("amt"));
    r.card = codes::card_company(Pg::Kispg, p.str("appCardCd"));
    let entry = codes::result_code(Pg::Kispg, &r.code, &r.method);
    if r.message.is_empty() {
        if let Some(c) = entry {
            r.message = c.message.to_string();
        }
    }
    let cancel_yn = p.str("cancelYN");
    if call != Call::Order {
        r.outcome = match (r.code.as_str(), cancel_yn, call) {
            ("2001", "Y", _) => Outcome::Cancelled,
            ("2001", "N", _) | ("2001", "", Call::PartialCancel) => Outcome::PartiallyCancelled,
            ("2001", ..) => Outcome::Cancelled,
            _ => Outcome::Failed,
        };
        return r;
    }
    let found = entry.is_some_and(|c| c.kind != ResultKind::Error);
    let cancelled_sum = cancel_data_sum(p.str("cancelData"));
    r.outcome = match (found, p.str("trxStatus"), cancel_yn) {
        (false, ..) => Outcome::Failed,
        (true, "취소", _) | (true, "", "Y") => Outcome::Cancelled,
        (true, "입금대기", _) => Outcome::Pending,
        (true, ..) if cancelled_sum.is_some() => {
            let total = r.amount.unwrap_or(0);
            r.remaining = cancelled_sum.map(|c| total.saturating_sub(c));
            Outcome::PartiallyCancelled
        }
        (true, "승인", _) if r.method == "vacnt" => Outcome::Deposit {
            this: None,
            total: r.amount,
            order: None,
        },
        (true, ..) => Outcome::Paid,
    };
    r
}

/// The sum of the `canAmt` values in a lookup's `cancelData` ("부분취소 내역(Json 형식으로 리턴)",
/// 004 §3.4.2; the manual's sample is not in the text, so every `"canAmt"` member counts, as a
/// string or a number). `None` when there is no cancel record.
pub fn cancel_data_sum(s: &str) -> Option<u64> {
    let mut sum = 0u64;
    let mut found = false;
    let mut rest = s;
    while let Some(i) = rest.find("\"canAmt\"") {
        rest = rest.get(i + 8..).unwrap_or("");
        let v = rest
            .trim_start()
            .strip_prefix(':')
            .unwrap_or("")
            .trim_start();
        let v = v.strip_prefix('"').unwrap_or(v);
        let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u64>() {
            sum = sum.saturating_add(n);
            found = true;
        }
    }
    found.then_some(sum)
}

/// KISPG's lifecycle (manual 004 §3.3.1, `canMsg` required: a default reason when none is
/// given; the lookup §3.4.1 by tid, with the order amount under `encData`).
fn lifecycle(op: Op, c: &Change, p: &mut Params, amount: u64) -> Result<Call, ValidationError> {
    if op == Op::Lookup {
        // By tid, or before one is known (a lost `/v2/payment` answer) by the order number:
        // "거래번호/주문번호 중 1개 필수" (004 §3.4.1, 004:L446).
        if c.tid.is_empty() {
            p.set("ordNo", c.order_id.as_str());
        } else {
            p.set("tid", c.tid.as_str());
        }
        p.set("goodsAmt", c.order_amount.to_string());
        return Ok(Call::Order);
    }
    if op == Op::Capture {
        return Err(Call::unknown(crate::pg::Pg::Kispg));
    }
    p.set("tid", c.tid.as_str());
    p.set("payMethod", c.method.as_str());
    p.set_default("ordNo", c.order_id.as_str());
    p.set("canAmt", amount.to_string());
    p.set(
        "canMsg",
        if c.reason.is_empty() {
            "고객요청"
        } else {
            c.reason.as_str()
        },
    );
    Ok(match op {
        Op::Cancel => Call::Cancel,
        Op::PartialCancel => Call::PartialCancel,
        _ => {
            let r = crate::pg::call::lifecycle::refund_account(c, "refundAccnt")?;
            p.set("refundBankCd", r.bank);
            p.set("refundAccnt", r.account);
            p.set("refundNm", r.holder);
            p.set("partCanFlg", if amount < c.remaining { "1" } else { "0" });
            Call::Refund
        }
    })
}

/// A lost KISPG answer is looked up (`/v2/order` with the call's `tid`, 004 §3.4.1).
fn lookup(
    sent: &Request,
    amount: Option<u64>,
    key: &str,
    mode: Mode,
    now: KstTime,
    _cause: &str,
) -> Result<Recovery, ValidationError> {
    let tid = sent.fields.str("tid");
    // An approval carries the order amount itself (`goodsAmt`); a cancel only its own.
    let amount = amount.or_else(|| super::super::amount(sent.fields.str("goodsAmt")));
    let Some(amount) = amount else {
        return Ok(Recovery::Unknown(
            "KISPG's lookup needs the order amount (goodsAmt, 004 §3.4.1): look the tid up in the merchant admin",
        ));
    };
    let p = Params::from_pairs([
        ("mid", sent.fields.str("mid")),
        ("tid", tid),
        ("goodsAmt", &amount.to_string()),
    ]);
    Ok(Recovery::Lookup(request(Call::Order, p, key, mode, now)?))
}

/// KISPG's server half ([`Server`]).
pub const SERVER: Server = Server {
    calls: &[
        Call::Payment,
        Call::Order,
        Call::Cancel,
        Call::PartialCancel,
        Call::Refund,
    ],
    request,
    read,
    // `amt` is "거래금액 / 결제결과 금액" (004 §3.3.2), which may be the payment's, so it is not
    // bound to the cancelled amount.
    cancel_amount_binds: false,
    // 004 §3.2.1 HTTP 정보: JSON in UTF-8.
    request_charset: Charset::Utf8,
    // KISPG answers in the request's `charset` (004 §3.2.1).
    response_charset: |sent| {
        Charset::from_label(sent.fields.str("charset")).unwrap_or(Charset::Utf8)
    },
    rollback_answer: crate::pg::call::no_rollback,
    recovery: lookup,
    lifecycle,
    follow_up: crate::pg::call::no_follow_up,
    key_signature: crate::pg::call::no_key_signature,
    phone_registration: None,
};
