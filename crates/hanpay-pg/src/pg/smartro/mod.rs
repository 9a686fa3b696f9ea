//! Smartro WEBLink (SmilePay legacy): popup `payWindow` checkout, `SignValue` results,
//! RetryURL notices and the cancel `hashData` (the cancel request is [`call`]).
//!
//! Parameter table: manual 001 §3.1 (lengths; "한글 : 3byte" since rev 4.4, so lengths are
//! counted in UTF-8 bytes); formulas and endpoints: notes/pg-protocols.md §2.1.

use crate::prelude::*;

use super::order::{set, Order};

use super::codes::{self, ResultKind};
use super::result::{self, Outcome, Reading};
use super::{
    amount, base64, field, md5_hex, require_key, validate, Endpoint, FieldSpec, Kind, KstTime,
    MessageKind, Mode, Params, Pg, Verify,
};
use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::Charset;

/// The merchant server's calls to smartro (`call::Server`): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;

/// `Moid` may not contain these (manual 001 §3.1 row 6: ~`':;{}[]<>,.!@#$%^&*()_+\/?).
pub const MOID_FORBIDDEN: &str = "~`':;{}[]<>,.!@#$%^&*()_+\\/?";

/// Payment page (notes §2.1, `mainPayConfirm.php`).
pub fn action_url(mode: Mode) -> &'static str {
    ACTION_URL.at(mode)
}

/// The smartphone payment page (notes §2.1 "Mobile flow", OBSERVED in a merchant file: `tspay`
/// for development, `smpay` for production).
pub fn phone_action_url(mode: Mode) -> &'static str {
    PHONE_ACTION_URL.at(mode)
}

/// A signed form turned into the smartphone variant: the mobile page, UTF-8, a same-window
/// post (no `payWindow`), and the StopURL it requires (notes §2.1). `EncryptData` covers
/// ediDate, MID, Amt only, so the signature stays valid.
pub fn phone_form(mut form: CheckoutForm, mode: Mode) -> Result<CheckoutForm, ValidationError> {
    if form.field("StopURL").unwrap_or("").is_empty() {
        return Err(ValidationError::new(
            "StopURL",
            Rule::Required,
            "required on the smartphone page (결제중지 URL)",
        ));
    }
    form.action = phone_action_url(mode).to_string();
    form.accept_charset = "UTF-8".into();
    form.target = String::new();
    Ok(form)
}

/// URL-call cancel endpoint (manual 001 §2.4.4; notes §2.1).
pub fn cancel_url(mode: Mode) -> &'static str {
    CANCEL_URL.at(mode)
}

/// `PayMethod` for a generic method (manual 001 §3.1 row 1).
pub fn method_code(method: crate::method::Method) -> &'static str {
    use crate::method::Method;
    match method {
        Method::Card => "CARD",
        Method::BankTransfer => "BANK",
        Method::VirtualAccount => "VBANK",
        Method::Phone => "CELLPHONE",
    }
}

fn moid_char(c: char) -> bool {
    !MOID_FORBIDDEN.contains(c) && !c.is_whitespace()
}

fn divide_info_ok(s: &str) -> bool {
    divide_info_amounts(s).is_some()
}

fn courier_code(s: &str) -> bool {
    codes::courier_name(Pg::Smartro, s).is_some()
}

/// A real calendar date `YYYYMMDD`.
fn date8(s: &str) -> bool {
    s.len() == 8 && KstTime::parse(&format!("{s}000000")).is_some()
}

/// `OfferPeriod` "YYYYMMDDYYYYMMDD" (001:L503): two real dates, the first not after the second.
fn offer_period(s: &str) -> bool {
    match (s.get(..8), s.get(8..)) {
        (Some(from), Some(to)) => s.len() == 16 && date8(from) && date8(to) && from <= to,
        _ => false,
    }
}

