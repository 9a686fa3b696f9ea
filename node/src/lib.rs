//! hanpay-node: the Node entry (`make pkg-node`, wasm-pack `--target nodejs`), the server-side
//! signing and verification API for merchant servers in Node; `js/server.mjs` wraps it as
//! `hanpay/server`. It links `hanpay-pg` with its `server` feature and the browser crate (whose
//! pure functions, such as `classifyUrl`, Node callers use too). Never built into the browser
//! package, which exports no function taking a merchant key. Natively it is empty.
//!
//! Values cross as JavaScript objects through serde-wasm-bindgen (parameter maps in, forms,
//! results and requests out; JSON-compatible: absent values are `null`, maps plain objects).
//! Failures are thrown as real `Error`s named `HanpayError` with the browser package's `code`
//! (`INVALID_PARAMETERS`, crates/hanpay-web/js/errors.js), `field` and `rule`; `instanceof HanpayError` of the
//! browser class holds too (the same `Symbol.for("hanpay.error")` brand).

#![cfg(target_arch = "wasm32")]

// The browser surface, linked for its exports (`classifyUrl`, `detectEnvironment`, …), the
// `PgName` declarations its `.d.ts` section carries and the allocator of every wasm build.
pub use hanpay_web as web;

use hanpay_pg::form::{Rule, ValidationError};
use hanpay_pg::pg;

use pg::{KstTime, Mode, Params, Pg};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `INVALID_PARAMETERS`: the code the browser package gives a field that broke a rule
/// (`window::ErrorCode::InvalidParameters`, crates/hanpay-web/src/error.rs).
const INVALID_PARAMETERS: &str = "INVALID_PARAMETERS";

/// A `HanpayError` for `e`: `message` is the validation error's text, never JSON.
fn thrown(e: &ValidationError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("HanpayError");
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&err, &k.into(), &v.into());
    };
    set("code", INVALID_PARAMETERS);
    set("field", &e.field);
    set("rule", e.rule.code());
    // The brand crates/hanpay-web/js/errors.js checks in `HanpayError[Symbol.hasInstance]` (non-enumerable there
    // too).
    let brand = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&brand, &"value".into(), &JsValue::TRUE);
    let _ =
        js_sys::Object::define_property(&err, &js_sys::Symbol::for_("hanpay.error").into(), &brand);
    err.into()
}

fn invalid(field: &str, rule: Rule, detail: &str) -> JsValue {
    thrown(&ValidationError::new(field, rule, detail))
}

/// `value` as a plain JavaScript value: objects for structs and maps, `null` for `None`.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| invalid("result", Rule::Format, &e.to_string()))
}

fn clock(now: Option<String>) -> Result<KstTime, JsValue> {
    match now.as_deref() {
        // Date.now() is UTC milliseconds.
        None | Some("") => Ok(KstTime::from_unix((js_sys::Date::now() / 1000.0) as i64)),
        Some(now) => {
            KstTime::parse(now).ok_or_else(|| invalid("now", Rule::Format, "YYYYMMDDHHMMSS"))
        }
    }
}

/// `buildForm(pg, params, key, mode, now?)` → `{pg, action, method, accept_charset, target,
/// fields: [[name, value], …]}` (the CLI's `hanpay form` shape). `now` (YYYYMMDDHHMMSS, KST)
/// defaults to the system clock.
#[wasm_bindgen(js_name = buildForm, unchecked_return_type = "SignedForm")]
pub fn build_form(
    pg_name: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] params: JsValue,
    key: &str,
    mode: &str,
    now: Option<String>,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let mode = mode_of(mode)?;
    let params = params_of("params", params)?;
    let form = pg::build_form(pg, params, key, mode, clock(now)?).map_err(|e| thrown(&e))?;
    to_js(&form.wire(pg.name()))
}

