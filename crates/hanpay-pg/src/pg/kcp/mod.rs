//! NHN KCP PayPlus: 표준웹 checkout (`payplus_web.jsp`), results, `common_return` notices
//! (`mod` requests are built in [`call`]). KCP has no merchant-side hash in the browser flows: approval goes
//! server-to-server with `enc_data`/`enc_info` and `ordr_mony` (manual 003 참고사항 4).
//!
//! Fields: manual 003 §2 주문요청 페이지; special characters: manual 003 결제 시스템 연동;
//! scripts: manual 003 §1 JAVASCRIPT URL and notes/pg-protocols.md §3.1.

use crate::prelude::*;

use super::order::{bitmap, set, Order};

use super::codes;
use super::result::{self, Outcome, Reading};
use super::{
    amount, field, order_id_char, validate, Endpoint, FieldSpec, Kind, MessageKind, Mode, Params,
    Pg, Verify,
};
use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::Charset;

/// The merchant server's calls to kcp (`call::Server`): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;

/// Test site codes published by KCP and gnuboard (notes §3.1): general, escrow, PAYCO.
pub const TEST_SITE_CODES: &[&str] = &["T0000", "T0007", "S6729"];

/// Notification source addresses to allow for `common_return` (manual 003 §6).
pub const NOTIFY_IPS_TEST: &[&str] = &["203.238.36.17", "203.238.36.58"];
pub const NOTIFY_IPS_LIVE: &[&str] = &["203.238.36.173", "203.238.36.178"];

/// Whether a `res_cd`/`res_msg` pair handed to `m_Completepayment` is the buyer leaving KCP's
/// window rather than a refusal: `3001` (notes §3.3), and `''`, `7777` or a message naming 취소,
/// which a live-tested integration treats as the buyer's cancel (gnuboard/
/// g7-plugin-sirsoft-pay-nhnkcp:resources/js/handlers/requestPayment.ts@64b4d58c).
pub fn is_buyer_cancel(res_cd: &str, res_msg: &str) -> bool {
    matches!(crate::text::trim_controls(res_cd), "" | "3001" | "7777")
        || crate::text::contains_str(res_msg, "취소")
}

/// ActiveX-free 표준웹 script (notes §3.1); the form's `action`.
pub fn web_script_url(mode: Mode) -> &'static str {
    // A match, not `Endpoint::at`: the browser links this, and the match is ~50 bytes gzip
    // smaller there (`make size`, docs/size.md).
    match mode {
        Mode::Test => WEB_SCRIPT_URL.test,
        Mode::Live => WEB_SCRIPT_URL.live,
    }
}

/// Position in the 12-digit `pay_method` bitmap (manual 003 §2 pay_method).
pub fn method_bit(method: crate::method::Method) -> usize {
    use crate::method::Method;
    match method {
        Method::Card => 0,
        Method::BankTransfer => 1,
        Method::VirtualAccount => 2,
        Method::Phone => 4,
    }
}

fn bitmap12(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b == b'0' || b == b'1') && s.contains('1')
}

fn quota(s: &str) -> bool {
    amount(s).is_some_and(|n| n <= 12)
}

