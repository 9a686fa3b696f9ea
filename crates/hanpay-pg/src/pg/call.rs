//! The merchant server's calls to a PG, sans-IO: each builder turns the PG's own parameter names
//! into a [`Request`] (method, URL, content type, body fields), filling what hanpay computes —
//! hashes, `ediDate` and timestamps from the caller's clock, XPay's `LGD_TXID`/`LGD_AUTHCODE` —
//! and validating every field against the manual's table like forms are. Sending the request is
//! the caller's; its response is read with [`read_response`] (approvals through [`super::verify`]
//! as [`super::MessageKind::Approval`], cancels, captures and lookups by each PG's reader here).
//!
//! One builder file per PG (`<pg>/call.rs`) cites its manual section. [`Next`] is the step the
//! browser adapters resolve (`{pg, orderId, next, …}`), and [`complete`] turns it and the
//! merchant's own order into the server request, always with the order's own amount.

use crate::prelude::*;

use core::fmt;
use core::str::FromStr;

use super::result::{judge, MessageKind, Outcome, PaymentResult, Reading, Status, Verify};
use super::{validate, FieldSpec, KstTime, Mode, Params, Pg};
use crate::form::{Rule, ValidationError};
use crate::text::Charset;

pub mod lifecycle;
pub mod recover;
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod wire;

use lifecycle::{Change, Op};
use recover::Recovery;

// `Pg::server`, generated from `data/pg/*.json` (build/pg.rs): each PG's `<pg>::call::SERVER`.
include!(concat!(env!("OUT_DIR"), "/pg_server_registry.rs"));

/// Everything the merchant server does with one PG (`<pg>::call::SERVER`; [`Pg::server`]): the
/// calls it has, how each is built and its answer read, what a lost answer leaves, and the
/// generic lifecycle in its names. The functions below dispatch through it and nowhere else.
pub struct Server {
    /// The calls the PG has, in lifecycle order.
    pub calls: &'static [Call],
    /// Builds one of `calls` (the caller has checked it is one).
    pub(crate) request: fn(Call, Params, &str, Mode, KstTime) -> Result<Request, ValidationError>,
    /// Reads the answer of one of `calls` that is not an approval (cancels, captures, lookups).
    pub(crate) read: fn(Call, &Params) -> Reading,
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
    /// Reads the answer to the PG's [`Recovery::Rollback`] ([`recover::read_rollback`]): `Ok`
    /// when the PG undid the lost call, else its code and message. [`no_rollback`] for a PG whose
    /// `recovery` never asks for one.
    pub(crate) rollback_answer: fn(&Params) -> Result<(), String>,
    /// The generic lifecycle step in the PG's names ([`lifecycle::lifecycle`]): sets the fields on
    /// the merchant's parameters and names the call; `amount` is what this change moves.
    pub(crate) lifecycle: fn(Op, &Change, &mut Params, u64) -> Result<Call, ValidationError>,
    /// The call that must follow a recorded outcome ([`follow_up`]).
    pub(crate) follow_up: fn(Call, &Request, &PaymentResult) -> Option<Request>,
    /// The signature the merchant makes with its own private key ([`key_signature`]).
    pub(crate) key_signature: fn(Call, &Params) -> Option<KeySignature>,
    /// The server call a phone checkout needs before its form, if the PG has one
    /// ([`crate::order::Order::registration`]).
    pub(crate) phone_registration: Option<PhoneRegistration>,
}

/// A phone checkout whose form is bound to a call the merchant's server makes first (KCP's
/// trade registration, which issues the `approval_key` the phone page takes: notes §3.3).
/// Both halves start from the order's validated form in the PG's own names.
pub(crate) struct PhoneRegistration {
    /// The call, from that form and the order's return URL.
    pub request:
        fn(&crate::form::CheckoutForm, &str, Mode, KstTime) -> Result<Request, ValidationError>,
    /// The phone form, from that form, the return URL and the call's answer (refused answers
    /// are errors on the field the answer should have carried).
    pub form: fn(
        &crate::form::CheckoutForm,
        &str,
        &Params,
    ) -> Result<crate::form::CheckoutForm, ValidationError>,
}

/// [`Server::key_signature`] of a PG whose calls the merchant does not sign with a private key.
pub(crate) fn no_key_signature(_: Call, _: &Params) -> Option<KeySignature> {
    None
}