/// `verify(pg, kind, body, key, options?)` → the verified result (`hanpay verify`'s shape:
/// `{status, authentic, success, code, message, amount, tid, order_id, reply, …}`).
/// `kind` is `return`, `notice` or `approval`; `body` the form-urlencoded POST body (UTF-8) as a
/// string, or its fields as an object. `options`: `expectAmount`, `expectOrder`, `expectTid`,
/// `peerIp` and `mode` (`test`|`live`, default `live`).
#[wasm_bindgen(unchecked_return_type = "VerifiedResult")]
pub fn verify(
    pg_name: &str,
    kind: &str,
    #[wasm_bindgen(unchecked_param_type = "string | Record<string, string>")] body: JsValue,
    key: &str,
    #[wasm_bindgen(unchecked_param_type = "VerifyOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let kind: pg::MessageKind = kind
        .parse()
        .map_err(|_| invalid("kind", Rule::OneOf, "return|notice|approval"))?;
    let opts = params_of("options", options)?;
    let v = verify_of(kind, key, &opts)?;
    let params = body_params(pg, body)?;
    to_js(&pg::verify(pg, &params, &v))
}

/// What `readReturn` returns (`call::Returned`).
#[derive(Serialize)]
struct ReturnedOut<'a> {
    result: &'a pg::PaymentResult,
    cancelled: bool,
    next: Option<&'a pg::call::Next>,
}

/// `readReturn(pg, body, key, options)` → `{result, cancelled, next}`: the PG's post to the
/// merchant's return URL verified, bound to the order `options.expectOrder` /
/// `options.expectAmount` names, and turned into the next server step (`call::read_return`):
/// `next` is what `client.complete(next, order)` takes, `null` when the post failed, was the
/// buyer's cancel (`cancelled`) or is rejected. `body` and `options` as for [`verify`].
#[wasm_bindgen(js_name = readReturn, unchecked_return_type = "ReturnedPost")]
pub fn read_return(
    pg_name: &str,
    #[wasm_bindgen(unchecked_param_type = "string | Record<string, string>")] body: JsValue,
    key: &str,
    #[wasm_bindgen(unchecked_param_type = "VerifyOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let opts = params_of("options", options)?;
    let v = verify_of(pg::MessageKind::Return, key, &opts)?;
    let post = body_params(pg, body)?;
    let r = pg::call::read_return(pg, &post, &v);
    to_js(&ReturnedOut {
        result: &r.result,
        cancelled: r.cancelled,
        next: r.next.as_ref(),
    })
}

/// `digest(pg, name, args, key)`: the PG's digest `name` over `args` (in the order `digests(pg)`
/// lists them) with the merchant key, as the PG computes it (`pg::digest`): XPay `hashdata`,
/// `note_hashdata`, `receipt_authdata`; Smartro and SMARTRO PAY `encrypt_data`, `sign_value`,
/// `cancel_hash` (SMARTRO PAY also `enc_data`); KISPG `enc_data`. A `HanpayError` on `digest`,
/// `args`, `key` or the input the layout refuses.
#[wasm_bindgen]
pub fn digest(
    #[wasm_bindgen(unchecked_param_type = "PgName")] pg_name: &str,
    name: &str,
    args: Vec<String>,
    key: &str,
) -> Result<String, JsValue> {
    let pg = pg_of(pg_name)?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    pg::digest(pg, name, &args, key).map_err(|e| thrown(&e))
}

/// One entry of `digests(pg)`.
#[derive(Serialize)]
struct DigestOut {
    name: &'static str,
    field: &'static str,
    args: &'static [&'static str],
    source: &'static str,
}

/// `digests(pg)` → `[{name, field, args, source}]`: the digests `digest` computes for the PG
/// (empty for KCP and KSNET, which sign nothing with a shared key).
#[wasm_bindgen(unchecked_return_type = "DigestInfo[]")]
pub fn digests(
    #[wasm_bindgen(unchecked_param_type = "PgName")] pg_name: &str,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let out: Vec<DigestOut> = pg
        .gateway()
        .digests
        .iter()
        .map(|d| DigestOut {
            name: d.name,
            field: d.field,
            args: d.args,
            source: d.source,
        })
        .collect();
    to_js(&out)
}

// ---- merchant-server calls (sans-IO; js/server.mjs sends them with fetch) -----------------

