//! SMARTRO PAY (smartropay.co.kr), the module Smartro gives new contracts (issue 14 item 3):
//! the page loads `SmartroPAY-1.0.min.js`, calls `smartropay.init({mode})` and
//! `smartropay.payment({FormId, Callback})`; the PC Callback (or, on phones, a post to
//! `ReturnUrl`) hands back `Tid` + `TrAuthKey`, and the merchant server approves with
//! `urlCallApproval.do`. The approval answer carries `SignValue`. Cancels post an AES-encrypted
//! `EncData` (the builders are [`call`]).
//!
//! No manual for this module is among the seeds. Every rule here comes from public merchant code
//! that the code search shows without a repository name, so each is cited as "repo not
//! identified" with an exact string that finds it again (as `shared/notes/vendor-scripts.md` does):
//! - **S1** PHP order page with the PC and mobile script URLs and the form's `maxlength`s
//!   (find `mpay.smartropay.co.kr/asset/js/SmartroPAY-1.0`).
//! - **S2** CodeIgniter `application/models/Payment_model.php`: `EncryptData`, the JSON approval
//!   call, `ResultCode === '3001'`, the `SignValue` check (find `$tid_part1 . $result_code`).
//! - **S3** CodeIgniter `application/config/payment.php`: script and approval URLs per mode
//!   STG/REAL (find `tapproval.smartropay.co.kr/payment/approval/urlCallApproval.do`).
//! - **S4** PHP cancel page: `cancel.do`, `HashData` order, `EncData` AES-256-CBC, `SERVICE_MODE
//!   CL1`, success `2001` (find `Tid + MerchantKey + CancelAmt + PartialCancelCode`).
//! - **S5** PHP `class Smartro` (`approvePay`/`cancelPay`) with a dumped approval answer (find
//!   `[AppCardName] => NH농협`).
//! - **S6** Next.js checkout: the PC Callback carries `Tid, TrAuthKey, ResultCode, ResultMsg`;
//!   on phones the module posts the form's fields to `ReturnUrl` (find `PC Callback 은 통상`).
//! - **S7** React/JSX samples: `smartropay.init({ mode: "STG" })` "STG: 테스트, REAL: 운영", the
//!   form fields passed to `smartropay.payment`, `StopUrl` "Mobile 연동 시 필수" (find
//!   `StopUrl: ReturnUrl, // Mobile 연동 시 필수`).
//!
//! Result and card codes: the answers in S2, S4 and S5 use Smartro WEBLink's codes (`3001` 카드
//! 결제 성공, `2001` cancel, card `12` NH농협 = 001 §7 rows), so this module reads them from
//! Smartro's tables (`data/codes/*.json`, manual 001 §7) instead of copying them.

use crate::prelude::*;

use super::order::{set, Order};

use super::codes::{self, ResultKind};
use super::result::{self, Outcome, Reading};
use super::{
    amount, base64, field, order_id_char, require_key, validate, Endpoint, FieldSpec, Kind,
    KstTime, MessageKind, Mode, Params, Pg, Verify,
};
use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::Charset;

/// The merchant server's calls to smartropay (`call::Server`): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;

/// The module script (S1, S3): `tpay`/`pay` for PCs, `tmpay`/`mpay` for phones ("모바일 연동 시
/// script"); test hosts start with `t`.
pub fn script_url(mode: Mode, phone: bool) -> &'static str {
    // One match rather than `Endpoint::at` twice: the browser adapter inverts it
    // ([`script_kind`]), and this shape is the smaller one there (docs/size.md).
    match (mode, phone) {
        (Mode::Test, false) => SCRIPT_URL.test,
        (Mode::Live, false) => SCRIPT_URL.live,
        (Mode::Test, true) => PHONE_SCRIPT_URL.test,
        (Mode::Live, true) => PHONE_SCRIPT_URL.live,
    }
}

/// The mode and device of a [`script_url`] (what the browser adapter accepts; nothing else is
/// loaded).
pub fn script_kind(url: &str) -> Option<(Mode, bool)> {
    [
        (Mode::Test, false),
        (Mode::Live, false),
        (Mode::Test, true),
        (Mode::Live, true),
    ]
    .into_iter()
    .find(|(m, phone)| script_url(*m, *phone) == url)
}

