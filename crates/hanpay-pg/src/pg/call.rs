//! The merchant server's calls to a PG, sans-IO: each builder turns the PG's own parameter names
//! into a [`Request`] (method, URL, content type, body fields), filling what hanpay computes —
//! hashes, `ediDate` and timestamps from the caller's clock, XPay's `LGD_TXID`/`LGD_AUTHCODE` —
//! and validating every field against the manual's table like forms are. Sending the request is
//! the caller's; its response is read with [`read_response`] (approvals through [`super::verify`]
//! as [`super::MessageKind::Approval`], cancels, captures and lookups by each PG's reader here).
//!
//! One builder file per PG (`call/<pg>.rs`) cites its manual section. [`Next`] is the step the
//! browser adapters resolve (`{pg, orderId, next, …}`), and [`complete`] turns it and the
//! merchant's own order into the server request, always with the order's own amount.

use crate::prelude::*;

use core::fmt;
use core::str::FromStr;

use super::result::{judge, MessageKind, Outcome, PaymentResult, Reading, Status, Verify};
use super::{validate, FieldSpec, KstTime, Mode, Params, Pg};
use crate::form::{Rule, ValidationError};
use crate::text::Charset;

pub mod kcp;
pub mod kispg;
pub mod kspay;
pub mod lifecycle;
pub mod recover;
pub mod smartro;
pub mod smartropay;
pub mod xpay;

use lifecycle::{Change, Op};
use recover::Recovery;

// `Pg::server`, generated from `data/pg/*.json` (build/pg.rs): each PG's `call::<pg>::SERVER`.
include!(concat!(env!("OUT_DIR"), "/pg_server_registry.rs"));

/// Everything the merchant server does with one PG (`call::<pg>::SERVER`; [`Pg::server`]): the
/// calls it has, how each is built and its answer read, what a lost answer leaves, and the
/// generic lifecycle in its names. The functions below dispatch through it and nowhere else.
pub struct Server {
    /// The calls the PG has, in lifecycle order.
    pub calls: &'static [Call],
    /// Builds one of `calls` (the caller has checked it is one).
    pub(crate) request: fn(Call, Params, &str, Mode, KstTime) -> Result<Request, ValidationError>,
    /// Reads the answer of one of `calls` that is not an approval (cancels, captures, lookups).
    pub(crate) read: fn(Call, &Params) -> Reading,
    /// The PG's browser step (`next` and its values) as a typed [`Step`], or `None` when the
    /// step does not belong to this PG. `done` and `await_deposit` are every PG's.
    pub(crate) step: fn(&str, &mut NextWire) -> Option<Step>,
    /// Whether the cancel answer names the amount this cancel took (bound in [`read_response`]).
    pub cancel_amount_binds: bool,
    /// The charset of request bodies ([`recover::request_charset`]).
    pub request_charset: Charset,
    /// The charset of an answer without one in its `Content-Type` ([`recover::response_charset`]).
    pub(crate) response_charset: fn(&Request) -> Charset,
    /// What to do when the answer to `sent` was lost ([`recover::recovery`]): the order amount,
    /// key, mode, clock and the transport's cause.
    #[allow(clippy::type_complexity)]
    pub(crate) recovery:
        fn(&Request, Option<u64>, &str, Mode, KstTime, &str) -> Result<Recovery, ValidationError>,
    /// The generic lifecycle step in the PG's names ([`lifecycle::lifecycle`]): sets the fields on
    /// the merchant's parameters and names the call; `amount` is what this change moves.
    pub(crate) lifecycle: fn(Op, &Change, &mut Params, u64) -> Result<Call, ValidationError>,
    /// The call that must follow a recorded outcome ([`follow_up`]).
    pub(crate) follow_up: fn(Call, &Request, &PaymentResult) -> Option<Request>,
}

/// [`Server::follow_up`] of a PG whose calls need none.
pub(crate) fn no_follow_up(_: Call, _: &Request, _: &PaymentResult) -> Option<Request> {
    None
}

/// [`Server::response_charset`] of a PG that always answers in UTF-8.
pub(crate) fn utf8(_: &Request) -> Charset {
    Charset::Utf8
}

/// `application/x-www-form-urlencoded`: XPay, Smartro and KSNET bodies.
pub const FORM: &str = "application/x-www-form-urlencoded";
/// `application/json`: KCP's REST gateway and KISPG.
pub const JSON: &str = "application/json";

/// One server-to-server request: what to send where. `fields` is the body as flat strings, in
/// the order the PG's sample sends them; encode it as `content_type` says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub content_type: &'static str,
    pub fields: Params,
}

