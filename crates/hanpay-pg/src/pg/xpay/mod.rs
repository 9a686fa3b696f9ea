//! LG U+ XPay (now operated by Toss Payments): cross-platform (ActiveX-free) checkout.
//!
//! Parameter table: manual 000 §5.2 (max bytes, forbidden characters); hash formulas,
//! the `t` test prefix and current endpoints: notes/pg-protocols.md §1.

use crate::prelude::*;

use super::order::{installments, set, Order};

use super::codes::{self, ResultKind};
use super::result::{self, Outcome, Reading};
use super::{
    amount, field, md5_hex, order_id_char, require_key, validate, Endpoint, FieldSpec, Kind,
    KstTime, MessageKind, Mode, Params, Pg, Verify,
};
use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::Charset;

/// The merchant server's calls to xpay (`call::Server`): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;

/// Cross-platform script (notes §1.5, Toss era). Toss-branded samples also name a second test
/// host, `pretest.tosspayments.com:9443` (vendor-scripts.md §1.1); hanpay loads this one, as
/// gnuboard/gnuboard5 HEAD 0b6f081f7 `shop/lg/orderform.1.php` does.
pub fn script_url(mode: Mode) -> &'static str {
    // A match, not `Endpoint::at`: the browser links this, and the match is ~50 bytes gzip
    // smaller there (`make size`, docs/size.md).
    match mode {
        Mode::Test => SCRIPT_URL.test,
        Mode::Live => SCRIPT_URL.live,
    }
}

/// Server API gateway for PaymentByKey / Cancel (notes §1.5, XPayClient `lgdacom.conf`).
pub fn gateway_url(mode: Mode) -> &'static str {
    GATEWAY_URL.at(mode)
}

/// `LGD_CUSTOM_USABLEPAY` / `LGD_CUSTOM_FIRSTPAY` method codes (manual 000 §10.1).
pub fn method_code(method: crate::method::Method) -> &'static str {
    use crate::method::Method;
    match method {
        Method::Card => "SC0010",
        Method::BankTransfer => "SC0030",
        Method::VirtualAccount => "SC0040",
        Method::Phone => "SC0060",
    }
}

fn months_list(s: &str) -> bool {
    s.split(':')
        .all(|m| super::amount(m).is_some_and(|n| n <= 36))
}

/// `LGD_INSTALLRANGE`: months separated by ':' (manual 000 §5.2, default `0:2:3:…:12`).
fn install_range(s: &str) -> bool {
    months_list(s)
}

/// `LGD_NOINTINF`: `card-m:m,card-m` with no spaces (manual 000 §9.1, e.g. `31-3:6,11-3:6,41-3`).
fn noint_inf(s: &str) -> bool {
    s.split(',').all(|part| match part.split_once('-') {
        Some((card, months)) => {
            card.len() == 2
                && card.chars().all(|c| c.is_ascii_alphanumeric())
                && months_list(months)
        }
        None => false,
    })
}

/// 상품권 method codes: 문화상품권, 게임문화상품권, 도서문화상품권 (000 §10.1, 000:L1629-1636).
pub const GIFT_CARD_METHODS: &[&str] = &["SC0111", "SC0112", "SC0113"];

/// `LGD_CUSTOM_USABLEPAY`: `SCdddd` joined by '-' (manual 000 §5.2 example `SC0010-SC0030`).
fn usable_pay(s: &str) -> bool {
    s.split('-').all(|c| {
        c.len() == 6 && c.starts_with("SC") && c.get(2..).is_some_and(crate::text::is_digits)
    })
}

/// Card and bank codes (`11`, `4J`, `06`).
fn finance_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

// `FIELDS` (the request table), generated from `data/pg/xpay.json` by build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_xpay_form.rs"));

/// `LGD_HASHDATA` of a request: lowercase hex MD5(MID + OID + AMOUNT + TIMESTAMP + MertKey)
/// with the effective (`t`-prefixed in test) MID (notes §1.1).
pub fn hashdata(mid: &str, oid: &str, amount: &str, timestamp: &str, mert_key: &str) -> String {
    md5_hex(&format!("{mid}{oid}{amount}{timestamp}{mert_key}"))
}

