//! Node entry (wasm-pack `--target nodejs`, feature `node`): the server-side signing and
//! verification API for merchant servers in Node. Never built into the browser package,
//! which exports no function taking a merchant key.

use crate::prelude::*;

use crate::pg::{self, kispg, smartro, smartropay, xpay, KstTime, Mode, Params, Pg};
use wasm_bindgen::prelude::*;

fn invalid(field: &str, rule: crate::Rule, detail: &str) -> JsError {
    JsError::new(&crate::ValidationError::new(field, rule, detail).to_json())
}

fn clock(now: &str) -> Result<KstTime, JsError> {
    if now.is_empty() {
        // Date.now() is UTC milliseconds.
        Ok(KstTime::from_unix((js_sys::Date::now() / 1000.0) as i64))
    } else {
        KstTime::parse(now).ok_or_else(|| invalid("now", crate::Rule::Format, "YYYYMMDDHHMMSS"))
    }
}

/// `buildForm(pg, paramsJson, key, mode, now)` → the form JSON the CLI prints. Throws an
/// Error whose message is the JSON validation error. `now` may be "" for the system clock.
#[wasm_bindgen(js_name = buildForm)]
pub fn build_form(
    pg_name: &str,
    params_json: &str,
    key: &str,
    mode: &str,
    now: &str,
) -> Result<String, JsError> {
    let pg = Pg::from_name(pg_name).ok_or_else(|| {
        invalid(
            "pg",
            crate::Rule::OneOf,
            "xpay|smartro|kspay|kcp|kispg|smartropay",
        )
    })?;
    let mode =
        Mode::from_name(mode).ok_or_else(|| invalid("mode", crate::Rule::OneOf, "test|live"))?;
    let params =
        Params::from_json(params_json).map_err(|e| invalid("params", crate::Rule::Format, e.0))?;
    pg::build_form(pg, params, key, mode, clock(now)?)
        .map(|f| f.to_json(pg.name()))
        .map_err(|e| JsError::new(&e.to_json()))
}

/// `verify(pg, kind, body, key, options)` → the CLI's result JSON
/// (`{"status","authentic","success","code","message","amount","tid","order_id","reply",…}`).
/// `kind` is `return`, `notice` or `approval`; `body` the form-urlencoded POST body (UTF-8) or a
/// JSON object. `options` is a JSON object (or "") with `expectAmount`, `expectOrder`,
/// `expectTid`, `peerIp` and `mode` (`test`|`live`, default `live`).
#[wasm_bindgen]
pub fn verify(
    pg_name: &str,
    kind: &str,
    body: &str,
    key: &str,
    options: &str,
) -> Result<String, JsError> {
    let pg = Pg::from_name(pg_name).ok_or_else(|| {
        invalid(
            "pg",
            crate::Rule::OneOf,
            "xpay|smartro|kspay|kcp|kispg|smartropay",
        )
    })?;
    let kind: pg::MessageKind = kind
        .parse()
        .map_err(|_| invalid("kind", crate::Rule::OneOf, "return|notice|approval"))?;
    let opts = if options.trim().is_empty() {
        Params::new()
    } else {
        Params::from_json(options).map_err(|e| invalid("options", crate::Rule::Format, e.0))?
    };
    let mode = match opts.get("mode") {
        None | Some("") => Mode::Live,
        Some(m) => {
            Mode::from_name(m).ok_or_else(|| invalid("mode", crate::Rule::OneOf, "test|live"))?
        }
    };
    let trimmed = body.trim_start();
    let params = if trimmed.starts_with('{') {
        Params::from_json(trimmed).map_err(|e| invalid("body", crate::Rule::Format, e.0))?
    } else if pg == Pg::Kspay && body.contains('`') {
        pg::kspay::parse_recv_post(body)
    } else {
        Params::from_urlencoded(body.trim_end().as_bytes(), &pg::decode_utf8)
    };
    let mut v = pg::Verify::new(kind, key).mode(mode);
    if let Some(ip) = opts.get("peerIp").filter(|s| !s.is_empty()) {
        v = v.peer_ip(ip);
    }
    v.expect.order_id = opts.get("expectOrder").map(String::from);
    v.expect.tid = opts.get("expectTid").map(String::from);
    v.expect.amount = match opts.get("expectAmount") {
        None | Some("") => None,
        Some(a) => Some(pg::amount(a).ok_or_else(|| {
            invalid("expectAmount", crate::Rule::Digits, "a whole amount in won")
        })?),
    };
    Ok(pg::verify(pg, &params, &v).to_json())
}

/// XPay request `LGD_HASHDATA`.
#[wasm_bindgen(js_name = xpayHashdata)]
pub fn xpay_hashdata(mid: &str, oid: &str, amount: &str, timestamp: &str, key: &str) -> String {
    xpay::hashdata(mid, oid, amount, timestamp, key)
}

/// XPay receipt `authdata` for `showReceiptByTID`.
#[wasm_bindgen(js_name = xpayReceiptAuthdata)]
pub fn xpay_receipt_authdata(mid: &str, tid: &str, key: &str) -> String {
    xpay::receipt_authdata(mid, tid, key)
}

/// Smartro `EncryptData`.
#[wasm_bindgen(js_name = smartroEncryptData)]
pub fn smartro_encrypt_data(edi_date: &str, mid: &str, amt: &str, key: &str) -> String {
    smartro::encrypt_data(edi_date, mid, amt, key)
}

/// Smartro cancel `hashData`.
#[wasm_bindgen(js_name = smartroCancelHash)]
pub fn smartro_cancel_hash(tid: &str, key: &str, cancel_amt: &str, partial_code: &str) -> String {
    smartro::cancel_hash(tid, key, cancel_amt, partial_code)
}

/// SMARTRO PAY `EncryptData` (base64 SHA-256 of EdiDate + Mid + Amt + key).
#[wasm_bindgen(js_name = smartropayEncryptData)]
pub fn smartropay_encrypt_data(edi_date: &str, mid: &str, amt: &str, key: &str) -> String {
    smartropay::encrypt_data(edi_date, mid, amt, key)
}

/// SMARTRO PAY cancel `HashData`.
#[wasm_bindgen(js_name = smartropayCancelHash)]
pub fn smartropay_cancel_hash(
    tid: &str,
    key: &str,
    cancel_amt: &str,
    partial_code: &str,
) -> String {
    smartropay::cancel_hash(tid, key, cancel_amt, partial_code)
}

/// KISPG `encData` (auth, payment; for cancels pass `canAmt`).
#[wasm_bindgen(js_name = kispgEncData)]
pub fn kispg_enc_data(mid: &str, edi_date: &str, amount: &str, key: &str) -> String {
    kispg::enc_data(mid, edi_date, amount, key)
}
