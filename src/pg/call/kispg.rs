//! KISPG server API (manual 004 §3.2-§3.4), JSON POSTs signed with `encData`: approval
//! `/v2/payment`, cancel and partial cancel `/v2/cancel` (with the buyer's refund account for a
//! deposited virtual account), and the `/v2/order` lookup — the one way to see a KISPG virtual
//! account deposited, since the manual documents no deposit notice (audit M3).

use crate::prelude::*;

use super::super::kispg::{cancel_url, enc_data, payment_url, EDI_WINDOW_SECS};
use super::super::result::{Outcome, Reading};
use super::super::{
    check_fresh, field, order_id_char, require_key, FieldSpec, Kind, KstTime, Mode, Params,
};
use super::{body, fixed, positive, Call, Request, JSON};
use crate::form::{Rule, ValidationError};
use crate::text::Charset;

/// The published test MID (notes §5.4).
pub const TEST_MID: &str = "kistest00m";

/// Order lookup API (manual 004 §3.4.1).
pub fn order_url(mode: Mode) -> String {
    match mode {
        Mode::Test => "https://testapi.kispg.co.kr/v2/order".into(),
        Mode::Live => "https://api.kispg.co.kr/v2/order".into(),
    }
}

fn mid10(s: &str) -> bool {
    s.len() == 10 && s.is_ascii()
}

const MID: FieldSpec = field(
    "mid",
    true,
    10,
    Kind::Format {
        desc: "10-character MID",
        check: mid10,
    },
);

const ORD_NO: Kind = Kind::Alphabet {
    desc: "A-Z a-z 0-9 - _",
    allowed: order_id_char,
};

const CHARSET: FieldSpec = field("charset", false, 10, Kind::OneOf(&["UTF-8", "EUC-KR"]));

/// Approval (manual 004 §3.2.1: mid 10, tid 30, goodsAmt 15, ediDate 14, encData 256, charset 5).
const PAYMENT: &[FieldSpec] = &[
    MID,
    field("tid", true, 30, Kind::Text),
    field("goodsAmt", true, 15, Kind::Digits),
    field("ediDate", true, 14, Kind::Timestamp),
    field("encData", true, 256, Kind::Text),
    field("charset", false, 5, Kind::OneOf(&["UTF-8", "EUC-KR"])),
];

/// Cancel: all 20 fields of manual 004 §3.3.1 with their sizes. `payMethod` lists card, bank
/// and vacnt; `hp` (phone) is the auth form's fourth method (notes §5.1).
const CANCEL: &[FieldSpec] = &[
    field(
        "payMethod",
        true,
        10,
        Kind::OneOf(&["card", "bank", "vacnt", "hp"]),
    ),
    field("tid", true, 30, Kind::Text),
    MID,
    field("ordNo", false, 40, ORD_NO),
    field("canAmt", true, 15, Kind::Digits),
    field("canId", false, 20, Kind::Text),
    field("canNm", false, 30, Kind::Text),
    field("canMsg", true, 100, Kind::Text),
    field("canIp", false, 20, Kind::Text),
    field("partCanFlg", true, 1, Kind::OneOf(&["0", "1"])),
    field("refundBankCd", false, 3, Kind::Digits),
    field("refundAccnt", false, 20, Kind::Digits),
    field("refundNm", false, 30, Kind::Text),
    field("encData", true, 255, Kind::Text),
    field("ediDate", true, 14, Kind::Timestamp),
    field("goodsSplAmt", false, 15, Kind::Digits),
    field("goodsVat", false, 15, Kind::Digits),
    field("goodsSvsAmt", false, 15, Kind::Digits),
    CHARSET,
    field("mbsReserved", false, 500, Kind::Text),
];

/// Lookup (manual 004 §3.4.1: tid 30 or ordNo 40, "거래번호/주문번호 중 1개 필수").
const ORDER: &[FieldSpec] = &[
    MID,
    field("tid", false, 30, Kind::Text),
    field("ordNo", false, 40, ORD_NO),
    field("goodsAmt", true, 15, Kind::Digits),
    field("encData", true, 255, Kind::Text),
    field("ediDate", true, 14, Kind::Timestamp),
];

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