impl Request {
    fn post(url: impl Into<String>, content_type: &'static str, fields: Params) -> Request {
        Request {
            method: "POST",
            url: url.into(),
            content_type,
            fields,
        }
    }

    /// `{"method","url","content_type","fields":{…}}` (the CLI's output; the derived
    /// `Serialize`).
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The body as a JSON object, for `content_type` [`JSON`].
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn json_body(&self) -> String {
        self.fields.to_json()
    }
}

/// A server-to-server call. Names are the CLI's and the `next` values of [`Next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Call {
    /// XPay `PaymentByKey` (manual 000 §6.5).
    PaymentByKey,
    /// KCP approval with `enc_data`/`enc_info` and the merchant's `ordr_mony` (003 참고사항 4);
    /// SMARTRO PAY `urlCallApproval.do` with `Tid` and `TrAuthKey`.
    Approve,
    /// KSNET result fetch, `sndActionType=1` (notes §4.1).
    FetchResult,
    /// KSNET confirmation after processing, `sndActionType=3` (notes §4.1).
    ConfirmResult,
    /// KISPG `/v2/payment` (manual 004 §3.2.1).
    Payment,
    /// Full cancel.
    Cancel,
    /// Partial cancel.
    PartialCancel,
    /// KISPG refund of a deposited virtual account to the buyer's account (004:L389-391).
    Refund,
    /// KCP acquisition request `STMR` (manual 003 §4, manual-acquisition merchants).
    Capture,
    /// KISPG `/v2/order` lookup (manual 004 §3.4.1).
    Order,
    /// KCP mobile trade registration (`trade/register.do`, notes §3.3): the `approval_key` a
    /// phone checkout posts. Read its answer with [`kcp::read_trade_registration`].
    TradeRegister,
}