/// Whether Smartro's notification daemon may post to `url`: "결제 데이터 통보 URL은 80/443 Port 만
/// 사용 가능하며, 타 Port 사용시에는 … 방화벽 허용 요청" (001:L981). Loopback hosts are exempt: the
/// daemon can never reach them through any port, so such a URL only serves a local emulator
/// (the sandbox), where the firewall rule does not apply.
fn notice_port_ok(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (host_port, None),
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.starts_with("127.") || host == "[::1]" {
        return true;
    }
    match port {
        None | Some("") => true,
        Some(p) => match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" => p == "80" || p == "443",
            _ => true,
        },
    }
}

// `FIELDS` (the request table), generated from `data/pg/smartro.json` by build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_smartro_form.rs"));

/// `EncryptData` = base64 of the lowercase hex *text* of MD5(ediDate + MID + Amt + key) (notes §2.1).
pub fn encrypt_data(edi_date: &str, mid: &str, amt: &str, merchant_key: &str) -> String {
    base64(md5_hex(&format!("{edi_date}{mid}{amt}{merchant_key}")).as_bytes())
}

/// Expected `SignValue` of a result or RetryURL notice:
/// base64(hex MD5(TID[0..10] + ResultCode + TID[10..15] + key + TID[15..])) (manual 001 §3.2 row 16; notes §2.1).
/// `None` when the TID is too short or not ASCII.
pub fn sign_value(tid: &str, result_code: &str, merchant_key: &str) -> Option<String> {
    if !tid.is_ascii() {
        return None;
    }
    let (a, b, c) = (tid.get(..10)?, tid.get(10..15)?, tid.get(15..)?);
    Some(base64(
        md5_hex(&format!("{a}{result_code}{b}{merchant_key}{c}")).as_bytes(),
    ))
}

/// Cancel `hashData` = base64(hex MD5(TID + key + CancelAmt + PartialCancelCode)) (manual 001 §5.2.1 row 6; notes §2.1).
pub fn cancel_hash(tid: &str, merchant_key: &str, cancel_amt: &str, partial_code: &str) -> String {
    base64(md5_hex(&format!("{tid}{merchant_key}{cancel_amt}{partial_code}")).as_bytes())
}

/// One sub-mall line of `DivideInfo` (manual 001 §3.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DividePart {
    pub mid: String,
    pub amt: u64,
    pub goods_name: String,
}

/// Builds `DivideInfo`: base64 of the UTF-8 JSON `{"DivideInfo":[{"Amt","MID","GoodsName"}…]}`.
/// Fails unless the parts add up to `total` (manual 001 §3.1.4 "총액은 같아야 합니다").
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub fn divide_info(parts: &[DividePart], total: u64) -> Result<String, ValidationError> {
    let sum: u64 = parts.iter().map(|p| p.amt).sum();
    if sum != total {
        return Err(ValidationError::new(
            "DivideInfo",
            Rule::Sum,
            format!("parts sum to {sum}, Amt is {total}"),
        ));
    }
    #[derive(serde::Serialize)]
    struct Info<'a> {
        #[serde(rename = "DivideInfo")]
        divide_info: Vec<Part<'a>>,
    }
    // The manual's key order (001 §3.1.4), every value a string.
    #[derive(serde::Serialize)]
    struct Part<'a> {
        #[serde(rename = "Amt")]
        amt: String,
        #[serde(rename = "MID")]
        mid: &'a str,
        #[serde(rename = "GoodsName")]
        goods_name: &'a str,
    }
    let info = Info {
        divide_info: parts
            .iter()
            .map(|p| Part {
                amt: p.amt.to_string(),
                mid: &p.mid,
                goods_name: &p.goods_name,
            })
            .collect(),
    };
    let json = serde_json::to_string(&info).unwrap_or_default();
    Ok(base64(json.as_bytes()))
}