/// [`Server::rollback_answer`] of a PG without a net cancel: no answer is a rollback done.
pub(crate) fn no_rollback(_: &Params) -> Result<(), String> {
    Err("this PG has no rollback".into())
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
    pub(crate) fn post(
        url: impl Into<String>,
        content_type: &'static str,
        fields: Params,
    ) -> Request {
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
    /// phone checkout posts. Its answer is read by [`crate::pg::order::Order::registered_checkout`]
    /// (through the PG's `Server::phone_registration`).
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

/// How a PG's post to the merchant's return URL is read ([`read_return`]; [`Pg::returns`],
/// generated from `data/pg/<pg>.json` `return`).
pub struct Return {
    /// The fields of the post that name the order, the first non-empty one taken; none when
    /// the PG posts no order id (XPay, KSNET): the merchant's own return URL then carries it.
    pub order_fields: &'static [&'static str],
    /// What the return page must do besides relaying the step, when the PG's script reads the
    /// page itself (XPay).
    pub page: Option<ReturnPage>,
    /// The merchant's relay page on a PC, when the PG posts the browser step to a page of the
    /// merchant's inside its window that hands it to the PG's page around it (KSNET's
    /// `sndReply`).
    pub relay: Option<RelayPage>,
    /// Whether a post that is not a success is the buyer leaving the PG's window.
    pub(crate) cancel: fn(&Params) -> bool,
    /// The server steps a successful browser step may leave due.
    pub steps: &'static [StepSpec],
}

impl Return {
    /// Whether `post` is the buyer leaving the PG's window (the data file's `cancel`); read on
    /// its own by a [`RelayPage`], which relays before anything is verified.
    pub fn is_cancel(&self, post: &Params) -> bool {
        (self.cancel)(post)
    }

    /// The order `post` names ([`Return::order_fields`]), or `None` when it names none.
    pub fn order_in<'a>(&self, post: &'a Params) -> Option<&'a str> {
        self.order_fields
            .iter()
            .map(|f| post.str(f))
            .find(|v| !v.is_empty())
    }
}

/// A return page the PG's own script reads: it is loaded inside the PG's frame, holds `inputs`
/// (the post's values, each input's `id` its name) in the form with id `form`, and calls
/// `parent.<parent_call>()` when it loads (XPay's `LGD_RETURNURL`, notes §1.5).
#[derive(Debug, Clone, Copy)]
pub struct ReturnPage {
    pub form: &'static str,
    pub inputs: &'static [&'static str],
    pub parent_call: &'static str,
}

/// A relay page the merchant serves on a PC at the URL the checkout's `field` names: loaded
/// inside the PG's window, it calls `call(values…)` then `then()` on the window's opener (a
/// popup) or parent (a frame) with the post's `values`, or `cancel_call()` for the buyer's
/// cancel ([`Return::is_cancel`]) — what KSNET's official `kspay_wh_rcv` page does with
/// `eparamSet`, `goResult` and `mcancel` (notes §4.1). The page's script is the merchant's;
/// the names are the PG's.
#[derive(Debug, Clone, Copy)]
pub struct RelayPage {
    pub field: &'static str,
    pub values: &'static [&'static str],
    pub call: &'static str,
    pub then: &'static str,
    pub cancel_call: &'static str,
}

/// One server step of a PG: its `next` name, the call it runs, and which values of the browser
/// step it carries.
#[derive(Debug)]
pub struct StepSpec {
    /// The `next` value of the step (`payment_by_key`, `approve`, `fetch_result`).
    pub next: &'static str,
    /// Other `next` values accepted for it (KISPG's call name `payment`).
    pub also: &'static [&'static str],
    pub call: Call,
    /// `(name in the post and in the step, name in the request)` of each value the call sends.
    pub values: &'static [(&'static str, &'static str)],
    /// Values relayed with the step but never sent (KISPG's `amt`, the browser's echo).
    pub echo: &'static [&'static str],
    /// The request field the order's own amount goes in, when the call sends one.
    pub amount: Option<&'static str>,
    /// The request field that names the order's method again, when the call has one (KCP's
    /// `pay_type`): the merchant's configuration for it comes from [`method_config`].
    pub method: Option<MethodField>,
}

/// A request field naming the order's method in the PG's codes ([`StepSpec::method`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodField {
    pub field: &'static str,
    /// The PG's code for each method (every method has one: `build/pg.rs` checks).
    pub codes: &'static [(crate::method::Method, &'static str)],
}

/// The merchant configuration that names the order's method at `pg`'s server steps (KCP's
/// `pay_type`, from `data/pg/kcp.json`), to merge into the `merchant` parameters of
/// [`complete`]; empty for a PG whose steps do not name it.
pub fn method_config(pg: Pg, method: crate::method::Method) -> Params {
    let mut p = Params::new();
    for f in pg.returns().steps.iter().filter_map(|s| s.method) {
        if let Some((_, code)) = f.codes.iter().find(|(m, _)| *m == method) {
            p.set(f.field, *code);
        }
    }
    p
}

