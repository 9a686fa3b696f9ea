//! KISPG: auth form (`/v2/auth`) and the endpoints of the server calls built in
//! [`call`] (`/v2/payment`, `/v2/cancel`, `/v2/order`), all signed with `encData` = lowercase hex SHA-256 (manual 004 §7; notes/pg-protocols.md §5).
//!
//! Fields: manual 004 §3.1.1 (auth), §3.2.1 (payment), §3.3.1 (cancel). `ediDate` is valid
//! for 10 minutes ("현재 시각 -10분까지 유효"), checked against the caller's clock.

use crate::prelude::*;

use super::order::{digits_only, set, Order};

use super::codes::{self, ResultKind};
use super::result::{self, Auth, Outcome, Reading};
use super::{
    amount, check_fresh, field, order_id_char, require_key, sha256_hex, validate, Endpoint,
    FieldSpec, Kind, KstTime, MessageKind, Mode, Params, Pg, Verify,
};
use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::Charset;

/// The merchant server's calls to kispg (`call::Server`): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;

/// `ediDate` freshness window (manual 004 §3.1.1).
pub const EDI_WINDOW_SECS: i64 = 600;

/// Auth form endpoint (manual 004 §3.1.1).
pub fn auth_url(mode: Mode) -> String {
    AUTH_URL.at(mode).into()
}

/// Approval API (manual 004 §3.2.1), JSON POST.
pub fn payment_url(mode: Mode) -> String {
    PAYMENT_URL.at(mode).into()
}

/// Cancel API (manual 004 §3.3.1). The official JSP sample posts to `/v2/cancelTrans.do`
/// instead (notes §5.2); the manual's path is used here.
pub fn cancel_url(mode: Mode) -> String {
    CANCEL_URL.at(mode).into()
}

/// `payMethod` for a generic method (manual 004 §3.1.1; `hp` from notes §5.1).
pub fn method_code(method: crate::method::Method) -> &'static str {
    use crate::method::Method;
    match method {
        Method::Card => "card",
        Method::BankTransfer => "bank",
        Method::VirtualAccount => "vacnt",
        Method::Phone => "hp",
    }
}

/// `encData` for auth, approval and order lookup: hex SHA-256(mid + ediDate + goodsAmt + key);
/// for cancels pass `canAmt` as the amount (manual 004 §7.1, §7.2).
pub fn enc_data(mid: &str, edi_date: &str, amount: &str, merchant_key: &str) -> String {
    sha256_hex(&format!("{mid}{edi_date}{amount}{merchant_key}"))
}

fn pay_method(s: &str) -> bool {
    ["card", "bank", "vacnt", "hp"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(s))
}

/// An app scheme URL (`myapp://…`). Hardening (issue 8): `javascript://%0a…` also contains
/// "://", so the value must also pass [`super::safe_url`].
fn scheme(s: &str) -> bool {
    s.contains("://") && super::safe_url(s)
}

// `FIELDS` (the request table), generated from `data/pg/kispg.json` by build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_kispg_form.rs"));

