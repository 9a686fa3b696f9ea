//! Node entry (wasm-pack `--target nodejs`, feature `node`): the server-side signing and
//! verification API for merchant servers in Node. Never built into the browser package,
//! which exports no function taking a merchant key.

use crate::prelude::*;

use crate::pg::{self, kispg, smartro, xpay, KstTime, Mode, Params, Pg};
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
    let pg = Pg::from_name(pg_name)
        .ok_or_else(|| invalid("pg", crate::Rule::OneOf, "xpay|smartro|kspay|kcp|kispg"))?;
    let mode =
        Mode::from_name(mode).ok_or_else(|| invalid("mode", crate::Rule::OneOf, "test|live"))?;
    let params =
        Params::from_json(params_json).map_err(|e| invalid("params", crate::Rule::Format, e.0))?;
    pg::build_form(pg, params, key, mode, clock(now)?)
        .map(|f| f.to_json(pg.name()))
        .map_err(|e| JsError::new(&e.to_json()))
}

/// `verify(pg, body, key, expectAmount)` → `{"authentic","success","code","message","amount","tid","reply"}`.
/// `body` is the form-urlencoded POST body (UTF-8) or a JSON object; `expectAmount` may be undefined.
#[wasm_bindgen]
pub fn verify(
    pg_name: &str,
    body: &str,
    key: &str,
    expect_amount: Option<f64>,
) -> Result<String, JsError> {
    let pg = Pg::from_name(pg_name)
        .ok_or_else(|| invalid("pg", crate::Rule::OneOf, "xpay|smartro|kspay|kcp|kispg"))?;
    let trimmed = body.trim_start();
    let params = if trimmed.starts_with('{') {
        Params::from_json(trimmed).map_err(|e| invalid("body", crate::Rule::Format, e.0))?
    } else if pg == Pg::Kspay && body.contains('`') {
        pg::kspay::parse_recv_post(body)
    } else {
        Params::from_urlencoded(body.trim_end().as_bytes(), &pg::decode_utf8)
    };
    let expect = expect_amount
        .filter(|a| a.is_finite() && *a >= 0.0)
        .map(|a| a as u64);
    Ok(pg::verify(pg, &params, key, expect).to_json())
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

/// KISPG `encData` (auth, payment; for cancels pass `canAmt`).
#[wasm_bindgen(js_name = kispgEncData)]
pub fn kispg_enc_data(mid: &str, edi_date: &str, amount: &str, key: &str) -> String {
    kispg::enc_data(mid, edi_date, amount, key)
}