impl Call {
    pub const ALL: [Call; 11] = [
        Call::PaymentByKey,
        Call::Approve,
        Call::FetchResult,
        Call::ConfirmResult,
        Call::Payment,
        Call::Cancel,
        Call::PartialCancel,
        Call::Refund,
        Call::Capture,
        Call::Order,
        Call::TradeRegister,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Call::PaymentByKey => "payment_by_key",
            Call::Approve => "approve",
            Call::FetchResult => "fetch_result",
            Call::ConfirmResult => "confirm_result",
            Call::Payment => "payment",
            Call::Cancel => "cancel",
            Call::PartialCancel => "partial_cancel",
            Call::Refund => "refund",
            Call::Capture => "capture",
            Call::Order => "order",
            Call::TradeRegister => "trade_register",
        }
    }

    /// The calls `pg` has, in lifecycle order.
    pub fn of(pg: Pg) -> &'static [Call] {
        pg.server().calls
    }

    /// The `one_of` error for a call name `pg` does not have.
    pub fn unknown(pg: Pg) -> ValidationError {
        let names: Vec<&str> = Call::of(pg).iter().map(|c| c.as_str()).collect();
        ValidationError::new(
            "call",
            Rule::OneOf,
            format!("{} calls: {}", pg.name(), names.join("|")),
        )
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A call name that is none of [`Call::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCall;

impl FromStr for Call {
    type Err = UnknownCall;
    fn from_str(s: &str) -> Result<Call, UnknownCall> {
        Call::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(UnknownCall)
    }
}

/// Builds `call` of `pg` from the PG's own parameter names. `key` is the merchant key where the
/// PG signs (XPay MertKey, Smartro/KISPG merchantKey); `now` stamps `ediDate`/`LGD_TXID` and
/// bounds freshness. Fails on a call `pg` does not have (field `call`, rule `one_of`).
pub fn request(
    pg: Pg,
    call: Call,
    params: Params,
    key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<Request, ValidationError> {
    if !Call::of(pg).contains(&call) {
        return Err(Call::unknown(pg));
    }
    (pg.server().request)(call, params, key, mode, now)
}

/// Sets a field whose value hanpay decides for this call; a caller-given different value is a
/// conflict rather than silently replaced (`PartialCancelCode` 1 on a `cancel`, …).
pub(crate) fn fixed(p: &mut Params, name: &str, value: &str) -> Result<(), ValidationError> {
    let given = p.str(name);
    if !given.is_empty() && given != value {
        return Err(ValidationError::new(
            name,
            Rule::Conflict,
            format!("this call sends {name}={value}"),
        ));
    }
    p.set(name, value);
    Ok(())
}

/// Validates `p` against `spec` and keeps only the table's fields, in table order, non-empty:
/// input-only values (e.g. XPay `CST_MID`) and unknown names never reach the PG.
pub(crate) fn body(
    p: &Params,
    spec: &[FieldSpec],
    charset: Charset,
    forbidden: &[&str],
) -> Result<Params, ValidationError> {
    let known = Params(
        p.0.iter()
            .filter(|(k, _)| spec.iter().any(|f| f.name == k))
            .cloned()
            .collect(),
    );
    validate(&known, spec, charset, forbidden)?;
    Ok(Params(
        spec.iter()
            .filter_map(|f| {
                let v = p.str(f.name);
                (!v.is_empty()).then(|| (f.name.to_string(), v.to_string()))
            })
            .collect(),
    ))
}

/// The parsed amount of a field already validated as digits (0 when absent).
pub(crate) fn amount_of(p: &Params, name: &str) -> u64 {
    super::amount(p.str(name)).unwrap_or(0)
}

/// `name` must be a positive amount (the manuals cancel no zero amounts).
pub(crate) fn positive(p: &Params, name: &str) -> Result<u64, ValidationError> {
    match super::amount(p.str(name)) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(ValidationError::new(
            name,
            Rule::Digits,
            "a positive amount",
        )),
    }
}

/// `part` may not exceed `whole` (a partial cancel above what remains, tax-free above total).
pub(crate) fn at_most(p: &Params, part: &str, whole: &str) -> Result<(), ValidationError> {
    let (a, b) = (amount_of(p, part), amount_of(p, whole));
    if !p.str(part).is_empty() && !p.str(whole).is_empty() && a > b {
        return Err(ValidationError::new(
            part,
            Rule::Sum,
            format!("{a} exceeds {whole} {b}"),
        ));
    }
    Ok(())
}

/// Either all of `names` are given or none (refund account fields).
pub(crate) fn all_or_none(p: &Params, names: &[&str]) -> Result<(), ValidationError> {
    let given = names.iter().filter(|n| !p.str(n).is_empty()).count();
    if given != 0 && given != names.len() {
        if let Some(missing) = names.iter().find(|n| p.str(n).is_empty()) {
            return Err(ValidationError::new(
                missing,
                Rule::Required,
                format!("required with {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}

/// What the merchant server does after the browser step: the `{pg, orderId, next, …}` object the
/// browser adapters resolve (`src/web/adapters/flow.rs` `next_step`) and the sandbox's return
/// page relays, with the PG-native values the call needs. (De)serializes to exactly that shape;
/// other keys of the object (`success`, `LGD_RESPCODE`, …) are ignored on input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "NextWire", into = "NextWire")]
pub struct Next {
    pub pg: Pg,
    /// The order the browser step was for; [`complete`] refuses another order's step.
    pub order_id: String,
    pub step: Step,
}

/// The server step and the values the browser step returned for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// XPay: `next: "payment_by_key"` with `LGD_PAYKEY`.
    PaymentByKey { paykey: String },
    /// KCP: `next: "approve"` with `enc_data`, `enc_info`, `tran_cd`.
    Approve {
        enc_data: String,
        enc_info: String,
        tran_cd: String,
    },
    /// KSNET: `next: "fetch_result"` with `reCommConId`.
    FetchResult { re_comm_con_id: String },
    /// KISPG: `next: "approve"` (the adapters' and sandbox's name; `"payment"` is accepted) with
    /// `tid` and `amt`. `amt` is the browser's echo and is never sent: the order's amount is.
    Payment { tid: String, amt: String },
    /// SMARTRO PAY: `next: "approve"` with `Tid` and `TrAuthKey` (the Callback's values).
    UrlCallApproval { tid: String, tr_auth_key: String },
    /// Nothing left to call (Smartro approves inside its window).
    Done,
    /// A virtual account was issued; the deposit notice finishes the order.
    AwaitDeposit,
}

/// The wire shape of [`Next`]: one flat object, PG-native keys.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct NextWire {
    pub(crate) pg: String,
    #[serde(rename = "orderId", default)]
    pub(crate) order_id: String,
    pub(crate) next: String,
    #[serde(
        rename = "LGD_PAYKEY",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub(crate) lgd_paykey: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) enc_data: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) enc_info: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) tran_cd: String,
    #[serde(
        rename = "reCommConId",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub(crate) re_comm_con_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) tid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) amt: String,
    #[serde(rename = "Tid", default, skip_serializing_if = "String::is_empty")]
    pub(crate) smartropay_tid: String,
    #[serde(
        rename = "TrAuthKey",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub(crate) tr_auth_key: String,
}

impl From<Next> for NextWire {
    fn from(n: Next) -> NextWire {
        let mut w = NextWire {
            pg: n.pg.name().to_string(),
            order_id: n.order_id,
            next: String::new(),
            lgd_paykey: String::new(),
            enc_data: String::new(),
            enc_info: String::new(),
            tran_cd: String::new(),
            re_comm_con_id: String::new(),
            tid: String::new(),
            amt: String::new(),
            smartropay_tid: String::new(),
            tr_auth_key: String::new(),
        };
        w.next = match n.step {
            Step::PaymentByKey { paykey } => {
                w.lgd_paykey = paykey;
                "payment_by_key"
            }
            Step::Approve {
                enc_data,
                enc_info,
                tran_cd,
            } => {
                w.enc_data = enc_data;
                w.enc_info = enc_info;
                w.tran_cd = tran_cd;
                "approve"
            }
            Step::FetchResult { re_comm_con_id } => {
                w.re_comm_con_id = re_comm_con_id;
                "fetch_result"
            }
            Step::Payment { tid, amt } => {
                w.tid = tid;
                w.amt = amt;
                "approve"
            }
            Step::UrlCallApproval { tid, tr_auth_key } => {
                w.smartropay_tid = tid;
                w.tr_auth_key = tr_auth_key;
                "approve"
            }
            Step::Done => "done",
            Step::AwaitDeposit => "await_deposit",
        }
        .to_string();
        w
    }
}

impl TryFrom<NextWire> for Next {
    type Error = String;
    fn try_from(w: NextWire) -> Result<Next, String> {
        let pg = Pg::from_name(&w.pg).ok_or_else(|| format!("unknown pg {:?}", w.pg))?;
        let mut w = w;
        let next = core::mem::take(&mut w.next);
        let step = match next.as_str() {
            "done" => Step::Done,
            "await_deposit" => Step::AwaitDeposit,
            other => (pg.server().step)(other, &mut w)
                .ok_or_else(|| format!("next {other:?} does not apply to {}", pg.name()))?,
        };
        Ok(Next {
            pg,
            order_id: w.order_id,
            step,
        })
    }
}

impl Next {
    /// The server call this step runs, or `None` when nothing is left to call.
    pub fn call(&self) -> Option<Call> {
        match self.step {
            Step::PaymentByKey { .. } => Some(Call::PaymentByKey),
            Step::Approve { .. } => Some(Call::Approve),
            Step::FetchResult { .. } => Some(Call::FetchResult),
            Step::Payment { .. } => Some(Call::Payment),
            Step::UrlCallApproval { .. } => Some(Call::Approve),
            Step::Done | Step::AwaitDeposit => None,
        }
    }
}

/// The call that must follow `call` once its outcome is recorded: KSNET's confirmation
/// `sndActionType=3` ("정상처리가 완료되었을 경우 호출", notes §4.1) after a fetched result that is
/// paid or pending, for the same `sndCommConId`. `None` for every other call and outcome.
pub fn follow_up(pg: Pg, call: Call, sent: &Request, result: &PaymentResult) -> Option<Request> {
    (pg.server().follow_up)(call, sent, result)
}

/// The merchant's own record of the order: the id and the amount it charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRef<'a> {
    pub id: &'a str,
    pub amount: u64,
}

/// The server request that finishes the browser step `next` for `order`, or `None` when there is
/// nothing to call. `merchant` carries the merchant's configuration in the PG's names (XPay
/// `CST_MID`; KCP `site_cd`, `kcp_cert_info`, `pay_type`; KISPG `mid`). The amount sent is always
/// `order.amount` (XPay `LGD_AMOUNT` with `LGD_AMOUNTCHECKYN=Y`, KCP `ordr_mony`, KISPG
/// `goodsAmt`), never the browser's; a step for another order is refused (`orderId`, conflict).
pub fn complete(
    next: &Next,
    order: &OrderRef<'_>,
    merchant: Params,
    key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<Option<Request>, ValidationError> {
    if next.order_id != order.id {
        return Err(ValidationError::new(
            "orderId",
            Rule::Conflict,
            "the browser step is for another order",
        ));
    }
    let mut p = merchant;
    let amount = order.amount.to_string();
    let call = match &next.step {
        Step::Done | Step::AwaitDeposit => return Ok(None),
        Step::PaymentByKey { paykey } => {
            p.set("LGD_PAYKEY", paykey.as_str());
            p.set("LGD_AMOUNT", amount);
            Call::PaymentByKey
        }
        Step::Approve {
            enc_data,
            enc_info,
            tran_cd,
        } => {
            p.set("enc_data", enc_data.as_str());
            p.set("enc_info", enc_info.as_str());
            p.set("tran_cd", tran_cd.as_str());
            p.set("ordr_mony", amount);
            Call::Approve
        }
        Step::FetchResult { re_comm_con_id } => {
            p.set("sndCommConId", re_comm_con_id.as_str());
            Call::FetchResult
        }
        Step::Payment { tid, .. } => {
            p.set("tid", tid.as_str());
            p.set("goodsAmt", amount);
            Call::Payment
        }
        // The approval request carries no amount (S2, S5 of src/pg/smartropay.rs): the answer's
        // `Amt` is checked against `order.amount` when it is verified.
        Step::UrlCallApproval { tid, tr_auth_key } => {
            p.set("Tid", tid.as_str());
            p.set("TrAuthKey", tr_auth_key.as_str());
            Call::Approve
        }
    };
    request(next.pg, call, p, key, mode, now).map(Some)
}

/// Reads the response of `call` to `pg` — the PG's answer already decoded to flat fields (JSON
/// top-level values as strings; form, query or KSNET backtick bodies decoded) — into the one
/// verification contract. The message is always read as the response of the merchant's own
/// server call ([`MessageKind::Approval`]), whatever `v.kind` says.
///
/// - Approvals (`payment_by_key`, `approve`, `fetch_result`, `confirm_result`, `payment`) are
///   read by the PG's own reader ([`super::verify`]).
/// - Cancels, partial cancels, refunds, the KCP capture and the KISPG lookup are read by the
///   readers of `call/<pg>.rs`, each from its manual's response table and code list. A cancel
///   the PG refused is `failed` (never `cancelled`); one it accepted is `cancelled`, or
///   `partially_cancelled` while money remains; a KCP capture the PG accepted is `paid`.
/// - `v.expect` binds the response to the merchant's request: `tid` (the transaction the call
///   was for), `order_id`, and `amount` — for a cancel, the amount this call cancels; for a
///   lookup, the order amount. A response that names another transaction, order or cancelled
///   amount is `rejected`. A field the PG's answer leaves out (XPay's cancel answers only
///   `LGD_RESPCODE`/`LGD_RESPMSG`, 000 §7.2) is the request's: the merchant's own TLS call is
///   the proof that the answer is for it.
/// - A call `pg` does not have is `rejected`.
pub fn read_response(pg: Pg, call: Call, body: &Params, v: &Verify<'_>) -> PaymentResult {
    let mut v = v.clone();
    v.kind = MessageKind::Approval;
    if !Call::of(pg).contains(&call) {
        let mut r = Reading::new(pg);
        r.outcome = Outcome::Unsupported("this PG has no such server call");
        return judge(r, &v);
    }
    let mut r = match (pg, call) {
        (
            _,
            Call::PaymentByKey
            | Call::Approve
            | Call::FetchResult
            | Call::ConfirmResult
            | Call::Payment,
        ) => return super::verify(pg, body, &v),
        // Only KCP has a trade registration (its `calls`).
        (_, Call::TradeRegister) => {
            let mut r = Reading::new(pg);
            r.outcome = Outcome::Unsupported(
                "a trade registration moves no money: read it with call::kcp::read_trade_registration",
            );
            return judge(r, &v);
        }
        _ => (pg.server().read)(call, body),
    };
    // A KCP acquisition answer may name no amount: the order amount is then not checked.
    if call == Call::Capture && r.amount.is_none() {
        v.expect.amount = None;
    }
    if r.tid.is_empty() {
        r.tid = v.expect.tid.clone().unwrap_or_default();
    }
    if r.order_id.is_empty() {
        r.order_id = v.expect.order_id.clone().unwrap_or_default();
    }
    // A cancel's amount is compared in `judge` only for payments; compare it here, where the
    // PG's answer names the cancelled amount.
    let cancel_mismatch = matches!(r.outcome, Outcome::Cancelled | Outcome::PartiallyCancelled)
        && pg.server().cancel_amount_binds
        && matches!((v.expect.amount, r.amount), (Some(w), Some(a)) if w != a);
    let mut out = judge(r, &v);
    if cancel_mismatch && out.status != Status::Rejected {
        out.status = Status::Rejected;
        out.success = false;
        out.reason = Some("cancelled amount differs from the amount requested");
    }
    out
}