/// `LGD_HASHDATA` of a CAS / ISP notification: MD5(MID + OID + AMOUNT + RESPCODE + TIMESTAMP + key) (notes §1.2).
pub fn note_hashdata(
    mid: &str,
    oid: &str,
    amount: &str,
    respcode: &str,
    timestamp: &str,
    mert_key: &str,
) -> String {
    md5_hex(&format!(
        "{mid}{oid}{amount}{respcode}{timestamp}{mert_key}"
    ))
}

/// Receipt `authdata` for `showReceiptByTID(mid, tid, authdata)`: MD5(MID + TID + key) (manual 000 §9.2; notes §1.3).
pub fn receipt_authdata(mid: &str, tid: &str, mert_key: &str) -> String {
    md5_hex(&format!("{mid}{tid}{mert_key}"))
}

/// 거래종류 of a 현금영수증 link (000:L1568-1571).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashReceiptKind {
    /// `BANK`: 계좌이체.
    BankTransfer,
    /// `CAS`: 가상계좌; needs the deposit's `LGD_SEQNO` from the CAS notice.
    VirtualAccount,
    /// `CR`: 무통장입금 단독 (SC0100) registered by the merchant.
    CashOnly,
}

/// Arguments of `showCashReceipts(LGD_MID, LGD_OID, seqno, 거래종류, test|service)` from the receipt
/// script (000:L1544-1571), in order. They are returned as values, not as a script string, so the
/// page passes them without quoting them into JavaScript. `seqno` is the CAS notice's `LGD_SEQNO`
/// (000:L1566); for `BANK` the PG ignores it ("필드를 체크하지 않음", 000:L1567), so it may be empty.
pub fn cash_receipt_args(
    lgd_mid: &str,
    oid: &str,
    seqno: &str,
    kind: CashReceiptKind,
    mode: Mode,
) -> Result<[String; 5], ValidationError> {
    if lgd_mid.is_empty() {
        return Err(ValidationError::new(
            "LGD_MID",
            Rule::Required,
            "missing or empty",
        ));
    }
    if oid.is_empty() || oid.len() > 63 || !oid.chars().all(order_id_char) {
        return Err(ValidationError::new(
            "LGD_OID",
            Rule::Format,
            "order id, A-Z a-z 0-9 - _, at most 63 (000:L436)",
        ));
    }
    let needs_seqno = kind == CashReceiptKind::VirtualAccount;
    if (needs_seqno && seqno.is_empty()) || !seqno.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValidationError::new(
            "seqno",
            Rule::Format,
            "the CAS notice's LGD_SEQNO (digits; required for CAS)",
        ));
    }
    let kind = match kind {
        CashReceiptKind::BankTransfer => "BANK",
        CashReceiptKind::VirtualAccount => "CAS",
        CashReceiptKind::CashOnly => "CR",
    };
    let platform = match mode {
        Mode::Test => "test",
        Mode::Live => "service",
    };
    Ok([
        lgd_mid.to_string(),
        oid.to_string(),
        seqno.to_string(),
        kind.to_string(),
        platform.to_string(),
    ])
}

/// Effective MID: `t` + CST_MID in test (notes §1.4, "테스트 아이디는 't'를 반드시 제외하고 입력").
pub fn effective_mid(cst_mid: &str, mode: Mode) -> String {
    match mode {
        Mode::Test => format!("t{cst_mid}"),
        Mode::Live => cst_mid.to_string(),
    }
}

/// Sets `LGD_MID` to the effective MID of `cst_mid` for `mode`, refusing a posted `LGD_MID` that
/// disagrees (notes §1.4: "테스트 아이디는 't'를 반드시 제외하고 입력"). Forms and server calls share it.
pub(crate) fn set_effective_mid(
    p: &mut Params,
    cst_mid: &str,
    mode: Mode,
) -> Result<String, ValidationError> {
    let mid = effective_mid(cst_mid, mode);
    if !p.str("LGD_MID").is_empty() && p.str("LGD_MID") != mid {
        return Err(ValidationError::new(
            "LGD_MID",
            Rule::Conflict,
            format!("expected {mid} for this mode"),
        ));
    }
    p.set("LGD_MID", mid.clone());
    Ok(mid)
}

