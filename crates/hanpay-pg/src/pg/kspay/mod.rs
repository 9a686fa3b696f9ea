//! KSNET KSPay smartphone (WebHost) checkout. KSNET has no merchant-side hash: the result
//! page fetches the outcome server-to-server (notes §4.1), so results carry `authentic: null`.
//!
//! Fields: manual 002 Chapter 2 (Parts 2 and 3); endpoint: notes/pg-protocols.md §4.2.

use crate::prelude::*;

use super::order::{self, digits_only, set, Order};

use super::codes;
use super::result::{Outcome, Reading};
use super::{
    amount, field, validate, Endpoint, FieldSpec, Kind, MessageKind, Mode, Params, Pg, Verify,
};
use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::{self, Charset};

/// The merchant server's calls to kspay (`call::Server`): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;

/// The test store id (manual 002 Chapter 2: "신용카드 테스트 ID : 2999199999").
pub const TEST_STORE_ID: &str = "2999199999";

/// The PC payment page: `_KSPAY_URL` of KSNET's PC script (jeihomme/jenkins_test:src/main/
/// webapp/resources/payment/kspay_web.js@978fdeee; the same in Binjiho/laraArrhythmia:
/// public/script/kspay_web_ssl.js@ce0c4b04). Test and live share it; the store id selects the
/// mode. "섞어 쓰면 결제창이 열리지 않거나 화면이 깨집니다" (johnlee79/jzl-closet:lib/payments/
/// ksnet/config.ts@25182cf1): phones get [`phone_action_url`] through [`phone_form`].
pub fn action_url(_mode: Mode) -> &'static str {
    ACTION_URL.at(_mode)
}

/// The smartphone payment page (notes §4.2).
pub fn phone_action_url() -> &'static str {
    PHONE_ACTION_URL.live
}

/// A built form turned into the smartphone variant: the mobile page, which takes card, virtual
/// account and phone only ("스마트폰결제의 경우 현재 신용카드/가상계좌/휴대폰결제 만 가능", 002:L355,
/// L44): the bank-transfer bit is refused there (audit W8).
pub fn phone_form(mut form: CheckoutForm) -> Result<CheckoutForm, ValidationError> {
    let bank = method_bit(crate::method::Method::BankTransfer);
    if form
        .field("sndPaymethod")
        .and_then(|m| m.as_bytes().get(bank).copied())
        == Some(b'1')
    {
        return Err(ValidationError::new(
            "sndPaymethod",
            Rule::Format,
            "no bank transfer on the smartphone page (002:L355)",
        ));
    }
    form.action = phone_action_url().to_string();
    Ok(form)
}

/// Server-to-server result fetch (notes §4.1), `sndActionType=1` then `3` after processing,
/// under `KSPayWebV1.4` as in the official V1.4 sample (HyeongjuLee/wpr-cosmico:PG/KSNET/
/// utf-8/KSPayWebHost.inc@c7077f50) and the live-tested jzl-closet (config.ts@25182cf1
/// `KSPAY_APPROVE_URL`, used for its PC and mobile windows alike). The sandbox answers the
/// `KSPayMobileV1.4` copy of the path too.
pub fn result_url() -> &'static str {
    RESULT_URL.live
}

/// The 신용카드 영수증 page of a KSNET card transaction (manual 002 부록 <4>, 002:L988-994: "해당
/// 거래번호가 들어가면 자동 조회"). Card only, and "모바일 페이지 지원안함": open it on a PC. A card
/// `trno` starts with 1 or I (002:L354); the manual's example is `120422012465`. The URL is the
/// manual's own (plain http).
pub fn receipt_url(trno: &str) -> Result<String, ValidationError> {
    let card = trno.starts_with('1') || trno.starts_with('I');
    if !card || !trno.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ValidationError::new(
            "trno",
            Rule::Format,
            "a card trno (starts with 1 or I, 002:L354)",
        ));
    }
    Ok(format!(
        "http://pgims.ksnet.co.kr/pg_infoc/src/bill/credit_view.jsp?tr_no={trno}"
    ))
}

/// Position of each method in the `sndPaymethod` bitmap (manual 002 Part 2;
/// notes §4.2: card, virtual account, bank transfer, …, phone at index 5).
pub fn method_bit(method: crate::method::Method) -> usize {
    use crate::method::Method;
    match method {
        Method::Card => 0,
        Method::VirtualAccount => 1,
        Method::BankTransfer => 2,
        Method::Phone => 5,
    }
}

/// 10 digits (manual 002 Part 2) or the 13 of the current PC module, whose extra places carry
/// KakaoPay (`0000000010000`) and NaverPay (`0000000000001`) in live use (johnlee79/
/// jzl-closet:lib/payments/ksnet/config.ts@25182cf1, `KSNET_PAYMETHOD`). Bank transfer is
/// refused on the phone page only ([`phone_form`]).
fn bitmap(s: &str) -> bool {
    (s.len() == 10 || s.len() == 13) && s.bytes().all(|b| b == b'0' || b == b'1') && s.contains('1')
}