fn pg_of(name: &str) -> Result<Pg, JsValue> {
    Pg::from_name(name).ok_or_else(|| invalid("pg", Rule::OneOf, pg::NAMES))
}

fn mode_of(name: &str) -> Result<Mode, JsValue> {
    Mode::from_name(name).ok_or_else(|| invalid("mode", Rule::OneOf, "test|live"))
}

fn call_of(pg: Pg, name: &str) -> Result<pg::call::Call, JsValue> {
    name.parse::<pg::call::Call>()
        .ok()
        .filter(|c| pg::call::Call::of(pg).contains(c))
        .ok_or_else(|| thrown(&pg::call::Call::unknown(pg)))
}

/// A flat object of fields (`Params`' `Deserialize`: numbers and booleans as text, `null` and
/// nested values dropped); `undefined` or `null` is none.
fn params_of(field: &str, value: JsValue) -> Result<Params, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Params::new());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| invalid(field, Rule::Format, &format!("an object of strings: {e}")))
}

/// The options of `verify` and `readResponse`: `mode` (default `live`), `peerIp`,
/// `expectOrder`, `expectTid`, `expectAmount`.
fn verify_of<'k>(
    kind: pg::MessageKind,
    key: &'k str,
    opts: &'k Params,
) -> Result<pg::Verify<'k>, JsValue> {
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
        Some(a) => Some(
            pg::amount(a)
                .ok_or_else(|| invalid("expectAmount", Rule::Digits, "a whole amount in won"))?,
        ),
    };
    Ok(v)
}

/// A PG's message as flat fields: an object; or as text, a JSON object, KSNET's
/// backtick-delimited `recv_post` text, or a form-urlencoded body (UTF-8).
fn body_params(pg: Pg, body: JsValue) -> Result<Params, JsValue> {
    let Some(body) = body.as_string() else {
        return params_of("body", body);
    };
    let trimmed = body.trim_start();
    Ok(if trimmed.starts_with('{') {
        Params::from_json(trimmed).map_err(|e| invalid("body", Rule::Format, &e.0))?
    } else if let Some(p) = (pg.gateway().text_body)(&body) {
        p
    } else {
        Params::from_urlencoded(body.trim_end().as_bytes(), &pg::decode_utf8)
    })
}

/// `buildRequest(pg, call, params, key, mode, now?)` → `{method, url, content_type, fields}` as
/// `hanpay request` prints it.
#[wasm_bindgen(js_name = buildRequest, unchecked_return_type = "Request")]
pub fn build_request(
    pg_name: &str,
    call: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] params: JsValue,
    key: &str,
    mode: &str,
    now: Option<String>,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    let req = pg::call::request(
        pg,
        call,
        params_of("params", params)?,
        key,
        mode_of(mode)?,
        clock(now)?,
    )
    .map_err(|e| thrown(&e))?;
    to_js(&req)
}

/// What `completeRequest` returns: the request with its PG and call name.
#[derive(Serialize)]
struct Completed<'a> {
    pg: &'static str,
    call: &'static str,
    #[serde(flatten)]
    request: &'a pg::call::Request,
}

/// `completeRequest(next, orderId, amount, merchant, key, mode, now?)` → the request that
/// finishes the browser step `next` (`{pg, orderId, next, …}` as `pay()` resolves it) with the
/// order's own amount, as `{pg, call, method, url, content_type, fields}`, or `null` when nothing
/// is left to call.
#[wasm_bindgen(js_name = completeRequest, unchecked_return_type = "CompletedRequest | null")]
pub fn complete_request(
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] next: JsValue,
    order_id: &str,
    amount: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] merchant: JsValue,
    key: &str,
    mode: &str,
    now: Option<String>,
) -> Result<JsValue, JsValue> {
    use serde::Deserialize;
    let wire = params_of("next", next)?;
    let next = pg::call::Next::deserialize(serde::de::value::MapDeserializer::<
        _,
        serde::de::value::Error,
    >::new(wire.0.into_iter()))
    .map_err(|e| invalid("next", Rule::Format, &e.to_string()))?;
    let amount = pg::amount(amount)
        .ok_or_else(|| invalid("amount", Rule::Digits, "a whole amount in won"))?;
    let order = pg::call::OrderRef {
        id: order_id,
        amount,
    };
    // The step's own call (SMARTRO PAY's urlCallApproval is `approve`, not KISPG's `payment`).
    let call = next.call().map(pg::call::Call::as_str).unwrap_or("payment");
    match pg::call::complete(
        &next,
        &order,
        params_of("merchant", merchant)?,
        key,
        mode_of(mode)?,
        clock(now)?,
    ) {
        Ok(Some(request)) => to_js(&Completed {
            pg: next.pg.name(),
            call,
            request: &request,
        }),
        Ok(None) => Ok(JsValue::NULL),
        Err(e) => Err(thrown(&e)),
    }
}