/// Fills defaults, validates (including `ediDate` freshness against `now`), and signs `encData`.
pub fn build(
    mut p: Params,
    merchant_key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<CheckoutForm, ValidationError> {
    for (k, v) in [
        ("trxCd", "0"),
        ("currencyType", "KRW"),
        ("model", "WEB"),
        ("charset", "UTF-8"),
        ("payReqType", "1"),
    ] {
        p.set_default(k, v);
    }
    p.set_default("ediDate", now.format());
    let charset = request_charset(&p);
    validate(&p, FIELDS, charset, &[])?;
    check_fresh("ediDate", p.str("ediDate"), now, EDI_WINDOW_SECS)?;
    if p.str("appSchemeFlg") == "1" {
        for k in ["resultScheme", "cancelScheme"] {
            if p.str(k).is_empty() {
                return Err(ValidationError::new(
                    k,
                    Rule::Required,
                    "required when appSchemeFlg=1",
                ));
            }
        }
    }
    require_key("encData", merchant_key)?;
    let enc = enc_data(
        p.str("mid"),
        p.str("ediDate"),
        p.str("goodsAmt"),
        merchant_key,
    );
    p.set("encData", enc);
    Ok(CheckoutForm {
        action: auth_url(mode),
        method: "POST".into(),
        accept_charset: charset.label().into(),
        target: String::new(),
        fields: p.0,
    })
}

/// KISPG's result-notice source addresses: "결제 결과 수신 - 출발지IP : 1.233.179.201(운영계),
/// 61.40.40.74(개발계)" (manual 004 §2.2).
pub const NOTIFY_IPS_TEST: &[&str] = &["61.40.40.74"];
pub const NOTIFY_IPS_LIVE: &[&str] = &["1.233.179.201"];

/// What each kind of KISPG message is (manual 004):
/// - `return`: the auth result posted to `returnUrl` (§3.1.2). "인증 결과의 encData … 유효성을
///   체크" and "위변조 여부를 반드시 확인해야 합니다" (004:L27, L39): `encData` is required,
///   checked as hex SHA-256(mid + ediDate + amt + key) with the MID taken from the TID's first
///   10 characters when `mid` is absent. `0000` is `authenticated` (next: `/v2/payment`).
/// - `approval`: the `/v2/payment` response (§3.2.2). Its table lists no `encData` (004:L310-344):
///   when one is sent it must verify, when none is sent the merchant's own TLS call is the proof.
/// - `notice`: a result notice from KISPG's published source addresses (§2.2), the one control
///   the manual gives for it; an `encData` it carries must verify too. The manual documents no
///   reply body, so an authentic notice is answered with an empty 200 (`reply: ""`).
pub(crate) fn read(p: &Params, v: &Verify<'_>) -> Reading {
    let mut r = Reading::new(Pg::Kispg);
    r.code = p.str("resultCd").to_string();
    r.message = p.str("resultMsg").to_string();
    r.amount = amount(p.str("amt"));
    r.tid = p.str("tid").to_string();
    r.order_id = p.str("ordNo").to_string();
    r.method = p.str("payMethod").to_string();
    r.card = codes::card_company(Pg::Kispg, p.str("appCardCd"));
    // KISPG's samples write lowercase hex (notes §6 "Hex case"); an uppercase echo is the same digest.
    let posted = p.str("encData").to_ascii_lowercase();
    let check = || {
        result::signature(&posted, v.key, || {
            let mid = p
                .get("mid")
                .filter(|m| !m.is_empty())
                .or_else(|| r.tid.get(..10))?;
            let edi = p.get("ediDate").filter(|e| !e.is_empty())?;
            Some(enc_data(mid, edi, p.str("amt"), v.key))
        })
    };
    let auth_ok = codes::result_code(Pg::Kispg, &r.code, "")
        .is_some_and(|c| c.kind == ResultKind::Authenticated);
    r.auth = match v.kind {
        // "인증에 실패하였을 경우에는 결과코드와 결과메시지만 응답합니다" (004:L262): a failure comes
        // unsigned and moves no money; a success without a valid encData is a forgery.
        MessageKind::Return if !auth_ok && posted.is_empty() => Auth::Channel,
        MessageKind::Return => check(),
        MessageKind::Approval if posted.is_empty() => Auth::Channel,
        MessageKind::Approval => check(),
        MessageKind::Notice => {
            let published = match v.mode {
                Mode::Test => NOTIFY_IPS_TEST,
                Mode::Live => NOTIFY_IPS_LIVE,
            };
            match result::notifier(v, published) {
                Auth::Verified if !posted.is_empty() => check(),
                a => a,
            }
        }
    };
    if v.kind == MessageKind::Notice {
        r.reply = Some("");
    }
    let entry = codes::result_code(Pg::Kispg, &r.code, &r.method)
        .filter(|c| c.method.is_empty() || c.method.eq_ignore_ascii_case(&r.method));
    r.outcome = match (v.kind, entry.map(|c| c.kind)) {
        (MessageKind::Return, Some(ResultKind::Authenticated)) if !r.tid.is_empty() => {
            Outcome::Authenticated("payment")
        }
        (MessageKind::Return, _) => Outcome::Failed,
        (_, Some(ResultKind::Pending)) => Outcome::Pending,
        (_, Some(ResultKind::Cancelled)) => Outcome::Cancelled,
        (_, Some(ResultKind::Paid)) => Outcome::Paid,
        _ => Outcome::Failed,
    };
    r
}

/// The generic order in this PG's names ([`Gateway::from_order`]; overrides are applied after).
fn from_order(o: &Order) -> Result<Params, ValidationError> {
    let mut p = Params::new();
    let amount = o.amount.to_string();
    let methods = o.methods_or_card();
    // One method selects it; several (or none) show KISPG's full list (manual 004 §3.1.1).
    if let [only] = methods.as_slice() {
        p.set("payMethod", method_code(*only));
    }
    p.set("trxCd", if o.escrow { "1" } else { "0" });
    set(&mut p, "mid", &o.merchant_id);
    set(&mut p, "goodsNm", &o.goods_name);
    set(&mut p, "ordNo", &o.order_id);
    set(&mut p, "goodsAmt", &amount);
    set(&mut p, "ordNm", &o.buyer_name);
    set(&mut p, "ordTel", &digits_only(&o.buyer_phone));
    set(&mut p, "ordEmail", &o.buyer_email);
    set(&mut p, "returnUrl", &o.return_url);
    set(&mut p, "userIp", &o.buyer_ip);
    // "모바일 연동시에는 submit 방식을 권장" (004:L40): the MOB model of the auth page.
    p.set("model", if o.phone { "MOB" } else { "WEB" });
    if !o.app_scheme.is_empty() {
        p.set("appSchemeFlg", "1");
        p.set("resultScheme", o.app_scheme.as_str());
        p.set("cancelScheme", o.app_scheme.as_str());
    }
    Ok(p)
}

/// KISPG as the library reaches it ([`super::Gateway`]; `Pg::gateway`).
/// KISPG's `charset` field names the request's charset (004:L204); the builder's default is UTF-8.
fn request_charset(p: &Params) -> Charset {
    Charset::from_label(p.str("charset")).unwrap_or(Charset::Utf8)
}

/// KISPG's digest ([`super::digest`]): `encData`, with `canAmt` as the amount for cancels.
pub const DIGESTS: &[super::Digest] = &[super::Digest {
    name: "enc_data",
    field: "encData",
    args: &["mid", "ediDate", "goodsAmt"],
    source: "manual 004 §7.1, §7.2",
    compute: |a, k| Ok(enc_data(a[0], a[1], a[2], k)),
}];

pub const GATEWAY: super::Gateway = super::Gateway {
    fields: FIELDS,
    build,
    read,
    from_order,
    phone_form: super::same_form,
    charset: request_charset,
    text_body: super::no_text_body,
    signature: Some("encData"),
    digests: DIGESTS,
};