/// The `Amt` values inside a `DivideInfo` (base64 JSON, `'` or `"` quotes as in the manual),
/// or `None` if it is not base64 or has no amounts. A linear scan, not a JSON parser.
pub fn divide_info_amounts(b64: &str) -> Option<Vec<u64>> {
    use base64::Engine;
    let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Amt") {
        rest = rest.get(i + 3..)?;
        let after = rest.trim_start_matches(['"', '\'']).trim_start();
        let Some(after) = after.strip_prefix(':') else {
            continue;
        };
        let digits: String = after
            .trim_start()
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        out.push(digits.parse().ok()?);
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Fills defaults (notes §2.1 `mainPay.php`), validates, and signs `EncryptData`.
pub fn build(
    mut p: Params,
    merchant_key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<CheckoutForm, ValidationError> {
    for (k, v) in [
        ("GoodsCnt", "1"),
        ("FORWARD", "Y"),
        ("MallResultFWD", "Y"),
        ("TransType", "0"),
        ("EncodingType", "euckr"),
        ("OpenType", "KR"),
        ("SocketYN", "N"),
    ] {
        p.set_default(k, v);
    }
    p.set_default("ediDate", now.format());
    p.set_default("OfferPeriod", "");
    validate(&p, FIELDS, request_charset(&p), &[])?;
    // The payment page decodes EUC-KR (accept-charset below).
    super::require_euc_kr(&p)?;
    if p.str("PayMethod") == "VBANK" && p.str("VbankExpDate").is_empty() {
        return Err(ValidationError::new(
            "VbankExpDate",
            Rule::Required,
            "required for VBANK",
        ));
    }
    if p.str("PayMethod") == "VBANK" {
        // 입금만료일 (001:L491) must not already have passed (KST): the account would expire unused.
        let today = now.format();
        if p.str("VbankExpDate") < today.get(..8).unwrap_or("") {
            return Err(ValidationError::new(
                "VbankExpDate",
                Rule::Stale,
                format!("before today ({})", today.get(..8).unwrap_or("")),
            ));
        }
    }
    // "GoodsCl … 휴대폰 결제 이용시 필수" (001:L502).
    if p.str("PayMethod") == "CELLPHONE" && p.str("GoodsCl").is_empty() {
        return Err(ValidationError::new(
            "GoodsCl",
            Rule::Required,
            "required for CELLPHONE (001:L502)",
        ));
    }
    // "mallUserID … 문화상품권 결제이용시 필수" (001:L482).
    if p.str("PayMethod") == "CLGIFT" && p.str("mallUserID").is_empty() {
        return Err(ValidationError::new(
            "mallUserID",
            Rule::Required,
            "required for CLGIFT (001:L482)",
        ));
    }
    // Result code 3041 "금액 오류(1000 원 미만 신용카드 승인 불가)" (001:L1004). PayMethod names the one
    // method of the window, so CARD means card only.
    if p.str("PayMethod") == "CARD" && amount(p.str("Amt")).is_some_and(|a| a < 1000) {
        return Err(ValidationError::new(
            "Amt",
            Rule::Conflict,
            "CARD needs at least 1000 (001:L1004, code 3041)",
        ));
    }
    if !notice_port_ok(p.str("RetryURL")) {
        return Err(ValidationError::new(
            "RetryURL",
            Rule::Format,
            "notices reach ports 80 and 443 only (001:L981)",
        ));
    }
    if p.str("PayMethod") == "KAKAO" && p.str("PayType").is_empty() {
        return Err(ValidationError::new(
            "PayType",
            Rule::Required,
            "required for KAKAO",
        ));
    }
    if !p.str("CardQuota").is_empty() && p.str("fn_cd").is_empty() {
        return Err(ValidationError::new(
            "fn_cd",
            Rule::Required,
            "CardQuota needs fn_cd (manual 001 §3.1 row 29)",
        ));
    }
    if let Some(parts) = divide_info_amounts(p.str("DivideInfo")) {
        let sum: u64 = parts.iter().sum();
        if Some(sum) != amount(p.str("Amt")) {
            return Err(ValidationError::new(
                "DivideInfo",
                Rule::Sum,
                format!("parts sum to {sum}, Amt is {}", p.str("Amt")),
            ));
        }
    }
    require_key("EncryptData", merchant_key)?;
    let enc = encrypt_data(p.str("ediDate"), p.str("MID"), p.str("Amt"), merchant_key);
    p.set("EncryptData", enc);
    let target = if p.str("FORWARD") == "N" {
        "payFrame"
    } else {
        "payWindow"
    };
    Ok(CheckoutForm {
        action: action_url(mode).to_string(),
        method: "POST".into(),
        // The payment page decodes EUC-KR (manual 001 §3.1.3); the sample sets accept-charset.
        accept_charset: "EUC-KR".into(),
        target: target.into(),
        fields: p.0,
    })
}

/// What each kind of Smartro WEBLink message is (manual 001):
/// - `return`: the ReturnURL post (§6.1, 001:L636-676) and `notice`: the RetryURL notice (§6.4,
///   001:L924-962, which adds `StateCd` 0 승인 / 1 전취소 / 2 후취소 / 3 가상계좌채번). Both carry
///   `SignValue` (001:L658, L958), which is therefore required.
/// - `SignValue` covers only TID and ResultCode: `Amt`, `OID`/`Moid`, `PayMethod` and `StateCd` are
///   unsigned. Bind each message to the order through the TID the merchant stored
///   ([`super::Expect::tid`]) and its own amount; never take the order from `OID` alone.
/// - WEBLink approves inside its window: there is no merchant approval call to verify.
pub(crate) fn read(p: &Params, v: &Verify<'_>) -> Reading {
    let mut r = Reading::new(Pg::Smartro);
    r.code = p.str("ResultCode").to_string();
    r.message = p.str("ResultMsg").to_string();
    r.amount = amount(p.str("Amt"));
    r.tid = p.str("TID").to_string();
    r.order_id = p
        .get("OID")
        .or_else(|| p.get("Moid"))
        .unwrap_or("")
        .to_string();
    r.method = p.str("PayMethod").to_string();
    let fn_cd = p.get("fn_cd").or_else(|| p.get("FnCd")).unwrap_or("");
    if r.method == "CARD" {
        r.card = codes::card_company(Pg::Smartro, fn_cd);
    }
    let entry = codes::result_code(Pg::Smartro, &r.code, &r.method);
    if r.message.is_empty() {
        if let Some(c) = entry {
            r.message = c.message.to_string();
        }
    }
    if v.kind == MessageKind::Approval {
        r.outcome = Outcome::Unsupported("Smartro WEBLink has no merchant approval call");
        return r;
    }
    r.auth = result::signature(p.str("SignValue"), v.key, || {
        sign_value(&r.tid, &r.code, v.key)
    });
    let state = p.get("StateCd").or_else(|| p.get("state_cd"));
    if v.kind == MessageKind::Notice {
        if state.is_none() {
            r.outcome = Outcome::Unsupported("RetryURL notices carry StateCd (manual 001 §6.4)");
            return r;
        }
        // "OK" for every authentic notice, cash-receipt ones (7001) included (001:L962-966).
        r.reply = Some("OK");
    }
    let kind = entry.map(|c| c.kind);
    r.outcome = match (state, kind) {
        (Some("1" | "2"), _) => Outcome::Cancelled,
        (_, Some(ResultKind::Cancelled)) => Outcome::Cancelled,
        (Some("3"), _) | (_, Some(ResultKind::Pending)) => Outcome::Pending,
        // 4110 가상계좌입금성공: a deposit of `Amt`; Smartro reports no running total.
        (_, Some(ResultKind::Paid)) if r.code == "4110" => Outcome::Deposit {
            this: r.amount,
            total: r.amount,
            order: None,
        },
        (_, Some(ResultKind::Paid)) => Outcome::Paid,
        _ => Outcome::Failed,
    };
    r
}

/// Whether a cancel response code means cancelled (`2001`, refund `2211`, already-cancelled `2013`; manual 001 §7.6, §7.7).
/// `method` is the payment's `PayMethod`: Toss refunds answer `TS20` (결제환불 성공, 001:L1354),
/// which exists only for that method (audit W7).
pub fn cancel_succeeded(result_code: &str, method: &str) -> bool {
    codes::result_code(Pg::Smartro, result_code, method)
        .is_some_and(|c| c.kind == ResultKind::Cancelled)
}

/// The generic order in this PG's names ([`Gateway::from_order`]; overrides are applied after).
fn from_order(o: &Order) -> Result<Params, ValidationError> {
    let mut p = Params::new();
    let amount = o.amount.to_string();
    let method = o.one_method("Smartro")?;
    p.set("PayMethod", method_code(method));
    set(&mut p, "GoodsName", &o.goods_name);
    set(&mut p, "Amt", &amount);
    set(&mut p, "Moid", &o.order_id);
    set(&mut p, "MID", &o.merchant_id);
    set(&mut p, "ReturnURL", &o.return_url);
    set(&mut p, "RetryURL", &o.notify_url);
    set(&mut p, "BuyerName", &o.buyer_name);
    set(&mut p, "BuyerTel", &o.buyer_phone);
    set(&mut p, "BuyerEmail", &o.buyer_email);
    set(&mut p, "UserIP", &o.buyer_ip);
    if o.escrow {
        p.set("EscrowCD", "1");
    }
    if o.phone {
        // The smartphone page takes a UTF-8 form and a StopURL (notes §2.1 "Mobile
        // flow"); see `smartro::phone_form`.
        p.set("EncodingType", "utf8");
        set(&mut p, "StopURL", &o.stop_url);
    }
    Ok(p)
}

/// Smartro WEBLink as the library reaches it ([`super::Gateway`]; `Pg::gateway`).
/// UTF-8 byte lengths, the stricter count: the desktop page decodes EUC-KR (manual 001 §3.1.3;
/// 2 bytes a Hangul syllable), the phone page UTF-8 (3), and the same fields go to either
/// (`phone_form`).
fn request_charset(_: &Params) -> Charset {
    Charset::Utf8
}

/// Smartro's digests ([`super::digest`]): the request's `EncryptData`, a result's `SignValue`
/// and a cancel's `hashData`.
pub const DIGESTS: &[super::Digest] = &[
    super::Digest {
        name: "encrypt_data",
        field: "EncryptData",
        args: &["ediDate", "MID", "Amt"],
        source: "notes §2.1",
        compute: |a, k| Ok(encrypt_data(a[0], a[1], a[2], k)),
    },
    super::Digest {
        name: "sign_value",
        field: "SignValue",
        args: &["TID", "ResultCode"],
        source: "manual 001 §3.2 row 16; notes §2.1",
        compute: |a, k| {
            sign_value(a[0], a[1], k).ok_or_else(|| {
                ValidationError::new("TID", Rule::Format, "at least 15 ASCII characters")
            })
        },
    },
    super::Digest {
        name: "cancel_hash",
        field: "hashData",
        args: &["TID", "CancelAmt", "PartialCancelCode"],
        source: "manual 001 §5.2.1 row 6; notes §2.1",
        compute: |a, k| Ok(cancel_hash(a[0], k, a[1], a[2])),
    },
];

pub const GATEWAY: super::Gateway = super::Gateway {
    fields: FIELDS,
    build,
    read,
    from_order,
    phone_form,
    charset: request_charset,
    text_body: super::no_text_body,
    signature: Some("EncryptData"),
    digests: DIGESTS,
};

#[cfg(test)]
mod tests {
    use super::cancel_succeeded;

    /// Audit W7: `TS20` 결제환불 성공 (001:L1354) exists only for Toss payments.
    #[test]
    fn toss_refund_is_a_cancel() {
        assert!(cancel_succeeded("TS20", "TOSS"));
        assert!(!cancel_succeeded("TS20", "CARD"));
        assert!(cancel_succeeded("2001", "CARD"));
        assert!(!cancel_succeeded("2002", "CARD"));
    }
}