/// `smartropay.init({mode})`: "STG: 테스트, REAL: 운영" (S7, S3).
pub fn init_mode(mode: Mode) -> &'static str {
    match mode {
        Mode::Test => "STG",
        Mode::Live => "REAL",
    }
}

/// The approval call after the Callback (S2, S3).
pub fn approval_url(mode: Mode) -> &'static str {
    APPROVAL_URL.at(mode)
}

/// The cancel call (S4 lists both hosts; S5 posts to `…/approval/cancel.do` on its API base).
/// One other merchant config names `/payment/cancel/cancelApproval.do`; two samples that send
/// a cancel agree on `cancel.do`, so that one is used.
pub fn cancel_url(mode: Mode) -> &'static str {
    CANCEL_URL.at(mode)
}

/// `PayMethod` for a generic method.
pub fn method_code(method: crate::method::Method) -> &'static str {
    use crate::method::Method;
    match method {
        Method::Card => "CARD",
        Method::BankTransfer => "BANK",
        Method::VirtualAccount => "VBANK",
        Method::Phone => "CELLPHONE",
    }
}

/// A real calendar date `YYYYMMDD`.
fn date8(s: &str) -> bool {
    s.len() == 8 && KstTime::parse(&format!("{s}000000")).is_some()
}

// `FIELDS` (the request table), generated from `data/pg/smartropay.json` by build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_smartropay_form.rs"));

/// `EncryptData` = base64 of the raw SHA-256 of EdiDate + Mid + Amt + MerchantKey (S1, S2, S7:
/// `base64_encode(hash('sha256', $EdiDate.$Mid.$Amt.$MerchantKey, true))`). Unlike WEBLink's
/// MD5 form, the digest bytes (not their hex text) are encoded.
pub fn encrypt_data(edi_date: &str, mid: &str, amt: &str, merchant_key: &str) -> String {
    sha256_b64(&format!("{edi_date}{mid}{amt}{merchant_key}"))
}

/// Expected `SignValue` of the approval answer: base64(SHA-256(Tid[0..10] + ResultCode +
/// Tid[10..15] + MerchantKey + Tid[15..])) (S2 `verify_sign_value`): WEBLink's layout with
/// SHA-256. `None` when the Tid is too short or not ASCII.
pub fn sign_value(tid: &str, result_code: &str, merchant_key: &str) -> Option<String> {
    if !tid.is_ascii() {
        return None;
    }
    let (a, b, c) = (tid.get(..10)?, tid.get(10..15)?, tid.get(15..)?);
    Some(sha256_b64(&format!("{a}{result_code}{b}{merchant_key}{c}")))
}

/// Cancel `HashData` = base64(SHA-256(Tid + MerchantKey + CancelAmt + PartialCancelCode)) (S4
/// "검증값 SHA256 암호화(Tid + MerchantKey + CancelAmt + PartialCancelCode)", S5).
pub fn cancel_hash(tid: &str, merchant_key: &str, cancel_amt: &str, partial_code: &str) -> String {
    sha256_b64(&format!("{tid}{merchant_key}{cancel_amt}{partial_code}"))
}

fn sha256_b64(s: &str) -> String {
    use sha2::{Digest, Sha256};
    base64(&Sha256::digest(s.as_bytes()))
}

/// The AES-256 key of `EncData`: the first 32 bytes of the merchant key (S4, S5
/// `substr($MerchantKey,0,32)`). A shorter key is refused: PHP would pad it with NULs, a key
/// nobody was issued.
fn aes_key(merchant_key: &str) -> Result<&[u8], ValidationError> {
    merchant_key.as_bytes().get(..32).ok_or_else(|| {
        ValidationError::new("EncData", Rule::Key, "merchant key shorter than 32 bytes")
    })
}

/// The IV of `EncData`: 16 zero bytes (S4, S5 `str_repeat(chr(0), 16)`).
const ENC_IV: [u8; 16] = [0; 16];

