//! XPay server API through XPayClient's gateway: `PaymentByKey` (manual 000 §6.5), `Cancel`
//! (§7.1) and `PartialCancel`, posted form-urlencoded to [`crate::pg::xpay::gateway_url`].
//!
//! Every call is authenticated as XPayClient does (notes §1.2, `XPayClient.php`
//! `Gen_TX_ID`/`Gen_Auth_Code`): `LGD_TXID` = header + SHA-1(header + unique) with header =
//! `LGD_MID` + "-" + server id + `YmdHis`, and `LGD_AUTHCODE` = SHA-1(`LGD_TXID` + MertKey).
//! The sample's unique part is a session id, counter and GUID; it only has to differ between
//! transactions, so hanpay takes the call's own body (its values in order) as the unique part:
//! the same call at the same second is the same transaction, and requests are reproducible.
//! The server id is `01`, the `server_id` default of `lgdacom.conf`.

use crate::prelude::*;

use crate::pg::call::lifecycle::{Change, Op};
use crate::pg::call::recover::Recovery;
use crate::pg::call::Server;

use super::super::result::{Outcome, Reading};
use super::super::xpay::{self, gateway_url, FORBIDDEN};
use super::super::{field, hex, require_key, FieldSpec, Kind, KstTime, Mode, Params};
use crate::form::{Rule, ValidationError};
use crate::pg::call::{all_or_none, at_most, body, fixed, positive, Call, Request, FORM};
use crate::text::Charset;

/// `server_id` of XPayClient's `lgdacom.conf`.
const SERVER_ID: &str = "01";

// The call tables (`PAYMENT_BY_KEY`, `CANCEL`, `PARTIAL_CANCEL`), generated from `data/pg/xpay.json` by
// build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_xpay_call.rs"));

/// Lowercase hex SHA-1 (XPayClient `sha1()`).
pub fn sha1_hex(s: &str) -> String {
    use sha1::{Digest, Sha1};
    hex(&Sha1::digest(s.as_bytes()))
}

/// `LGD_TXID` and `LGD_AUTHCODE` for a call whose body (without them) is `fields`.
pub fn tx_auth(mid: &str, fields: &Params, now: KstTime, mert_key: &str) -> (String, String) {
    let header = format!("{mid}-{SERVER_ID}{}", now.format());
    let unique: String = fields.0.iter().map(|(_, v)| v.as_str()).collect();
    let txid = format!("{header}{}", sha1_hex(&format!("{header}{unique}")));
    let auth = sha1_hex(&format!("{txid}{mert_key}"));
    (txid, auth)
}

