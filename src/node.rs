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
    let pg = pg_of(pg_name)?;
    let kind: pg::MessageKind = kind
        .parse()
        .map_err(|_| invalid("kind", crate::Rule::OneOf, "return|notice|approval"))?;
    let opts = params_of("options", options)?;
    let v = verify_of(kind, key, &opts)?;
    let params = body_params(pg, body)?;
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

// ---- merchant-server calls (sans-IO; js/server.mjs sends them with fetch) -----------------

fn pg_of(name: &str) -> Result<Pg, JsError> {
    Pg::from_name(name).ok_or_else(|| {
        invalid(
            "pg",
            crate::Rule::OneOf,
            "xpay|smartro|kspay|kcp|kispg|smartropay",
        )
    })
}

fn mode_of(name: &str) -> Result<Mode, JsError> {
    Mode::from_name(name).ok_or_else(|| invalid("mode", crate::Rule::OneOf, "test|live"))
}

fn call_of(pg: Pg, name: &str) -> Result<pg::call::Call, JsError> {
    name.parse::<pg::call::Call>()
        .ok()
        .filter(|c| pg::call::Call::of(pg).contains(c))
        .ok_or_else(|| JsError::new(&pg::call::Call::unknown(pg).to_json()))
}

fn params_of(field: &str, json: &str) -> Result<Params, JsError> {
    if json.trim().is_empty() {
        return Ok(Params::new());
    }
    Params::from_json(json).map_err(|e| invalid(field, crate::Rule::Format, e.0))
}

/// The options of `verify` and `readResponse`: `mode` (default `live`), `peerIp`,
/// `expectOrder`, `expectTid`, `expectAmount`.
fn verify_of<'k>(
    kind: pg::MessageKind,
    key: &'k str,
    opts: &'k Params,
) -> Result<pg::Verify<'k>, JsError> {
    let mode = match opts.get("mode") {
        None | Some("") => Mode::Live,
        Some(m) => mode_of(m)?,
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
    Ok(v)
}

/// A PG's message as flat fields: a JSON object, KSNET's backtick-delimited `recv_post` text,
/// or a form-urlencoded body (UTF-8).
fn body_params(pg: Pg, body: &str) -> Result<Params, JsError> {
    let trimmed = body.trim_start();
    Ok(if trimmed.starts_with('{') {
        Params::from_json(trimmed).map_err(|e| invalid("body", crate::Rule::Format, e.0))?
    } else if pg == Pg::Kspay && body.contains('`') {
        pg::kspay::parse_recv_post(body)
    } else {
        Params::from_urlencoded(body.trim_end().as_bytes(), &pg::decode_utf8)
    })
}

/// `buildRequest(pg, call, paramsJson, key, mode, now)` → `{"method","url","content_type",
/// "fields"}` as `hanpay request` prints it. Throws the JSON validation error.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    pg_name: &str,
    call: &str,
    params_json: &str,
    key: &str,
    mode: &str,
    now: &str,
) -> Result<String, JsError> {
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    pg::call::request(
        pg,
        call,
        params_of("params", params_json)?,
        key,
        mode_of(mode)?,
        clock(now)?,
    )
    .map(|r| r.to_json())
    .map_err(|e| JsError::new(&e.to_json()))
}

/// `completeRequest(nextJson, orderId, amount, merchantJson, key, mode, now)` → the request
/// JSON that finishes the browser step `next` (`{pg, orderId, next, …}` as `pay()` resolves it)
/// with the order's own amount, or `"null"` when nothing is left to call. The call name is
/// added as `"call"`.
#[wasm_bindgen(js_name = completeRequest)]
pub fn complete_request(
    next_json: &str,
    order_id: &str,
    amount: &str,
    merchant_json: &str,
    key: &str,
    mode: &str,
    now: &str,
) -> Result<String, JsError> {
    use serde::Deserialize;
    let wire = params_of("next", next_json)?;
    let next = pg::call::Next::deserialize(serde::de::value::MapDeserializer::<
        _,
        serde::de::value::Error,
    >::new(wire.0.into_iter()))
    .map_err(|e| invalid("next", crate::Rule::Format, &e.to_string()))?;
    let amount = pg::amount(amount)
        .ok_or_else(|| invalid("amount", crate::Rule::Digits, "a whole amount in won"))?;
    let order = pg::call::OrderRef {
        id: order_id,
        amount,
    };
    // The step's own call (SMARTRO PAY's urlCallApproval is `approve`, not KISPG's `payment`).
    let call = next.call().map(pg::call::Call::as_str).unwrap_or("payment");
    match pg::call::complete(
        &next,
        &order,
        params_of("merchant", merchant_json)?,
        key,
        mode_of(mode)?,
        clock(now)?,
    ) {
        Ok(Some(r)) => {
            let json = r.to_json();
            Ok(format!(
                "{{\"pg\":\"{}\",\"call\":\"{call}\",{}",
                next.pg.name(),
                &json[1..]
            ))
        }
        Ok(None) => Ok("null".into()),
        Err(e) => Err(JsError::new(&e.to_json())),
    }
}