/// `EncData` of a cancel: base64(AES-256-CBC(key = merchant key[..32], IV = 16 zero bytes,
/// PKCS#7)) of the JSON parameters (S4, S5: `openssl_encrypt(json, 'aes-256-cbc',
/// substr($MerchantKey,0,32), true, str_repeat(chr(0), 16))`, whose default padding is PKCS#7).
pub fn enc_data(json: &str, merchant_key: &str) -> Result<String, ValidationError> {
    use aes::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
    let cipher = cbc::Encryptor::<aes::Aes256>::new_from_slices(aes_key(merchant_key)?, &ENC_IV)
        .map_err(|_| {
            ValidationError::new("EncData", Rule::Key, "merchant key shorter than 32 bytes")
        })?;
    Ok(base64(
        &cipher.encrypt_padded_vec_mut::<Pkcs7>(json.as_bytes()),
    ))
}

/// The JSON inside an `EncData` (what the PG, and the sandbox emulating it, reads), or `None`
/// when it is not base64, not whole blocks, badly padded or not UTF-8.
pub fn open_enc_data(enc: &str, merchant_key: &str) -> Option<String> {
    use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD
        .decode(enc.as_bytes())
        .ok()?;
    let cipher =
        cbc::Decryptor::<aes::Aes256>::new_from_slices(aes_key(merchant_key).ok()?, &ENC_IV)
            .ok()?;
    let body = cipher.decrypt_padded_vec_mut::<Pkcs7>(&data).ok()?;
    String::from_utf8(body).ok()
}