impl StepSpec {
    /// The step of `pg` named `next` (or one of its `also` names).
    pub fn named(pg: Pg, next: &str) -> Option<&'static StepSpec> {
        pg.returns()
            .steps
            .iter()
            .find(|s| s.next == next || s.also.contains(&next))
    }

    /// The step of `pg` that runs `call`.
    pub fn of(pg: Pg, call: Call) -> Option<&'static StepSpec> {
        pg.returns().steps.iter().find(|s| s.call == call)
    }

    /// Every name the step's values and echoes go by, in order.
    fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.values
            .iter()
            .map(|(k, _)| *k)
            .chain(self.echo.iter().copied())
    }

    /// The step's values and echoes as `source` names them, the empty ones left out.
    fn pick(&self, source: &Params) -> Params {
        Params(
            self.keys()
                .filter_map(|k| {
                    let v = source.str(k);
                    (!v.is_empty()).then(|| (k.to_string(), v.to_string()))
                })
                .collect(),
        )
    }
}

/// What the merchant server does after the browser step: the `{pg, orderId, next, …}` object the
/// browser adapters resolve (`crates/hanpay-web/src/adapters/flow.rs` `next_step`) and [`read_return`] gives,
/// with the PG-native values the call needs ([`StepSpec`]). (De)serializes to exactly that
/// shape; other keys of the object (`success`, `LGD_RESPMSG`, …) are ignored on input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub pg: Pg,
    /// The order the browser step was for; [`complete`] refuses another order's step.
    pub order_id: String,
    pub step: Step,
}

/// The server step and the values the browser step returned for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `call` is due, with the browser step's values in the PG's own names (the [`StepSpec`]'s
    /// `values` and `echo`; empty ones left out): XPay `payment_by_key` with `LGD_PAYKEY`; KCP
    /// `approve` with `enc_data`, `enc_info`, `tran_cd`; KSNET `fetch_result` with `reCommConId`;
    /// KISPG `payment` with `tid` (and the `amt` echo, never sent); SMARTRO PAY `approve` with
    /// `Tid` and `TrAuthKey`.
    Call { call: Call, values: Params },
    /// Nothing left to call (Smartro approves inside its window).
    Done,
    /// A virtual account was issued; the deposit notice finishes the order.
    AwaitDeposit,
}