fn card_code(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// `CCBC-02:03:06,CCKM-03:06` (manual 003 §2 kcp_noint_quota).
fn noint_quota(s: &str) -> bool {
    s.split(',').all(|part| match part.split_once('-') {
        Some((card, months)) => {
            card_code(card)
                && months
                    .split(':')
                    .all(|m| m.len() == 2 && amount(m).is_some_and(|n| (2..=36).contains(&n)))
        }
        None => false,
    })
}

/// `CCKM:CCBC:CCSS` (manual 003 §2 used_card / not_used_card).
fn card_list(s: &str) -> bool {
    s.split(':').all(card_code)
}

fn date8(s: &str) -> bool {
    s.len() == 8 && super::KstTime::parse(&format!("{s}000000")).is_some()
}

/// `good_expr` (003:L1726-1751): `0` 일반결제; `1:YYYYMMDDYYYYMMDD` a service period (from ≤ to);
/// `2:N` + `d`/`w`/`m` 자동결제 (`2:10d`, `2:1w`, `2:1m`).
fn good_expr(s: &str) -> bool {
    match s.split_once(':') {
        None => s == "0",
        Some(("1", period)) => match (period.get(..8), period.get(8..)) {
            (Some(from), Some(to)) => period.len() == 16 && date8(from) && date8(to) && from <= to,
            _ => false,
        },
        Some(("2", cycle)) => match cycle.len().checked_sub(1).map(|i| cycle.split_at(i)) {
            Some((n, unit)) => matches!(unit, "d" | "w" | "m") && amount(n).is_some_and(|n| n >= 1),
            None => false,
        },
        _ => false,
    }
}

/// `pay_method` position of 상품권, `000000001000` (003:L1545).
const GIFT_CARD_BIT: usize = 8;

fn site_cd_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

// `FIELDS` (the request table), generated from `data/pg/kcp.json` by build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_kcp_form.rs"));

/// Response fields the script fills through `GetField`; they must exist empty (notes §3.1).
pub const RESPONSE_FIELDS: &[&str] = &[
    "res_cd",
    "res_msg",
    "tno",
    "trace_no",
    "enc_info",
    "enc_data",
    "ret_pay_method",
    "tran_cd",
    "bank_name",
    "bank_issu",
    "use_pay_method",
    "cash_tsdtime",
    "cash_yn",
    "cash_authno",
    "cash_tr_code",
    "cash_id_info",
];

/// Validates and fills the order form. `site_key` stays on the server: it is not a form field.
pub fn build(mut p: Params, mode: Mode) -> Result<CheckoutForm, ValidationError> {
    if mode == Mode::Test {
        p.set_default("site_cd", "T0000");
    }
    let site_cd = p.str("site_cd").to_string();
    // Manual 003 F&Q: lower-case site_cd gives 3014.
    if site_cd.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(ValidationError::new(
            "site_cd",
            Rule::Uppercase,
            "KCP rejects lower-case site_cd (3014)",
        ));
    }
    let is_test_code = TEST_SITE_CODES.contains(&site_cd.as_str());
    if !site_cd.is_empty() && (mode == Mode::Live) == is_test_code {
        return Err(ValidationError::new(
            "site_cd",
            Rule::Conflict,
            "site_cd and --mode disagree on test/live (3014)",
        ));
    }
    for (k, v) in [
        ("req_tx", "pay"),
        ("pay_method", "100000000000"),
        ("currency", "WON"),
        ("module_type", "01"),
        ("good_expr", "0"),
    ] {
        p.set_default(k, v);
    }
    let charset = request_charset(&p);
    validate(&p, FIELDS, charset, FORBIDDEN)?;
    if charset == Charset::EucKr {
        super::require_euc_kr(&p)?;
    }
    if p.str("kcp_noint") == "Y" && p.str("kcp_noint_quota").is_empty() {
        return Err(ValidationError::new(
            "kcp_noint_quota",
            Rule::Required,
            "required when kcp_noint=Y",
        ));
    }
    // "문화상품권의 경우 반드시 … tk_shop_id … 넘겨주셔야" (003:L1122), "없는 경우 결제가 거절"
    // (003:L1991-1993). pay_method selects 상품권 as a whole (003:L1545); the buyer picks 문화상품권
    // inside the window, so the 상품권 bit is what makes tk_shop_id required.
    if p.str("pay_method").as_bytes().get(GIFT_CARD_BIT) == Some(&b'1')
        && p.str("tk_shop_id").is_empty()
    {
        return Err(ValidationError::new(
            "tk_shop_id",
            Rule::Required,
            "required when pay_method offers 상품권 (003:L1122, L1991-1993)",
        ));
    }
    // hp_commid takes effect only "hp_apply_yn 변수를 Y로 설정 후" (003:L1977); otherwise every
    // carrier is shown (003:L1967-1969) and the merchant's restriction is silently dropped.
    if !p.str("hp_commid").is_empty() && p.str("hp_apply_yn") != "Y" {
        return Err(ValidationError::new(
            "hp_commid",
            Rule::Conflict,
            "needs hp_apply_yn=Y (003:L1977)",
        ));
    }
    if p.str("used_card_YN") == "Y" && p.str("used_card").is_empty() {
        return Err(ValidationError::new(
            "used_card",
            Rule::Required,
            "required when used_card_YN=Y",
        ));
    }
    if p.str("tax_flag") == "TG03" {
        let mut sum = 0u64;
        for k in ["comm_tax_mny", "comm_vat_mny", "comm_free_mny"] {
            match amount(p.str(k)) {
                Some(v) => sum += v,
                None => {
                    return Err(ValidationError::new(
                        k,
                        Rule::Required,
                        "required with tax_flag=TG03",
                    ))
                }
            }
        }
        if Some(sum) != amount(p.str("good_mny")) {
            return Err(ValidationError::new(
                "comm_tax_mny",
                Rule::Sum,
                format!("tax + vat + free = {sum} ≠ good_mny"),
            ));
        }
    }
    for k in RESPONSE_FIELDS {
        p.set_default(k, "");
    }
    Ok(CheckoutForm {
        action: web_script_url(mode).to_string(),
        method: "POST".into(),
        accept_charset: charset.label().into(),
        target: String::new(),
        fields: p.0,
    })
}