/// `keySignature(pg, call, params)` → `{field, input}` or `null`: what the merchant signs for
/// `call` with its own RSA private key (`call::key_signature`; KCP's `kcp_sign_data` over
/// `site_cd^tno^mod_type`), RSA PKCS#1 v1.5 SHA-256, base64 into `field`.
#[wasm_bindgen(js_name = keySignature, unchecked_return_type = "{ field: string; input: string } | null")]
pub fn key_signature(
    pg_name: &str,
    call: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] params: JsValue,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    to_js(&pg::call::key_signature(
        pg,
        call,
        &params_of("params", params)?,
    ))
}

/// A lifecycle change as JavaScript passes it (`lifecycle`).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ChangeIn {
    #[serde(default)]
    tid: String,
    #[serde(default)]
    order_id: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    order_amount: u64,
    /// Default: the order amount.
    remaining: Option<u64>,
    #[serde(default)]
    amount: u64,
    #[serde(default)]
    reason: String,
    refund: Option<RefundIn>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundIn {
    bank: String,
    account: String,
    holder: String,
}

/// `lifecycle(pg, op, change)` → `{call, params}`: the generic step `op` (`cancel`,
/// `partial_cancel`, `refund`, `capture`, `lookup`) on the payment `change` describes
/// (`{tid, orderId, method, orderAmount, remaining?, amount, reason, refund?: {bank, account,
/// holder}}`) as the PG's own call and parameters (`call::lifecycle::lifecycle`), for
/// `buildRequest` with the merchant's configuration merged under them.
#[wasm_bindgen(unchecked_return_type = "{ call: string; params: Record<string, string> }")]
pub fn lifecycle(
    pg_name: &str,
    op: &str,
    #[wasm_bindgen(unchecked_param_type = "LifecycleChange")] change: JsValue,
) -> Result<JsValue, JsValue> {
    use pg::call::lifecycle::{self, Change, Op, RefundAccount};
    let pg = pg_of(pg_name)?;
    let op = Op::from_name(op).ok_or_else(|| {
        invalid(
            "op",
            Rule::OneOf,
            "cancel|partial_cancel|refund|capture|lookup",
        )
    })?;
    let c: ChangeIn = serde_wasm_bindgen::from_value(change)
        .map_err(|e| invalid("change", Rule::Format, &e.to_string()))?;
    let change = Change {
        tid: c.tid,
        order_id: c.order_id,
        method: c.method,
        order_amount: c.order_amount,
        remaining: c.remaining.unwrap_or(c.order_amount),
        amount: c.amount,
        reason: c.reason,
        refund: c.refund.map(|r| RefundAccount {
            bank: r.bank,
            account: r.account,
            holder: r.holder,
        }),
    };
    let (call, params) =
        lifecycle::lifecycle(pg, op, &change, Params::new()).map_err(|e| thrown(&e))?;
    #[derive(Serialize)]
    struct Out {
        call: &'static str,
        params: Params,
    }
    to_js(&Out {
        call: call.as_str(),
        params,
    })
}

/// `retryable(call)`: lookups and result fetches may be sent again; approvals and cancels never
/// (`pg::call::recover`).
#[wasm_bindgen]
pub fn retryable(call: &str) -> bool {
    call.parse::<pg::call::Call>()
        .is_ok_and(pg::call::recover::retryable)
}