/// Card only: `1` then zeros, in either width.
fn card_only(s: &str) -> bool {
    s.len() >= 10
        && s.strip_prefix('1')
            .is_some_and(|r| r.bytes().all(|b| b == b'0'))
}

/// `sndRtApp`: "Android계열은 … value=”Android”", "iOS는 URL Scheme 설정된값 예) testapphost://"
/// (002:L268-273), and "sndRtApp 은 필수적으로 ‘android’ 라고 설정" (002:L377; audit W3).
fn rt_app(s: &str) -> bool {
    s.eq_ignore_ascii_case("android") || (s.contains("://") && super::safe_url(s))
}

/// `sndShowcard`: the manual documents I, M, `I,M` and `M(04,05)` (002:L256-259); the official
/// V1.4 sample sends `C` (notes §4.2), which hanpay defaults to, so that value is kept too
/// (audit W13: the sample wins where the sources disagree).
fn show_card(s: &str) -> bool {
    matches!(s, "I" | "M" | "I,M" | "C")
        || s.strip_prefix("M(")
            .and_then(|r| r.strip_suffix(')'))
            .is_some_and(|cards| cards.split(',').all(|c| c.len() == 2 && text::is_digits(c)))
}

fn installments(s: &str) -> bool {
    let inner = s
        .strip_prefix("ALL(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(s);
    inner.split(':').all(|m| amount(m).is_some_and(|n| n <= 36))
}

/// `NONE`, `ALL`, months `3:4:5`, or per-card `04(3:4:5)` (manual 002 Part 2; notes §4.2).
fn interest(s: &str) -> bool {
    if s == "NONE" || s == "ALL" {
        return true;
    }
    s.split(',').all(|part| {
        let months = match part.split_once('(') {
            Some((card, rest)) => {
                if card.is_empty() || !crate::text::is_digits(card) {
                    return false;
                }
                match rest.strip_suffix(')') {
                    Some(m) => m,
                    None => return false,
                }
            }
            None => part,
        };
        months
            .split(':')
            .all(|m| amount(m).is_some_and(|n| n <= 36))
    })
}

fn ascii_char(c: char) -> bool {
    c.is_ascii()
}

/// "30Byte(한글15자), 특수문자 사용안됨" (002:L164): letters of any script (Hangul included,
/// audit W11) and digits; `_` and `-` as in the manual's own sample `KSPay_1234`.
fn order_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

// `FIELDS` (the request table), generated from `data/pg/kspay.json` by build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_kspay_form.rs"));

/// `sndGoodname` cut to 30 EUC-KR bytes at a character boundary, as KSNET asks
/// ("30byte까지 꼭 잘라서 보내주셔야 합니다", manual 002 Part 3).
pub fn truncate_goodname(name: &str) -> &str {
    text::truncate_to_bytes(name, 30, Charset::EucKr)
}

/// Fills defaults (manual 002 sample values), validates. No signing: KSNET has no form hash.
pub fn build(mut p: Params, mode: Mode) -> Result<CheckoutForm, ValidationError> {
    if mode == Mode::Test {
        p.set_default("sndStoreid", TEST_STORE_ID);
    } else if p.str("sndStoreid") == TEST_STORE_ID {
        return Err(ValidationError::new(
            "sndStoreid",
            Rule::Conflict,
            "test store id in live mode",
        ));
    }
    for (k, v) in [
        ("sndPaymethod", "1000000000"),
        ("sndCurrencytype", "WON"),
        ("sndInstallmenttype", "0:2:3:4:5:6:7:8:9:10:11:12"),
        ("sndInteresttype", "NONE"),
        ("sndEscrow", "0"),
        ("sndShowcard", "C"),
        ("sndCharSet", "utf-8"),
    ] {
        p.set_default(k, v);
    }
    validate(&p, FIELDS, request_charset(&p), FORBIDDEN)?;
    // "금액 : 신용카드로 결제하고자하는 금액. 최소 1000원 이상일 때 거래가 가능" (002:L414), held only to a
    // card-only window: with other methods offered the buyer may still pay less another way. The
    // 5만원 installment floor (002:L412) is applied by the window to the offered months, not an error.
    if card_only(p.str("sndPaymethod")) && amount(p.str("sndAmount")).is_some_and(|a| a < 1000) {
        return Err(ValidationError::new(
            "sndAmount",
            Rule::Conflict,
            "a card-only window needs at least 1000 (002:L414)",
        ));
    }
    if p.str("sndCharSet") == "euc-kr" {
        super::require_euc_kr(&p)?;
    }
    let accept = if p.str("sndCharSet") == "euc-kr" {
        "EUC-KR"
    } else {
        "UTF-8"
    };
    Ok(CheckoutForm {
        action: action_url(mode).to_string(),
        method: "POST".into(),
        accept_charset: accept.into(),
        target: String::new(),
        fields: p.0,
    })
}

/// Field order of `sndRpyParams` in the server fetch (notes §4.1).
pub const REPLY_FIELDS: &[&str] = &[
    "authyn", "trno", "trddt", "trdtm", "amt", "authno", "msg1", "msg2", "ordno", "isscd", "aqucd",
    "result", "halbu", "cbtrno", "cbauthno",
];

/// Parses the backtick-delimited text `recv_post.jsp` answers (first token skipped, notes §4.1).
pub fn parse_recv_post(body: &str) -> Params {
    let mut p = Params::new();
    for (name, value) in REPLY_FIELDS.iter().zip(body.trim().split('`').skip(1)) {
        p.set(name, value.trim());
    }
    p
}

/// What each kind of KSNET message is (manual 002 Chapter 3; notes §4.1):
/// - `return`: the post to `sndReply` (`reCommConId`, `reCommType`, `reHash`). KSNET signs
///   nothing; the merchant fetches the result server-to-server with `reCommConId`, so a post
///   with one is `authenticated` (next: `fetch_result`) unless `reCnclType` is 1, the buyer's cancel.
/// - `approval`: the fetched result (`authyn` O 승인 / X 거절, 002:L357, L470). The result is
///   unsigned and fetched by an id the browser chose, so bind it to the merchant's order
///   ([`super::Expect::order_id`] against `ordno`, and the amount; security review finding 1).
///   A virtual account (`result` 6001, trno prefix 6, 002:L354, L463) is only issued: `pending`.
/// - KSNET documents no notification.
pub(crate) fn read(p: &Params, v: &Verify<'_>) -> Reading {
    let mut r = Reading::new(Pg::Kspay);
    match v.kind {
        MessageKind::Notice => {
            r.outcome = Outcome::Unsupported("KSNET sends no notifications (manual 002)");
            return r;
        }
        MessageKind::Return => {
            r.tid = p.str("reCommConId").trim().to_string();
            r.code = p.str("reCommType").trim().to_string();
            // `reCnclType=1` is the buyer's cancel: the relay calls `mcancel()` instead of handing
            // the ids on (notes §4.1), so nothing is to be fetched.
            r.outcome = if r.tid.is_empty() || p.str("reCnclType").trim() == "1" {
                Outcome::Failed
            } else {
                Outcome::Authenticated("fetch_result")
            };
            return r;
        }
        MessageKind::Approval => {}
    }
    let approved = p.str("authyn") == "O";
    r.code = if approved {
        "O".to_string()
    } else {
        p.str("authno").trim().to_string()
    };
    let m1 = p.str("msg1").trim();
    let m2 = p.str("msg2").trim();
    r.message = if m2.is_empty() {
        m1.to_string()
    } else {
        format!("{m1} {m2}").trim().to_string()
    };
    r.amount = amount(p.str("amt").trim());
    r.tid = p.str("trno").trim().to_string();
    r.order_id = p.str("ordno").trim().to_string();
    r.method = p.str("result").trim().to_string();
    // isscd: issuer code 2 bytes + 4 spaces for cards (manual 002 result table).
    if r.tid.starts_with('1') || r.tid.starts_with('I') {
        r.card = codes::card_company(Pg::Kspay, p.str("isscd").trim());
    }
    let virtual_account = r.method.starts_with('6') || r.tid.starts_with('6');
    r.outcome = match (approved, virtual_account) {
        (false, _) => Outcome::Failed,
        (true, true) => Outcome::Pending,
        (true, false) => Outcome::Paid,
    };
    r
}

/// The generic order in this PG's names ([`Gateway::from_order`]; overrides are applied after).
fn from_order(o: &Order) -> Result<Params, ValidationError> {
    let mut p = Params::new();
    let amount = o.amount.to_string();
    let methods = o.methods_or_card();
    p.set(
        "sndPaymethod",
        order::bitmap(10, methods.iter().map(|m| method_bit(*m))),
    );
    set(&mut p, "sndStoreid", &o.merchant_id);
    set(&mut p, "sndOrdernumber", &o.order_id);
    set(&mut p, "sndGoodname", &o.goods_name);
    set(&mut p, "sndAmount", &amount);
    set(&mut p, "sndOrdername", &o.buyer_name);
    set(&mut p, "sndEmail", &o.buyer_email);
    set(&mut p, "sndMobile", &digits_only(&o.buyer_phone));
    set(&mut p, "sndReply", &o.return_url);
    p.set(
        "sndInstallmenttype",
        order::installments(o.max_installments),
    );
    p.set("sndEscrow", if o.escrow { "1" } else { "0" });
    set(&mut p, "sndRtApp", &o.app_scheme);
    Ok(p)
}

/// KSPay as the library reaches it ([`super::Gateway`]; `Pg::gateway`).
/// hanpay counts KSPay's byte limits in EUC-KR whatever `sndCharSet` the window is sent in, as
/// `truncate_goodname` counts KSNET's "30byte" rule (manual 002 Part 3).
fn request_charset(_: &Params) -> Charset {
    Charset::EucKr
}

pub const GATEWAY: super::Gateway = super::Gateway {
    fields: FIELDS,
    build: |params, _, mode, _| build(params, mode),
    read,
    from_order,
    phone_form: |form, _| phone_form(form),
    charset: request_charset,
    signature: None,
    text_body: |body| body.contains('`').then(|| parse_recv_post(body)),
    // No digest with a shared merchant key: the PG signs nothing the merchant recomputes.
    digests: &[],
};