/// Composite-tax split of `total` with `tax_free` exempt (manual 003 §2: tax = taxable / 1.1,
/// vat = taxable − tax). Returns `(comm_tax_mny, comm_vat_mny, comm_free_mny)`.
pub fn composite_tax(total: u64, tax_free: u64) -> (u64, u64, u64) {
    let free = tax_free.min(total);
    let taxable = total - free;
    let tax = (taxable * 10 + 5) / 11;
    (tax, taxable - tax, free)
}

/// The body KCP expects back from `common_return`: a form field `result=0000` (manual 003 §6
/// "result 의 값을 ‘0000’으로 설정(Form값으로 INPUT)").
pub const NOTIFY_REPLY: &str =
    "<html><body><form><input type=\"hidden\" name=\"result\" value=\"0000\"></form></body></html>";

/// `use_pay_method` of a virtual account (manual 003 §2 pay_method bitmap, position 3).
const VIRTUAL_ACCOUNT: &str = "001000000000";

/// What each kind of KCP message is (manual 003):
/// - `return`: the 표준웹 post to the merchant (`res_cd`, `enc_data`, `enc_info`, `tran_cd`); the
///   merchant still approves server-side with its own `ordr_mony` (참고사항 4), so `0000` is
///   `authenticated`. KCP signs none of it.
/// - `approval`: the approval response (§5, 003:L2241-2594). For a virtual account it issues the
///   account (`account`, `va_date`), and "결제자가 발급된 가상계좌에 대해 입금을 해야 최종적으로
///   결제가 완료" (003:L2603): `pending`. The amount is the response's `amount` only, never the
///   browser-echoed `good_mny`.
/// - `notice`: `common_return` (§6). Unsigned: its one control is the notifier address ("IP
///   ADDRESS를 체크를 하여, 다른 경로를 통해서 전송된 데이터를 결과 처리에서 제외", 003:L2619-2633).
///   `op_cd` 13 is a deposit cancellation, every other value a deposit (003:L2775-2781);
///   `totl_mnyx` is the account's running total for fixed accounts (003:L2751-2755).
pub(crate) fn read(p: &Params, v: &Verify<'_>) -> Reading {
    let mut r = Reading::new(Pg::Kcp);
    r.tid = p.str("tno").to_string();
    if v.kind == MessageKind::Notice {
        let published = match v.mode {
            Mode::Test => NOTIFY_IPS_TEST,
            Mode::Live => NOTIFY_IPS_LIVE,
        };
        r.auth = result::notifier(v, published);
        r.reply = Some(NOTIFY_REPLY);
        let tx_cd = p.str("tx_cd");
        let op_cd = p.str("op_cd");
        r.code = op_cd.to_string();
        r.order_id = p.str("ordr_no").to_string();
        r.method = "VCNT".into();
        r.amount = amount(p.str("ipgm_mnyx"));
        r.message = match op_cd {
            "13" => "가상계좌 입금 취소".to_string(),
            _ => "가상계좌 입금".to_string(),
        };
        r.outcome = match (tx_cd, op_cd) {
            ("TX00", "") => Outcome::Unsupported("TX00 notice without op_cd"),
            ("TX00", "13") => Outcome::Cancelled,
            ("TX00", _) => Outcome::Deposit {
                this: r.amount,
                total: amount(p.str("totl_mnyx")).or(r.amount),
                order: None,
            },
            _ => Outcome::Unsupported("only tx_cd TX00 (가상계좌 입금) notices are handled"),
        };
        return r;
    }
    r.code = p.str("res_cd").to_string();
    r.message = p.str("res_msg").to_string();
    r.order_id = p.str("ordr_idxx").to_string();
    r.method = p
        .get("use_pay_method")
        .filter(|m| !m.is_empty())
        .unwrap_or(p.str("pay_method"))
        .to_string();
    r.card = codes::card_company(Pg::Kcp, p.str("card_cd"));
    if r.message.is_empty() {
        if let Some(c) = codes::result_code(Pg::Kcp, &r.code, "") {
            r.message = c.message.to_string();
        }
    }
    let ok = r.code == "0000";
    r.outcome = match v.kind {
        MessageKind::Return => {
            r.amount = amount(p.str("good_mny"));
            if ok && !p.str("enc_data").is_empty() {
                Outcome::Authenticated("approve")
            } else {
                Outcome::Failed
            }
        }
        _ => {
            r.amount = amount(p.str("amount"));
            match (ok && !r.tid.is_empty(), r.method.as_str()) {
                (false, _) => Outcome::Failed,
                // KCP's REST approval also names the method `PAVC` (notes §3.2).
                (true, VIRTUAL_ACCOUNT) => Outcome::Pending,
                (true, _) if p.str("pay_method") == "PAVC" => Outcome::Pending,
                (true, _) => Outcome::Paid,
            }
        }
    };
    r
}