fn sent_request(fields: JsValue) -> Result<pg::call::Request, JsValue> {
    Ok(pg::call::Request {
        method: "POST",
        url: String::new(),
        content_type: pg::call::FORM,
        fields: params_of("fields", fields)?,
    })
}

/// A request as `buildRequest` returns it (`{method, url, content_type, fields}`); only the
/// content type and the fields matter on the wire.
fn request_of(value: JsValue) -> Result<pg::call::Request, JsValue> {
    let field = |k: &str| js_sys::Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let content_type = match field("content_type").as_string().as_deref() {
        Some(pg::call::JSON) => pg::call::JSON,
        Some(pg::call::FORM) | None => pg::call::FORM,
        Some(_) => {
            return Err(invalid(
                "content_type",
                Rule::OneOf,
                "application/json|application/x-www-form-urlencoded",
            ))
        }
    };
    Ok(pg::call::Request {
        method: "POST",
        url: field("url").as_string().unwrap_or_default(),
        content_type,
        fields: params_of("fields", field("fields"))?,
    })
}

/// `encodeRequest(pg, request)` → `{contentType, body}`: the request's body as bytes in the PG's
/// charset (`call::wire::encode`; EUC-KR for KSNET), and its `Content-Type` header.
#[wasm_bindgen(js_name = encodeRequest, unchecked_return_type = "{ contentType: string; body: Uint8Array }")]
pub fn encode_request(
    pg_name: &str,
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let req = request_of(request)?;
    let body = pg::call::wire::encode(pg, &req).map_err(|e| match &e {
        pg::call::wire::WireError::Unencodable { field, .. } => {
            invalid(field, Rule::ForbiddenChar, &e.to_string())
        }
        _ => invalid("request", Rule::Format, &e.to_string()),
    })?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"contentType".into(), &body.content_type.into());
    let _ = js_sys::Reflect::set(
        &out,
        &"body".into(),
        &js_sys::Uint8Array::from(&body.bytes[..]),
    );
    Ok(out.into())
}

/// `readAnswer(pg, request, bytes, contentType?)` → the answer to `request` as a flat object of
/// fields (`call::wire::decode`: JSON with XPay's `LGD_RESPONSE[0]` merged, KSNET's backtick
/// text, `k=v` in the answer's charset), for `readResponse`. An unreadable answer throws
/// (`field` `body`, `rule` `format`).
#[wasm_bindgen(js_name = readAnswer, unchecked_return_type = "Record<string, string>")]
pub fn read_answer(
    pg_name: &str,
    #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    bytes: &[u8],
    content_type: Option<String>,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let req = request_of(request)?;
    let p = pg::call::wire::decode(pg, &req, bytes, content_type.as_deref())
        .map_err(|e| invalid("body", Rule::Format, &e.to_string()))?;
    to_js(&p)
}

/// What `recovery` returns, tagged by `action`.
#[derive(Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
enum RecoveryOut<'a> {
    Lookup { request: pg::call::Request },
    Rollback { request: pg::call::Request },
    Unknown { reason: &'a str },
}

/// `recovery(pg, call, sentFields, amount, key, mode, now, cause)` → what to do when the answer
/// of a money-moving call was lost: `{action: "lookup"|"rollback", request}` (send it,
/// retryable) or `{action: "unknown", reason}`. `amount` is the order's own amount ("" if
/// unknown).
#[wasm_bindgen(unchecked_return_type = "Recovery")]
#[allow(clippy::too_many_arguments)]
pub fn recovery(
    pg_name: &str,
    call: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] sent_fields: JsValue,
    amount: &str,
    key: &str,
    mode: &str,
    now: Option<String>,
    cause: &str,
) -> Result<JsValue, JsValue> {
    use pg::call::recover::Recovery;
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    let sent = sent_request(sent_fields)?;
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
    .map_err(|e| thrown(&e))?;
    to_js(&match r {
        Recovery::Lookup(request) => RecoveryOut::Lookup { request },
        Recovery::Rollback(request) => RecoveryOut::Rollback { request },
        Recovery::Unknown(reason) => RecoveryOut::Unknown { reason },
    })
}