/// `retryable(call)`: lookups and result fetches may be sent again; approvals and cancels never
/// (`pg::call::recover`).
#[wasm_bindgen]
pub fn retryable(call: &str) -> bool {
    call.parse::<pg::call::Call>()
        .is_ok_and(pg::call::recover::retryable)
}

/// `requestCharset(pg)` → `"UTF-8"` or `"EUC-KR"`: the charset of a form body for `pg`.
#[wasm_bindgen(js_name = requestCharset)]
pub fn request_charset(pg_name: &str) -> Result<String, JsError> {
    Ok(pg::call::recover::request_charset(pg_of(pg_name)?)
        .label()
        .into())
}

/// `responseCharset(pg, sentFieldsJson)` → the charset of an answer whose `Content-Type` names
/// none.
#[wasm_bindgen(js_name = responseCharset)]
pub fn response_charset(pg_name: &str, sent_fields_json: &str) -> Result<String, JsError> {
    let sent = sent_request(sent_fields_json)?;
    Ok(pg::call::recover::response_charset(pg_of(pg_name)?, &sent)
        .label()
        .into())
}

fn sent_request(fields_json: &str) -> Result<pg::call::Request, JsError> {
    Ok(pg::call::Request {
        method: "POST",
        url: String::new(),
        content_type: pg::call::FORM,
        fields: params_of("fields", fields_json)?,
    })
}

/// `recovery(pg, call, sentFieldsJson, amount, key, mode, now, cause)` → what to do when the
/// answer of a money-moving call was lost: `{"action":"lookup"|"rollback","request":{…}}` (send
/// it, retryable) or `{"action":"unknown","reason":…}`. `amount` is the order's own amount ("" if
/// unknown).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn recovery(
    pg_name: &str,
    call: &str,
    sent_fields_json: &str,
    amount: &str,
    key: &str,
    mode: &str,
    now: &str,
    cause: &str,
) -> Result<String, JsError> {
    use pg::call::recover::Recovery;
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    let sent = sent_request(sent_fields_json)?;
    let amount = pg::amount(amount);
    let r = pg::call::recover::recovery(
        pg,
        call,
        &sent,
        amount,
        key,
        mode_of(mode)?,
        clock(now)?,
        cause,
    )
    .map_err(|e| JsError::new(&e.to_json()))?;
    let mut out = String::from("{");
    let (action, req) = match r {
        Recovery::Lookup(req) => ("lookup", req),
        Recovery::Rollback(req) => ("rollback", req),
        Recovery::Unknown(why) => {
            crate::json::push_pair(&mut out, "action", "unknown");
            out.push(',');
            crate::json::push_pair(&mut out, "reason", why);
            out.push('}');
            return Ok(out);
        }
    };
    crate::json::push_pair(&mut out, "action", action);
    out.push_str(",\"request\":");
    out.push_str(&req.to_json());
    out.push('}');
    Ok(out)
}

/// `readResponse(pg, call, body, key, options)` → the result JSON of a server call's answer
/// (`call::read_response`: approvals, cancels, partial cancels, refunds, capture, lookup).
/// `body` and `options` as for [`verify`].
#[wasm_bindgen(js_name = readResponse)]
pub fn read_response(
    pg_name: &str,
    call: &str,
    body: &str,
    key: &str,
    options: &str,
) -> Result<String, JsError> {
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    let opts = params_of("options", options)?;
    let v = verify_of(pg::MessageKind::Approval, key, &opts)?;
    let params = body_params(pg, body)?;
    Ok(pg::call::read_response(pg, call, &params, &v).to_json())
}