/// Which KCP receipt (매출전표 / 거래명세표) to link (manual 003 §7 영수증 연동, 003:L2790-2943).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// 신용카드 매출전표 (`card_bill`, `c_trade_no`).
    Card,
    /// 계좌이체 거래명세표 (`acnt_bill`, `a_trade_no`).
    BankTransfer,
    /// 가상계좌 거래명세표 (`vcnt_bill`, `v_trade_no`).
    VirtualAccount,
    /// 휴대폰 거래명세표 (`mcash_bill`, `h_trade_no`).
    Phone,
    /// 통머니 거래명세표 (`tong_bill`, `m_trade_no`).
    TongMoney,
}

/// The receipt page of a KCP transaction (`tno`, AN 14 in the receipt table; KCP issues 14 digits),
/// Korean or English (`…_eng`), as in the manual's URL table and call examples (003:L2873-2937).
/// KCP suggests a 470×815 popup for card slips and 470×695 for the others (003:L2927, L2937).
pub fn receipt_url(kind: Receipt, tno: &str, english: bool) -> Result<String, ValidationError> {
    if tno.len() != 14 || !crate::text::is_digits(tno) {
        return Err(ValidationError::new(
            "tno",
            Rule::Format,
            "14-digit KCP tno",
        ));
    }
    let (cmd, param) = match kind {
        Receipt::Card => ("card_bill", "c_trade_no"),
        Receipt::BankTransfer => ("acnt_bill", "a_trade_no"),
        Receipt::VirtualAccount => ("vcnt_bill", "v_trade_no"),
        Receipt::Phone => ("mcash_bill", "h_trade_no"),
        Receipt::TongMoney => ("tong_bill", "m_trade_no"),
    };
    let eng = if english { "_eng" } else { "" };
    Ok(format!(
        "https://admin8.kcp.co.kr/assist/bill.BillAction.do?cmd={cmd}{eng}&{param}={tno}"
    ))
}