/// Fills defaults, validates and signs `EncryptData`. The form's `action` is the PC module
/// script the browser adapter loads (as for XPay and KCP): the module itself reads the form by
/// its id and opens the payment window, so there is no `target`.
pub fn build(
    mut p: Params,
    merchant_key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<CheckoutForm, ValidationError> {
    p.set_default("GoodsCnt", "1");
    p.set_default("EdiDate", now.format());
    validate(&p, FIELDS, request_charset(&p), &[])?;
    if p.str("PayMethod") == "VBANK" && p.str("VbankExpDate").is_empty() {
        return Err(ValidationError::new(
            "VbankExpDate",
            Rule::Required,
            "required for VBANK (가상계좌 이용 시 필수)",
        ));
    }
    if p.str("PayMethod") == "CELLPHONE" && p.str("GoodsCl").is_empty() {
        return Err(ValidationError::new(
            "GoodsCl",
            Rule::Required,
            "required for CELLPHONE (핸드폰결제 시 필수)",
        ));
    }
    let amt = amount(p.str("Amt")).unwrap_or(0);
    if amt == 0 {
        return Err(ValidationError::new(
            "Amt",
            Rule::Digits,
            "a positive amount",
        ));
    }
    for part in ["TaxAmt", "TaxFreeAmt", "VatAmt"] {
        if amount(p.str(part)).is_some_and(|n| n > amt) {
            return Err(ValidationError::new(
                part,
                Rule::Sum,
                format!("exceeds Amt {amt}"),
            ));
        }
    }
    require_key("EncryptData", merchant_key)?;
    let enc = encrypt_data(p.str("EdiDate"), p.str("Mid"), p.str("Amt"), merchant_key);
    p.set("EncryptData", enc);
    Ok(CheckoutForm {
        action: script_url(mode, false).to_string(),
        method: "POST".into(),
        accept_charset: "UTF-8".into(),
        target: String::new(),
        fields: p.0,
    })
}

/// The phone variant of a signed form: the mobile script (S1 "모바일 연동 시 script") and the
/// `StopUrl` it requires ("Mobile 연동 시 필수", S1, S7). The page then leaves for the module and
/// comes back through `ReturnUrl` (no Callback, S6/S7), so the signature stays as it is.
pub fn phone_form(mut form: CheckoutForm, mode: Mode) -> Result<CheckoutForm, ValidationError> {
    if form.field("StopUrl").unwrap_or("").is_empty() {
        return Err(ValidationError::new(
            "StopUrl",
            Rule::Required,
            "required on phones (Mobile 연동 시 필수)",
        ));
    }
    form.action = script_url(mode, true).to_string();
    Ok(form)
}

/// What each kind of SMARTRO PAY message is:
/// - `return`: the PC Callback's object or the phone post to `ReturnUrl` (S6). It carries `Tid`
///   and `TrAuthKey` and no signature; it moves no money, so with both present it is
///   `authenticated` and the server step `approve` is due.
/// - `approval`: the answer of `urlCallApproval.do` (S5's dump), signed with `SignValue` (S2),
///   which is therefore required. Only TID and ResultCode are signed: `Amt` and `Moid` are bound
///   to the order by the merchant's own record ([`super::Expect`]).
/// - `notice`: SMARTRO PAY's 신통보 "파라미터 명명규칙이 다릅니다" (manual.smartropay.co.kr, in
///   vendor-scripts.md §4.1) and no public source shows its names, so notices are refused.
pub(crate) fn read(p: &Params, v: &Verify<'_>) -> Reading {
    let mut r = Reading::new(Pg::SmartroPay);
    r.code = p.str("ResultCode").to_string();
    r.message = p.str("ResultMsg").to_string();
    r.amount = amount(p.str("Amt"));
    r.tid = p.str("Tid").to_string();
    r.order_id = p.str("Moid").to_string();
    r.method = p.str("PayMethod").to_string();
    if v.kind == MessageKind::Notice {
        r.outcome = Outcome::Unsupported(
            "SMARTRO PAY notices use parameter names no public source shows (신통보)",
        );
        return r;
    }
    if v.kind == MessageKind::Return {
        // Unsigned browser step: the approval call proves it (TrAuthKey is checked by the PG).
        r.outcome = if !r.tid.is_empty() && !p.str("TrAuthKey").is_empty() {
            Outcome::Authenticated("approve")
        } else {
            Outcome::Failed
        };
        return r;
    }
    if r.method == "CARD" {
        r.card = codes::card_company(Pg::Smartro, p.str("AppCardCode"));
    }
    let entry = codes::result_code(Pg::Smartro, &r.code, &r.method);
    if r.message.is_empty() {
        if let Some(c) = entry {
            r.message = c.message.to_string();
        }
    }
    r.auth = result::signature(p.str("SignValue"), v.key, || {
        sign_value(&r.tid, &r.code, v.key)
    });
    r.outcome = match entry.map(|c| c.kind) {
        Some(ResultKind::Paid) => Outcome::Paid,
        Some(ResultKind::Pending) => Outcome::Pending,
        Some(ResultKind::Cancelled) => Outcome::Cancelled,
        _ => Outcome::Failed,
    };
    r
}

/// Whether a cancel answer's `ResultCode` means cancelled (`2001` in S4; Smartro's cancel codes,
/// manual 001 §7.6).
pub fn cancel_succeeded(result_code: &str) -> bool {
    codes::result_code(Pg::Smartro, result_code, "")
        .is_some_and(|c| c.kind == ResultKind::Cancelled)
}

/// The generic order in this PG's names ([`Gateway::from_order`]; overrides are applied after).
fn from_order(o: &Order) -> Result<Params, ValidationError> {
    let mut p = Params::new();
    let amount = o.amount.to_string();
    let method = o.one_method("SMARTRO PAY")?;
    p.set("PayMethod", method_code(method));
    set(&mut p, "GoodsName", &o.goods_name);
    set(&mut p, "Amt", &amount);
    set(&mut p, "Moid", &o.order_id);
    set(&mut p, "Mid", &o.merchant_id);
    set(&mut p, "ReturnUrl", &o.return_url);
    set(&mut p, "StopUrl", &o.stop_url);
    set(&mut p, "BuyerName", &o.buyer_name);
    set(&mut p, "BuyerTel", &o.buyer_phone);
    set(&mut p, "BuyerEmail", &o.buyer_email);
    set(&mut p, "UserIp", &o.buyer_ip);
    if o.tax_free_amount > 0 {
        p.set("TaxFreeAmt", o.tax_free_amount.to_string());
    }
    Ok(p)
}

/// SMARTRO PAY as the library reaches it ([`super::Gateway`]; `Pg::gateway`).
/// SMARTRO PAY's checkout is posted UTF-8 (`build`'s `accept_charset`).
fn request_charset(_: &Params) -> Charset {
    Charset::Utf8
}

/// SMARTRO PAY's digests ([`super::digest`]): the request's `EncryptData`, the approval's
/// `SignValue`, a cancel's `HashData` and its `EncData`.
pub const DIGESTS: &[super::Digest] = &[
    super::Digest {
        name: "encrypt_data",
        field: "EncryptData",
        args: &["EdiDate", "Mid", "Amt"],
        source: "S1, S2, S7",
        compute: |a, k| Ok(encrypt_data(a[0], a[1], a[2], k)),
    },
    super::Digest {
        name: "sign_value",
        field: "SignValue",
        args: &["Tid", "ResultCode"],
        source: "S2 verify_sign_value",
        compute: |a, k| {
            sign_value(a[0], a[1], k).ok_or_else(|| {
                ValidationError::new("Tid", Rule::Format, "at least 15 ASCII characters")
            })
        },
    },
    super::Digest {
        name: "cancel_hash",
        field: "HashData",
        args: &["Tid", "CancelAmt", "PartialCancelCode"],
        source: "S4, S5",
        compute: |a, k| Ok(cancel_hash(a[0], k, a[1], a[2])),
    },
    super::Digest {
        name: "enc_data",
        field: "EncData",
        args: &["json"],
        source: "S4, S5",
        compute: |a, k| enc_data(a[0], k),
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
    use super::*;

    /// S5's answer: `AppCardCode` 12 is NH농협, as in Smartro's card table (manual 001 §7).
    #[test]
    fn approval_card_code_uses_smartro_table() {
        let key = "k".repeat(40);
        let tid = "t_hanpay1m01012512021200000001";
        let sign = sign_value(tid, "3001", &key).expect("tid");
        let p = Params::from_pairs([
            ("ResultCode", "3001"),
            ("Tid", tid),
            ("Moid", "o1"),
            ("Amt", "1004"),
            ("PayMethod", "CARD"),
            ("AppCardCode", "12"),
            ("SignValue", sign.as_str()),
        ]);
        let r = super::super::verify(
            Pg::SmartroPay,
            &p,
            &Verify::new(MessageKind::Approval, &key),
        );
        assert_eq!(r.card, Some(codes::CardCompany::Nh));
        assert_eq!(r.status, super::super::Status::Paid);
    }

    #[test]
    fn script_kind_inverts_script_url() {
        for mode in [Mode::Test, Mode::Live] {
            for phone in [false, true] {
                assert_eq!(script_kind(script_url(mode, phone)), Some((mode, phone)));
            }
        }
        for bad in [
            "https://evil.example/asset/js/SmartroPAY-1.0.min.js",
            "https://x.pay.smartropay.co.kr/asset/js/SmartroPAY-1.0.min.js",
            "http://tpay.smartropay.co.kr/asset/js/SmartroPAY-1.0.min.js",
            "https://tpay.smartropay.co.kr/asset/js/other.js",
        ] {
            assert_eq!(script_kind(bad), None, "{bad}");
        }
    }

    #[test]
    fn enc_data_round_trips_and_rejects_tampering() {
        let key = "0123456789abcdef0123456789abcdef-rest-of-key";
        for json in [
            "",
            "{}",
            "{\"Tid\":\"T\",\"CancelMsg\":\"고객 요청\"}",
            "0123456789abcdef",
        ] {
            let enc = enc_data(json, key).expect("key");
            assert_eq!(open_enc_data(&enc, key).as_deref(), Some(json));
        }
        let enc = enc_data("{\"a\":\"b\"}", key).expect("key");
        let other = "1123456789abcdef0123456789abcdef";
        assert_ne!(open_enc_data(&enc, other).as_deref(), Some("{\"a\":\"b\"}"));
        assert!(enc_data("{}", "short").is_err());
        assert!(open_enc_data("not base64!", key).is_none());
    }
}