/// Builds `call`. Input: `CST_MID` (the MID without the test `t`, as `hanpay form` takes it) or
/// the effective `LGD_MID`, plus the call's fields.
pub(super) fn request(
    call: Call,
    mut p: Params,
    mert_key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<Request, ValidationError> {
    let cst_mid = p.str("CST_MID").to_string();
    if cst_mid.is_empty() && p.str("LGD_MID").is_empty() {
        return Err(ValidationError::new(
            "CST_MID",
            Rule::Required,
            "CST_MID (or the effective LGD_MID)",
        ));
    }
    if !cst_mid.is_empty() {
        xpay::set_effective_mid(&mut p, &cst_mid, mode)?;
    }
    let spec = match call {
        Call::PaymentByKey => {
            fixed(&mut p, "LGD_TXNAME", "PaymentByKey")?;
            fixed(&mut p, "LGD_AMOUNTCHECKYN", "Y")?;
            PAYMENT_BY_KEY
        }
        Call::Cancel => {
            fixed(&mut p, "LGD_TXNAME", "Cancel")?;
            CANCEL
        }
        _ => {
            fixed(&mut p, "LGD_TXNAME", "PartialCancel")?;
            fixed(&mut p, "LGD_REQREMAIN", "1")?;
            fixed(&mut p, "LGD_ENCODING", "UTF-8")?;
            PARTIAL_CANCEL
        }
    };
    let mut fields = body(&p, spec, Charset::Utf8, FORBIDDEN)?;
    if call == Call::PartialCancel {
        positive(&fields, "LGD_CANCELAMOUNT")?;
        at_most(&fields, "LGD_CANCELAMOUNT", "LGD_REMAINAMOUNT")?;
        at_most(&fields, "LGD_CANCELTAXFREEAMOUNT", "LGD_CANCELAMOUNT")?;
        all_or_none(
            &fields,
            &["LGD_RFACCOUNTNUM", "LGD_RFBANKCODE", "LGD_RFCUSTOMERNAME"],
        )?;
    }
    require_key("LGD_AUTHCODE", mert_key)?;
    let (txid, auth) = tx_auth(p.str("LGD_MID"), &fields, now, mert_key);
    fields.set("LGD_TXID", txid);
    fields.set("LGD_AUTHCODE", auth);
    Ok(Request::post(gateway_url(mode), FORM, fields))
}

/// Reads the answer to `Cancel` / `PartialCancel` (manual 000 §7.2: `LGD_RESPCODE` 4,
/// `LGD_RESPMSG` 160). XPayClient answers JSON whose `LGD_RESPONSE` array holds the
/// transaction's fields; those are read from the top level, where the caller's flattening or
/// the sandbox puts them. Success is exactly §7.3's list for the method: card `0000`/`AV11`,
/// bank transfer `0000` and the `RF…` refund-in-progress codes, others `0000`
/// ([`xpay::cancel_succeeded`]). The method is the answer's `LGD_PAYTYPE`; without it a code
/// that exists for one method only (AV11 card, RF bank) is read for that method.
///
/// A partial cancel reports what remains in `LGD_REMAINAMOUNT` when it is sent (the request's
/// `LGD_REQREMAIN=1` asks for it; the field name is the request's, an assumption): zero left
/// is `cancelled`, otherwise `partially_cancelled`.
pub(super) fn read(call: Call, p: &Params) -> Reading {
    use super::super::amount;
    use super::super::codes;
    let mut r = Reading::new(super::super::Pg::Xpay);
    r.code = p.str("LGD_RESPCODE").to_string();
    r.message = p.str("LGD_RESPMSG").to_string();
    r.tid = p.str("LGD_TID").to_string();
    r.order_id = p.str("LGD_OID").to_string();
    r.method = p.str("LGD_PAYTYPE").to_string();
    r.amount = amount(p.str("LGD_CANCELAMOUNT"));
    r.remaining = amount(p.str("LGD_REMAINAMOUNT"));
    let method = if r.method.is_empty() {
        ["SC0010", "SC0030"]
            .into_iter()
            .find(|m| xpay::cancel_succeeded(m, &r.code))
            .unwrap_or("")
    } else {
        r.method.as_str()
    };
    let ok = xpay::cancel_succeeded(method, &r.code);
    if r.message.is_empty() {
        let m = match method {
            "SC0010" => "card",
            "SC0030" => "bank",
            _ => "",
        };
        if let Some(c) = codes::result_code(super::super::Pg::Xpay, &r.code, m) {
            r.message = c.message.to_string();
        }
    }
    r.outcome = match (ok, call, r.remaining) {
        (false, ..) => Outcome::Failed,
        (true, Call::PartialCancel, Some(0)) | (true, Call::Cancel, _) => Outcome::Cancelled,
        (true, ..) => Outcome::PartiallyCancelled,
    };
    r
}

/// XPay's lifecycle (manual 000 §7.1; the partial cancel and virtual-account refund from Toss's
/// sample, `PARTIAL_CANCEL` above).
fn lifecycle(op: Op, c: &Change, p: &mut Params, amount: u64) -> Result<Call, ValidationError> {
    p.set("LGD_TID", c.tid.as_str());
    match op {
        Op::Cancel => Ok(Call::Cancel),
        Op::PartialCancel | Op::Refund => {
            p.set("LGD_CANCELAMOUNT", amount.to_string());
            p.set("LGD_REMAINAMOUNT", c.remaining.to_string());
            if !c.reason.is_empty() {
                p.set("LGD_CANCELREASON", c.reason.as_str());
            }
            if op == Op::Refund {
                // "가상계좌 환불인경우만 필수".
                let r = crate::pg::call::lifecycle::refund_account(c, "LGD_RFACCOUNTNUM")?;
                p.set("LGD_RFACCOUNTNUM", r.account);
                p.set("LGD_RFBANKCODE", r.bank);
                p.set("LGD_RFCUSTOMERNAME", r.holder);
            }
            Ok(Call::PartialCancel)
        }
        _ => Err(Call::unknown(crate::pg::Pg::Xpay)),
    }
}

/// XPay `Rollback` of the lost call ([`crate::pg::call::recover`]): `LGD_RB_TXID` is the lost call's
/// `LGD_TXID`, authenticated like every XPayClient call (`LGD_TXID`/`LGD_AUTHCODE`, [`tx_auth`]).
fn rollback(
    sent: &Request,
    _amount: Option<u64>,
    mert_key: &str,
    mode: Mode,
    now: KstTime,
    cause: &str,
) -> Result<Recovery, ValidationError> {
    let mid = sent.fields.str("LGD_MID");
    let lost = sent.fields.str("LGD_TXID");
    if mid.is_empty() || lost.is_empty() {
        return Err(ValidationError::new(
            "LGD_TXID",
            Rule::Required,
            "the lost XPay call's LGD_MID and LGD_TXID",
        ));
    }
    let mut fields = Params::from_pairs([
        ("LGD_TXNAME", "Rollback"),
        ("LGD_MID", mid),
        ("LGD_RB_TXID", lost),
        ("LGD_RB_REASON", cause),
    ]);
    let (txid, auth) = tx_auth(mid, &fields, now, mert_key);
    fields.set("LGD_TXID", txid);
    fields.set("LGD_AUTHCODE", auth);
    Ok(Recovery::Rollback(Request::post(
        gateway_url(mode),
        FORM,
        fields,
    )))
}

/// The answer to [`rollback`]: `LGD_RESPCODE` `0000` is a rollback done (XPayClient
/// `Rollback()`, `Akachu/lg-xpay-php-utf-8:lgdacom/XPayClient.php`, which reports any other code
/// as a failed rollback).
fn rollback_answer(p: &Params) -> Result<(), String> {
    match p.str("LGD_RESPCODE") {
        "0000" => Ok(()),
        code => Err(format!(
            "XPay Rollback answered {code} {}",
            p.str("LGD_RESPMSG")
        )),
    }
}

/// XPay's server half ([`Server`]).
pub const SERVER: Server = Server {
    calls: &[Call::PaymentByKey, Call::Cancel, Call::PartialCancel],
    request,
    read,
    cancel_amount_binds: true,
    request_charset: Charset::Utf8,
    response_charset: crate::pg::call::utf8,
    rollback_answer,
    recovery: rollback,
    lifecycle,
    follow_up: crate::pg::call::no_follow_up,
    key_signature: crate::pg::call::no_key_signature,
    phone_registration: None,
};