/// `readRollback(pg, answer)` → `null` when the PG's answer to a `recovery` rollback says the lost
/// call was undone, else why not (the PG's code and message; `recover::read_rollback`).
#[wasm_bindgen(js_name = readRollback)]
pub fn read_rollback(
    #[wasm_bindgen(unchecked_param_type = "PgName")] pg_name: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] answer: JsValue,
) -> Result<Option<String>, JsValue> {
    let pg = pg_of(pg_name)?;
    let answer = params_of("answer", answer)?;
    Ok(pg::call::recover::read_rollback(pg, &answer).err())
}

/// `readResponse(pg, call, body, key, options?)` → the verified result of a server call's answer
/// (`call::read_response`: approvals, cancels, partial cancels, refunds, capture, lookup).
/// `body` and `options` as for [`verify`].
#[wasm_bindgen(js_name = readResponse, unchecked_return_type = "VerifiedResult")]
pub fn read_response(
    pg_name: &str,
    call: &str,
    #[wasm_bindgen(unchecked_param_type = "string | Record<string, string>")] body: JsValue,
    key: &str,
    #[wasm_bindgen(unchecked_param_type = "VerifyOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let pg = pg_of(pg_name)?;
    let call = call_of(pg, call)?;
    let opts = params_of("options", options)?;
    let v = verify_of(pg::MessageKind::Approval, key, &opts)?;
    let params = body_params(pg, body)?;
    to_js(&pg::call::read_response(pg, call, &params, &v))
}

// The object types the functions above name (`unchecked_*_type`), for the generated .d.ts.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A signed checkout form (`hanpay form`'s shape). */
export interface SignedForm {
  pg: PgName;
  action: string;
  method: string;
  accept_charset: string;
  target: string;
  fields: [string, string][];
}
/** One digest `digest(pg, name, args, key)` computes: the field it fills, its inputs in order
 * (the PG's own names) and where the layout is documented. */
export interface DigestInfo {
  name: string;
  field: string;
  args: string[];
  source: string;
}
/** The options of `verify` and `readResponse`. */
export interface VerifyOptions {
  mode?: "test" | "live";
  peerIp?: string;
  expectOrder?: string;
  expectTid?: string;
  expectAmount?: string | number;
}
/** The verified result (`hanpay verify`'s shape; `PaymentResult` in hanpay/server's types). Not
 * named `PaymentResult` here: the browser surface's relayed result of that name is in the same
 * generated .d.ts, and the two declarations would merge into a type TypeScript refuses. */
export interface VerifiedResult {
  status: string;
  authentic: boolean | null;
  success: boolean;
  code: string;
  message: string;
  amount: number | null;
  tid: string;
  order_id: string;
  reply: string | null;
  pg: string;
  kind: "return" | "notice" | "approval";
  method: string;
  deposit_amount: number | null;
  expected_amount: number | null;
  next: string | null;
  reason: string | null;
  remaining: number | null;
}
/** A return post read (`readReturn`): `next` is the browser step for `complete`, or null. */
export interface ReturnedPost {
  result: VerifiedResult;
  cancelled: boolean;
  next: ({ pg: string; orderId: string; next: string } & Record<string, string>) | null;
}
/** One server-to-server request (`hanpay request`'s shape). */
export interface Request {
  method: string;
  url: string;
  content_type: string;
  fields: Record<string, string>;
}
export interface CompletedRequest extends Request {
  pg: string;
  call: string;
}
/** The payment a lifecycle step acts on (`lifecycle`, hanpay/server's `client.change`), from the
 * merchant's own record. */
export interface LifecycleChange {
  tid?: string;
  orderId?: string;
  /** The PG's own method value from the approval (KISPG `payMethod`). */
  method?: string;
  orderAmount?: number;
  /** What remains before this change; default the order amount. */
  remaining?: number;
  /** This change's amount (partial cancel, partial refund). */
  amount?: number;
  reason?: string;
  refund?: { bank: string; account: string; holder: string };
}
export type Recovery =
  | { action: "lookup" | "rollback"; request: Request }
  | { action: "unknown"; reason: string };
"#;