/// Fills derived fields, validates, and signs. `params` use the manual's names; `CST_MID`
/// is the MID without the test prefix.
pub fn build(
    mut p: Params,
    mert_key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<CheckoutForm, ValidationError> {
    let platform = match mode {
        Mode::Test => "test",
        Mode::Live => "service",
    };
    if !p.str("CST_PLATFORM").is_empty() && p.str("CST_PLATFORM") != platform {
        return Err(ValidationError::new(
            "CST_PLATFORM",
            Rule::Conflict,
            format!("--mode needs {platform}"),
        ));
    }
    p.set_default("CST_PLATFORM", platform);
    let cst_mid = p.str("CST_MID").to_string();
    if cst_mid.is_empty() {
        return Err(ValidationError::new(
            "CST_MID",
            Rule::Required,
            "missing or empty",
        ));
    }
    let mid = set_effective_mid(&mut p, &cst_mid, mode)?;
    p.set_default("LGD_TIMESTAMP", now.format());
    // Defaults of the official cross-platform sample (notes §1.5).
    for (k, v) in [
        ("LGD_CUSTOM_SKIN", "red"),
        ("LGD_CUSTOM_PROCESSTYPE", "TWOTR"),
        ("LGD_CUSTOM_SWITCHINGTYPE", "IFRAME"),
        ("LGD_WINDOW_TYPE", "iframe"),
        ("LGD_WINDOW_VER", "2.5"),
        ("LGD_OSTYPE_CHECK", "P"),
        ("LGD_ENCODING", "UTF-8"),
        ("LGD_ENCODING_NOTEURL", "UTF-8"),
        ("LGD_ENCODING_RETURNURL", "UTF-8"),
    ] {
        p.set_default(k, v);
    }
    let charset = request_charset(&p);
    validate(&p, FIELDS, charset, FORBIDDEN)?;
    if charset == Charset::EucKr {
        super::require_euc_kr(&p)?;
    }
    if let (Some(free), Some(total)) = (
        amount(p.str("LGD_TAXFREEAMOUNT")),
        amount(p.str("LGD_AMOUNT")),
    ) {
        if free > total {
            return Err(ValidationError::new(
                "LGD_TAXFREEAMOUNT",
                Rule::Sum,
                "exceeds LGD_AMOUNT",
            ));
        }
    }
    // "가상계좌 할당 시에 반드시 LGD_CASNOTEURL을 보내주셔야" (000:L1389; `*` at 000:L662): without
    // it the merchant never hears of the deposit. An empty LGD_CUSTOM_USABLEPAY offers every
    // method, virtual accounts included (audit M2).
    let usable = p.str("LGD_CUSTOM_USABLEPAY");
    let offers_va = usable.is_empty() || usable.split('-').any(|m| m == "SC0040");
    if offers_va && p.str("LGD_CASNOTEURL").is_empty() {
        return Err(ValidationError::new(
            "LGD_CASNOTEURL",
            Rule::Required,
            "required while virtual accounts (SC0040) are offered; or restrict LGD_CUSTOM_USABLEPAY",
        ));
    }
    // "구매자아이디(상품권 결제시 필수)", "구매자IP(상품권 결제시 필수)" (000:L473-480). Held to the
    // methods the form names: an unrestricted form shows 상품권 only under a separate contract
    // hanpay cannot see, and the generic `Order` always names its methods.
    let offers_gift = usable
        .split('-')
        .chain([p.str("LGD_CUSTOM_FIRSTPAY")])
        .any(|m| GIFT_CARD_METHODS.contains(&m));
    if offers_gift {
        for k in ["LGD_BUYERID", "LGD_BUYERIP"] {
            if p.str(k).is_empty() {
                return Err(ValidationError::new(
                    k,
                    Rule::Required,
                    "required while 상품권 (SC0111/SC0112/SC0113) are offered (000:L473-480)",
                ));
            }
        }
    }
    // LGD_OCBITEMCODE is starred in the OK캐쉬백 rows (000:L678-681): required once SC0090 is named.
    let offers_ocb = usable
        .split('-')
        .chain([p.str("LGD_CUSTOM_FIRSTPAY")])
        .any(|m| m == "SC0090");
    if offers_ocb && p.str("LGD_OCBITEMCODE").is_empty() {
        return Err(ValidationError::new(
            "LGD_OCBITEMCODE",
            Rule::Required,
            "required while OK캐쉬백 (SC0090) is offered (000:L678-681)",
        ));
    }
    require_key("LGD_HASHDATA", mert_key)?;
    let hash = hashdata(
        &mid,
        p.str("LGD_OID"),
        p.str("LGD_AMOUNT"),
        p.str("LGD_TIMESTAMP"),
        mert_key,
    );
    p.set("LGD_HASHDATA", hash);
    // The return page echoes these; the JS reads them back (notes §1.5).
    for k in ["LGD_RESPCODE", "LGD_RESPMSG", "LGD_PAYKEY"] {
        p.set_default(k, "");
    }
    Ok(CheckoutForm {
        action: script_url(mode).to_string(),
        method: "POST".into(),
        accept_charset: charset.label().into(),
        target: String::new(),
        fields: p.0,
    })
}

/// What each kind of XPay message is (manual 000):
/// - `return`: the `LGD_RETURNURL` post. Unsigned; `0000` is authentication only ("//인증성공",
///   000:L376) and money moves at PaymentByKey (000:L30-36), so it is `authenticated`.
/// - `notice`: the CAS note (`LGD_CASNOTEURL`, `LGD_CASFLAG` R = account issued, I = deposit,
///   C = deposit cancelled; 000:L1389-1397) and the ISP / mobile-transfer notes. All are signed
///   with the note `LGD_HASHDATA`, answered with exactly `OK` (000:L1402). The hash leaves out
///   `LGD_CASFLAG`, `LGD_CASTAMOUNT` and `LGD_CASCAMOUNT`: bind notices to the TID stored when
///   the account was issued ([`super::Expect::tid`]).
/// - `approval`: the PaymentByKey response of the merchant's XPayClient call (000 §6.5).
///
/// Deposits are measured on `LGD_CASTAMOUNT` (입금누적금액) against the order amount, since banks
/// may accept split deposits (과오납, 000:L1194-1201, L1406-1417).
pub(crate) fn read(p: &Params, v: &Verify<'_>) -> Reading {
    let mut r = Reading::new(Pg::Xpay);
    r.code = p.str("LGD_RESPCODE").to_string();
    r.message = p.str("LGD_RESPMSG").to_string();
    r.amount = amount(p.str("LGD_AMOUNT"));
    r.tid = p.str("LGD_TID").to_string();
    r.order_id = p.str("LGD_OID").to_string();
    r.method = p.str("LGD_PAYTYPE").to_string();
    r.card =
        codes::card_company(Pg::Xpay, p.str("LGD_FINANCECODE")).filter(|_| r.method == "SC0010");
    if r.message.is_empty() {
        if let Some(c) = codes::result_code(Pg::Xpay, &r.code, &r.method) {
            r.message = c.message.to_string();
        }
    }
    let ok = r.code == "0000";
    r.outcome = match v.kind {
        MessageKind::Return => {
            if ok {
                Outcome::Authenticated("payment_by_key")
            } else {
                Outcome::Failed
            }
        }
        MessageKind::Notice => {
            r.auth = result::signature(p.str("LGD_HASHDATA"), v.key, || {
                Some(note_hashdata(
                    p.str("LGD_MID"),
                    &r.order_id,
                    p.str("LGD_AMOUNT"),
                    &r.code,
                    p.str("LGD_TIMESTAMP"),
                    v.key,
                ))
            });
            r.reply = Some("OK");
            match (ok, p.str("LGD_CASFLAG")) {
                (false, _) => Outcome::Failed,
                (true, "R") => Outcome::Pending,
                (true, "I") => Outcome::Deposit {
                    this: amount(p.str("LGD_CASCAMOUNT")),
                    total: amount(p.str("LGD_CASTAMOUNT")),
                    order: r.amount,
                },
                (true, "C") => Outcome::Cancelled,
                (true, "") => Outcome::Paid,
                (true, _) => Outcome::Unsupported("unknown LGD_CASFLAG"),
            }
        }
        MessageKind::Approval => match (ok, r.method.as_str(), p.str("LGD_CASFLAG")) {
            (false, ..) => Outcome::Failed,
            // A virtual account is only issued at PaymentByKey; the CAS note reports the deposit.
            (true, "SC0040", _) | (true, _, "R") => Outcome::Pending,
            (true, ..) => Outcome::Paid,
        },
    };
    r
}

/// Whether a cancel response code must be treated as cancelled (manual 000 §7.3: card `0000`,
/// `AV11`; bank transfer `0000` and the `RF…` refund-in-progress codes; other methods `0000`).
pub fn cancel_succeeded(method_code: &str, respcode: &str) -> bool {
    if respcode == "0000" {
        return true;
    }
    let method = match method_code {
        "SC0010" => "card",
        "SC0030" => "bank",
        _ => return false,
    };
    codes::result_code(Pg::Xpay, respcode, method)
        .is_some_and(|c| c.kind == ResultKind::Cancelled && c.method == method)
}

/// The generic order in this PG's names ([`Gateway::from_order`]; overrides are applied after).
fn from_order(o: &Order) -> Result<Params, ValidationError> {
    let mut p = Params::new();
    let amount = o.amount.to_string();
    let methods = o.methods_or_card();
    set(&mut p, "CST_MID", &o.merchant_id);
    set(&mut p, "LGD_OID", &o.order_id);
    set(&mut p, "LGD_AMOUNT", &amount);
    set(&mut p, "LGD_BUYER", &o.buyer_name);
    set(&mut p, "LGD_PRODUCTINFO", &o.goods_name);
    set(&mut p, "LGD_BUYERPHONE", &o.buyer_phone);
    set(&mut p, "LGD_BUYEREMAIL", &o.buyer_email);
    set(&mut p, "LGD_RETURNURL", &o.return_url);
    set(&mut p, "LGD_CASNOTEURL", &o.notify_url);
    set(&mut p, "LGD_BUYERIP", &o.buyer_ip);
    let codes: Vec<&str> = methods.iter().map(|m| method_code(*m)).collect();
    p.set("LGD_CUSTOM_USABLEPAY", codes.join("-"));
    p.set("LGD_INSTALLRANGE", installments(o.max_installments));
    if o.tax_free_amount > 0 {
        p.set("LGD_TAXFREEAMOUNT", o.tax_free_amount.to_string());
    }
    p.set("LGD_ESCROW_USEYN", if o.escrow { "Y" } else { "N" });
    if o.phone {
        // Smart XPay (notes §1.6): the same script, a full-page `submit` window and
        // the smartphone skin. `LGD_OSTYPE_CHECK` is CONFLICTING there (P in one
        // template, M in a newer sample); M is the one that cannot start the PC module.
        for (k, v) in [
            ("LGD_CUSTOM_SKIN", "SMART_XPAY2"),
            ("LGD_CUSTOM_SWITCHINGTYPE", "SUBMIT"),
            ("LGD_WINDOW_TYPE", "submit"),
            ("CST_WINDOW_TYPE", "submit"),
            ("LGD_OSTYPE_CHECK", "M"),
        ] {
            p.set(k, v);
        }
    }
    Ok(p)
}

/// XPay as the library reaches it ([`super::Gateway`]; `Pg::gateway`).
/// `LGD_ENCODING` names the charset XPay decodes the request in (manual 000 §5.2); the
/// builder's default is UTF-8.
fn request_charset(p: &Params) -> Charset {
    Charset::from_label(p.str("LGD_ENCODING")).unwrap_or(Charset::Utf8)
}

/// XPay's digests ([`super::digest`]): the request's and a notice's `LGD_HASHDATA`, and the
/// receipt's `authdata`.
pub const DIGESTS: &[super::Digest] = &[
    super::Digest {
        name: "hashdata",
        field: "LGD_HASHDATA",
        args: &["LGD_MID", "LGD_OID", "LGD_AMOUNT", "LGD_TIMESTAMP"],
        source: "notes §1.1",
        compute: |a, k| Ok(hashdata(a[0], a[1], a[2], a[3], k)),
    },
    super::Digest {
        name: "note_hashdata",
        field: "LGD_HASHDATA",
        args: &[
            "LGD_MID",
            "LGD_OID",
            "LGD_AMOUNT",
            "LGD_RESPCODE",
            "LGD_TIMESTAMP",
        ],
        source: "notes §1.2",
        compute: |a, k| Ok(note_hashdata(a[0], a[1], a[2], a[3], a[4], k)),
    },
    super::Digest {
        name: "receipt_authdata",
        field: "authdata",
        args: &["LGD_MID", "LGD_TID"],
        source: "manual 000 §9.2; notes §1.3",
        compute: |a, k| Ok(receipt_authdata(a[0], a[1], k)),
    },
];

pub const GATEWAY: super::Gateway = super::Gateway {
    fields: FIELDS,
    build,
    read,
    from_order,
    phone_form: super::same_form,
    charset: request_charset,
    text_body: super::no_text_body,
    signature: Some("LGD_HASHDATA"),
    digests: DIGESTS,
};