/// The 현금영수증 page (003:L2826-2832, L2860, L2939-2941): `term_id` = "PGNW" + site code, the merchant's order id
/// (AN 30), whether the 국세청 approved it (`bill_yn` Y/N) and the 9-digit 승인번호 (`authno`).
pub fn cash_receipt_url(
    site_cd: &str,
    ordr_idxx: &str,
    bill_yn: bool,
    authno: &str,
) -> Result<String, ValidationError> {
    // term_id is AN 10: "PGNW" + the 5-character site code fits; anything else is not a site code.
    if site_cd.is_empty() || site_cd.len() > 6 || !site_cd.chars().all(site_cd_char) {
        return Err(ValidationError::new(
            "term_id",
            Rule::Format,
            "PGNW + an upper-case KCP site code (AN 10)",
        ));
    }
    if ordr_idxx.is_empty() || ordr_idxx.len() > 30 || !ordr_idxx.chars().all(order_id_char) {
        return Err(ValidationError::new(
            "orderid",
            Rule::Format,
            "order id, A-Z a-z 0-9 - _, at most 30 (AN 30)",
        ));
    }
    if authno.is_empty() || authno.len() > 9 || !crate::text::is_digits(authno) {
        return Err(ValidationError::new(
            "authno",
            Rule::Format,
            "현금영수증 승인번호, at most 9 digits (N 9)",
        ));
    }
    let yn = if bill_yn { "Y" } else { "N" };
    Ok(format!(
        "https://admin.kcp.co.kr/Modules/Service/Cash/Cash_Bill_Common_View.jsp?term_id=PGNW{site_cd}&orderid={ordr_idxx}&bill_yn={yn}&authno={authno}"
    ))
}

/// The generic order in this PG's names ([`Gateway::from_order`]; overrides are applied after).
fn from_order(o: &Order) -> Result<Params, ValidationError> {
    let mut p = Params::new();
    let amount = o.amount.to_string();
    let methods = o.methods_or_card();
    set(&mut p, "site_cd", &o.merchant_id);
    set(&mut p, "ordr_idxx", &o.order_id);
    set(&mut p, "good_name", &o.goods_name);
    set(&mut p, "good_mny", &amount);
    set(&mut p, "buyr_name", &o.buyer_name);
    set(&mut p, "buyr_tel2", &o.buyer_phone);
    set(&mut p, "buyr_mail", &o.buyer_email);
    p.set(
        "pay_method",
        bitmap(12, methods.iter().map(|m| method_bit(*m))),
    );
    p.set("quotaopt", o.max_installments.min(12).to_string());
    if o.tax_free_amount > 0 {
        let (tax, vat, free) = composite_tax(o.amount, o.tax_free_amount);
        p.set("tax_flag", "TG03");
        p.set("comm_tax_mny", tax.to_string());
        p.set("comm_vat_mny", vat.to_string());
        p.set("comm_free_mny", free.to_string());
    }
    if o.escrow {
        p.set("escw_used", "Y");
        p.set("pay_mod", "O");
    }
    Ok(p)
}

/// KCP's phone page takes a form bound to a trade registered server-side first (notes §3.3):
/// there is no phone form without its `approval_key`.
fn no_phone_form(_: CheckoutForm, _: Mode) -> Result<CheckoutForm, ValidationError> {
    Err(ValidationError::new(
        "approval_key",
        Rule::Required,
        "KCP on a phone: send Order::registration, then build the form with Order::registered_checkout",
    ))
}

/// KCP as the library reaches it ([`super::Gateway`]; `Pg::gateway`).
/// KCP decodes the request in EUC-KR unless `encoding_trans` is `UTF-8` (manual 003 §2).
fn request_charset(p: &Params) -> Charset {
    Charset::from_label(p.str("encoding_trans")).unwrap_or(Charset::EucKr)
}

pub const GATEWAY: super::Gateway = super::Gateway {
    fields: FIELDS,
    build: |params, _, mode, _| build(params, mode),
    read,
    from_order,
    phone_form: no_phone_form,
    charset: request_charset,
    text_body: super::no_text_body,
    signature: None,
    // No digest with a shared merchant key: the PG signs nothing the merchant recomputes.
    digests: &[],
};