impl serde::Serialize for Next {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap as _};
        let (next, values) = match &self.step {
            Step::Done => ("done", None),
            Step::AwaitDeposit => ("await_deposit", None),
            Step::Call { call, values } => match StepSpec::of(self.pg, *call) {
                Some(spec) => (spec.next, Some((spec, values))),
                None => {
                    return Err(S::Error::custom(
                        "no browser step of this PG runs this call",
                    ))
                }
            },
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("pg", self.pg.name())?;
        m.serialize_entry("orderId", &self.order_id)?;
        m.serialize_entry("next", next)?;
        if let Some((spec, values)) = values {
            for (k, v) in spec.pick(values).0 {
                m.serialize_entry(&k, &v)?;
            }
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for Next {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Next, D::Error> {
        use serde::de::Error as _;
        // The object's flat values (`Params`' own reader); keys no step names are ignored.
        let flat = <Params as serde::Deserialize>::deserialize(d)?;
        let name = flat.str("pg");
        let pg =
            Pg::from_name(name).ok_or_else(|| D::Error::custom(format!("unknown pg {name:?}")))?;
        let next = flat
            .get("next")
            .ok_or_else(|| D::Error::missing_field("next"))?;
        let step = match next {
            "done" => Step::Done,
            "await_deposit" => Step::AwaitDeposit,
            other => {
                let spec = StepSpec::named(pg, other).ok_or_else(|| {
                    D::Error::custom(format!("next {other:?} does not apply to {}", pg.name()))
                })?;
                Step::Call {
                    call: spec.call,
                    values: spec.pick(&flat),
                }
            }
        };
        Ok(Next {
            pg,
            order_id: flat.str("orderId").to_string(),
            step,
        })
    }
}

impl Next {
    /// The server call this step runs, or `None` when nothing is left to call.
    pub fn call(&self) -> Option<Call> {
        match self.step {
            Step::Call { call, .. } => Some(call),
            Step::Done | Step::AwaitDeposit => None,
        }
    }
}

/// The PG's post to the merchant's return URL, read ([`read_return`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    /// The post as a [`MessageKind::Return`] message, verified and bound to the order.
    pub result: PaymentResult,
    /// The post is the buyer leaving the PG's window (its cancel code), not a refusal.
    pub cancelled: bool,
    /// What the merchant server does next: the server step an authenticated post leaves due,
    /// [`Step::Done`] or [`Step::AwaitDeposit`] for a post that is the payment itself (Smartro);
    /// `None` when the post failed, was cancelled or is rejected.
    pub next: Option<Next>,
}

/// Reads the post the PG sends (through the buyer's browser) to the merchant's return URL:
/// `ReturnURL`, `Ret_URL`, `LGD_RETURNURL`, `sndReply`, `returnUrl`, `ReturnUrl`.
///
/// `v` is [`Verify`] with the merchant's key and, as [`super::Expect`], the order it created:
/// its id and amount. A post that names an order (KCP `ordr_idxx`, KISPG `ordNo`, Smartro `OID`,
/// SMARTRO PAY `Moid`; [`Return::order_fields`]) must name that one; one that names none (XPay,
/// KSNET) is taken as the order the merchant's own return URL named. A post that carries an
/// amount must carry the order's. Signed posts (Smartro, KISPG) must verify.
///
/// The browser step moves no money except at Smartro, whose post is the payment: an
/// authenticated post gives the [`Next`] server step with the post's values ([`StepSpec`]);
/// a post that lacks one of them is `failed`. A failure that is the PG's cancel code is
/// `cancelled`.
pub fn read_return(pg: Pg, post: &Params, v: &Verify<'_>) -> Returned {
    let spec = pg.returns();
    let mut v = v.clone();
    v.kind = MessageKind::Return;
    let expected = v.expect.order_id.clone();
    if spec.order_fields.is_empty() {
        v.expect.order_id = None;
    }
    let mut result = super::verify(pg, post, &v);
    if result.order_id.is_empty() {
        result.order_id = expected.unwrap_or_default();
    }
    let step = match result.status {
        Status::Authenticated => {
            let step = result
                .next
                .and_then(|n| StepSpec::named(pg, n))
                .filter(|s| s.values.iter().all(|(k, _)| !post.str(k).is_empty()));
            if step.is_none() {
                // An authentication without the values its server step needs (XPay's
                // `LGD_PAYKEY`): nothing to call, nothing paid.
                result.status = Status::Failed;
                result.next = None;
            }
            step.map(|s| Step::Call {
                call: s.call,
                values: s.pick(post),
            })
        }
        Status::Paid => Some(Step::Done),
        Status::Pending => Some(Step::AwaitDeposit),
        _ => None,
    };
    let cancelled = result.status == Status::Failed && (spec.cancel)(post);
    Returned {
        next: step.map(|step| Next {
            pg,
            order_id: result.order_id.clone(),
            step,
        }),
        cancelled,
        result,
    }
}

/// The call that must follow `call` once its outcome is recorded: KSNET's confirmation
/// `sndActionType=3` ("정상처리가 완료되었을 경우 호출", notes §4.1) after a fetched result that is
/// paid or pending, for the same `sndCommConId`. `None` for every other call and outcome.
pub fn follow_up(pg: Pg, call: Call, sent: &Request, result: &PaymentResult) -> Option<Request> {
    (pg.server().follow_up)(call, sent, result)
}

/// A signature only the merchant can make: with its own RSA private key, which hanpay never
/// holds (KCP `kcp_sign_data`, notes §3.2). The transport signs `input` (UTF-8) with RSA
/// PKCS#1 v1.5 over SHA-256 and puts the base64 signature in `field` before building the
/// request: hanpay-client's `kcp_private_key`, the Node client's `kcpPrivateKey`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeySignature {
    pub field: &'static str,
    pub input: String,
}

/// What the merchant must sign for `call` with the parameters `params` (in the PG's names,
/// merchant configuration merged), or `None`: the PG signs no such call, or `params` already
/// carries the signature.
pub fn key_signature(pg: Pg, call: Call, params: &Params) -> Option<KeySignature> {
    (pg.server().key_signature)(call, params).filter(|s| params.str(s.field).is_empty())
}

/// The merchant's own record of the order: the id and the amount it charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRef<'a> {
    pub id: &'a str,
    pub amount: u64,
}

/// The server request that finishes the browser step `next` for `order`, or `None` when there is
/// nothing to call. `merchant` carries the merchant's configuration in the PG's names (XPay
/// `CST_MID`; KCP `site_cd`, `kcp_cert_info`, `pay_type` from [`method_config`]; KISPG `mid`). The amount sent is always
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
    let Step::Call { call, values } = &next.step else {
        return Ok(None);
    };
    let Some(spec) = StepSpec::of(next.pg, *call) else {
        return Err(ValidationError::new(
            "next",
            Rule::OneOf,
            format!("no browser step of {} runs {call}", next.pg.name()),
        ));
    };
    let mut p = merchant;
    for (from, to) in spec.values {
        p.set(to, values.str(from));
    }
    // The order's own amount, never the browser's (SMARTRO PAY's approval sends none: its
    // answer's `Amt` is checked against `order.amount` when it is verified, S2/S5).
    if let Some(field) = spec.amount {
        p.set(field, order.amount.to_string());
    }
    let call = *call;
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
///   readers of `<pg>/call.rs`, each from its manual's response table and code list. A cancel
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
                "a trade registration moves no money: its answer goes to Order::registered_checkout",
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
