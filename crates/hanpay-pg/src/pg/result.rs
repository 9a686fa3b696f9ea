//! The one verification contract every PG, surface and message goes through.
//!
//! A merchant ships goods on `success`, so the rules here are written from the attacker's and the
//! accountant's side (issue "Payment truth"; ../shared/notes/protocol-audit.md W1–W5, W9, M1):
//!
//! - The caller says what kind of message it is checking ([`MessageKind`]); the message never
//!   says it for itself. A kind the PG signs is authentic only with a valid signature: a missing
//!   or empty signature is a forgery, never "unsigned".
//! - A notice the PG does not sign is authentic only from the PG's published notifier addresses
//!   for the mode (KCP `common_return`, manual 003 §6; KISPG result source, manual 004 §2.2).
//! - [`Status`] says what happened to the money; `success` is true only for `paid` and
//!   `deposited`.
//! - A message for another order, another transaction or another amount than the merchant's own
//!   record ([`Expect`]) is `rejected`, even when it is authentic (security review finding 1:
//!   Smartro signs only TID + ResultCode, KSNET signs nothing).
//!
//! Each PG module only reads its message into a [`Reading`]; [`judge`] applies the rules, so no
//! PG can skip one.

use crate::prelude::*;

use super::{Mode, Pg};
use core::fmt;
use core::net::IpAddr;
use core::str::FromStr;

/// What happened to the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The PG took the money.
    Paid,
    /// The browser step (authentication) succeeded; a server step is still due (see `next`).
    Authenticated,
    /// A virtual account was issued; nothing was paid yet.
    Pending,
    /// Deposits reached the order amount.
    Deposited,
    /// Money arrived on the virtual account, but less than the order amount (split deposits).
    PartiallyDeposited,
    /// A payment, a deposit or a refund was cancelled.
    Cancelled,
    /// Part of a payment was cancelled and the rest is still paid (a partial cancel the PG
    /// accepted: XPay `PartialCancel`, Smartro `PartialCancelCode=1`, KCP `STPC`, KISPG
    /// `partCanFlg=1`). `remaining` says what is left when the PG reports it.
    PartiallyCancelled,
    /// The PG declined or the buyer gave up.
    Failed,
    /// Not authentic, not from the PG, not for this order, or not what this endpoint accepts.
    Rejected,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Paid,
        Status::Authenticated,
        Status::Pending,
        Status::Deposited,
        Status::PartiallyDeposited,
        Status::Cancelled,
        Status::PartiallyCancelled,
        Status::Failed,
        Status::Rejected,
    ];

    /// The name used in JSON, TypeScript and the bridge.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Paid => "paid",
            Status::Authenticated => "authenticated",
            Status::Pending => "pending",
            Status::Deposited => "deposited",
            Status::PartiallyDeposited => "partially_deposited",
            Status::Cancelled => "cancelled",
            Status::PartiallyCancelled => "partially_cancelled",
            Status::Failed => "failed",
            Status::Rejected => "rejected",
        }
    }

    /// Money for the order has fully moved to the merchant.
    pub fn is_success(self) -> bool {
        matches!(self, Status::Paid | Status::Deposited)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Status::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// Which message the caller is checking. It decides which signature or notifier check applies;
/// the message's own fields never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// What the PG posts back through the buyer's browser (return URL / result page).
    Return,
    /// A server-to-server notification (XPay CAS/ISP note, Smartro RetryURL, KCP
    /// `common_return`, KISPG result notice).
    Notice,
    /// The response of the merchant's own server call (XPay PaymentByKey, KCP approval, KSNET
    /// result fetch, KISPG `/v2/payment`).
    Approval,
}

impl MessageKind {
    pub const ALL: [MessageKind; 3] = [
        MessageKind::Return,
        MessageKind::Notice,
        MessageKind::Approval,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Return => "return",
            MessageKind::Notice => "notice",
            MessageKind::Approval => "approval",
        }
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MessageKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        MessageKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

/// The merchant's own record of the order, which a message must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    /// The order id the merchant sent to the PG.
    pub order_id: Option<String>,
    /// The order amount from the merchant's database (never from the message).
    pub amount: Option<u64>,
    /// The PG transaction id stored when the order was paid or its account issued; binds the
    /// fields a PG leaves unsigned (Smartro `Amt`/`OID`, XPay `LGD_CASFLAG`) to this order.
    pub tid: Option<String>,
}

/// How to verify one message: its kind, the merchant key, the mode, and for unsigned notices the
/// peer address the request came from.
#[derive(Debug, Clone)]
pub struct Verify<'a> {
    pub kind: MessageKind,
    pub key: &'a str,
    /// Selects the published notifier addresses (test and live lists differ; a test notifier is
    /// never trusted in live mode).
    pub mode: Mode,
    /// The TCP peer of a notice, or the client address the merchant's own reverse proxy put in
    /// its forwarding header. `None` makes every address-checked notice `rejected`.
    pub peer_ip: Option<&'a str>,
    /// Replaces the published notifier list (the sandbox's emulated notifier on 127.0.0.1).
    pub notifier_ips: Option<&'a [&'a str]>,
    pub expect: Expect,
}

impl<'a> Verify<'a> {
    /// A check of `kind` with `key` in live mode, nothing expected.
    pub fn new(kind: MessageKind, key: &'a str) -> Self {
        Verify {
            kind,
            key,
            mode: Mode::Live,
            peer_ip: None,
            notifier_ips: None,
            expect: Expect::default(),
        }
    }

    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    pub fn peer_ip(mut self, ip: &'a str) -> Self {
        self.peer_ip = Some(ip);
        self
    }

    pub fn notifier_ips(mut self, ips: &'a [&'a str]) -> Self {
        self.notifier_ips = Some(ips);
        self
    }

    pub fn expect_order(mut self, order_id: impl Into<String>) -> Self {
        self.expect.order_id = Some(order_id.into());
        self
    }

    pub fn expect_amount(mut self, amount: u64) -> Self {
        self.expect.amount = Some(amount);
        self
    }

    pub fn expect_tid(mut self, tid: impl Into<String>) -> Self {
        self.expect.tid = Some(tid.into());
        self
    }
}

/// A payment result or notification, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentResult {
    pub pg: Pg,
    pub kind: MessageKind,
    pub status: Status,
    /// `Some(true)`: the signature (or notifier address) checked out; `Some(false)`: it did not,
    /// or was missing; `None`: the PG signs nothing on this channel — the merchant's own TLS
    /// call (approval) or the server step that follows (returns of unsigned PGs) is the proof.
    pub authentic: Option<bool>,
    /// `status` is `paid` or `deposited`.
    pub success: bool,
    pub code: String,
    pub message: String,
    /// The amount the message reports; for deposits, the total deposited so far.
    pub amount: Option<u64>,
    /// For deposits: this deposit alone (XPay `LGD_CASCAMOUNT`, KCP `ipgm_mnyx`).
    pub deposit_amount: Option<u64>,
    /// The order amount the deposits were measured against.
    pub expected_amount: Option<u64>,
    /// TID / tno / trno.
    pub tid: String,
    pub order_id: String,
    /// The PG's own method value (`CARD`, `SC0010`, `card`, …) when sent.
    pub method: String,
    /// Normalized card company when the message names one.
    pub card: Option<super::codes::CardCompany>,
    /// For `authenticated`: the server step that is due (`payment_by_key`, `approve`,
    /// `fetch_result`, `payment`).
    pub next: Option<&'static str>,
    /// Why a message is `rejected`.
    pub reason: Option<&'static str>,
    /// The exact body to answer the notifier with, for every authentic notice; `None` otherwise.
    pub reply: Option<String>,
    /// For cancels and lookups: what is still cancellable when the PG reports it (KCP
    /// `rem_mny`, XPay `LGD_REMAINAMOUNT`, KISPG `amt` minus its `cancelData`).
    pub remaining: Option<u64>,
}

impl PaymentResult {
    /// `{"status","authentic","success","code","message","amount","tid","order_id","reply",…}`
    /// (the CLI and Node shape; the `Serialize` impl below).
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The CLI's, the Node entry's and the sandbox's shape, in this key order (`hanpay verify`
/// output; tests/data/pg-vectors.json): names as `as_str`/`name` spell them, absent values `null`.
impl serde::Serialize for PaymentResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Wire<'a> {
            status: &'static str,
            authentic: Option<bool>,
            success: bool,
            code: &'a str,
            message: &'a str,
            amount: Option<u64>,
            tid: &'a str,
            order_id: &'a str,
            reply: Option<&'a str>,
            pg: &'static str,
            kind: &'static str,
            method: &'a str,
            deposit_amount: Option<u64>,
            expected_amount: Option<u64>,
            next: Option<&'static str>,
            reason: Option<&'static str>,
            remaining: Option<u64>,
        }
        Wire {
            status: self.status.as_str(),
            authentic: self.authentic,
            success: self.success,
            code: &self.code,
            message: &self.message,
            amount: self.amount,
            tid: &self.tid,
            order_id: &self.order_id,
            reply: self.reply.as_deref(),
            pg: self.pg.name(),
            kind: self.kind.as_str(),
            method: &self.method,
            deposit_amount: self.deposit_amount,
            expected_amount: self.expected_amount,
            next: self.next,
            reason: self.reason,
            remaining: self.remaining,
        }
        .serialize(s)
    }
}

/// How a message proved where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// The PG signs nothing on this channel (see [`PaymentResult::authentic`]).
    Channel,
    Verified,
    Forged(&'static str),
}

/// What the message says happened, before the merchant's record is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Paid,
    /// The server step that is due.
    Authenticated(&'static str),
    Pending,
    /// A deposit: this one, the total so far, and the order amount if the message signs it.
    Deposit {
        this: Option<u64>,
        total: Option<u64>,
        order: Option<u64>,
    },
    Cancelled,
    /// A partial cancel the PG accepted (only the server calls of `pg::call` read one, which
    /// the browser package does not compile).
    #[cfg_attr(
        all(target_arch = "wasm32", not(feature = "server")),
        expect(dead_code)
    )]
    PartiallyCancelled,
    Failed,
    /// This PG sends no such message, or this kind of message is not one the endpoint accepts.
    Unsupported(&'static str),
}

/// What a PG module read from a message.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    pub pg: Pg,
    pub auth: Auth,
    pub outcome: Outcome,
    pub code: String,
    pub message: String,
    pub amount: Option<u64>,
    pub tid: String,
    pub order_id: String,
    pub method: String,
    pub card: Option<super::codes::CardCompany>,
    /// What an authentic notice is answered with.
    pub reply: Option<&'static str>,
    /// What remains cancellable (cancel and lookup responses).
    pub remaining: Option<u64>,
}

impl Reading {
    pub fn new(pg: Pg) -> Self {
        Reading {
            pg,
            auth: Auth::Channel,
            outcome: Outcome::Failed,
            code: String::new(),
            message: String::new(),
            amount: None,
            tid: String::new(),
            order_id: String::new(),
            method: String::new(),
            card: None,
            reply: None,
            remaining: None,
        }
    }
}

/// A signature check: empty posted value or key is a forgery, never "unsigned".
pub(crate) fn signature(
    posted: &str,
    key: &str,
    expected: impl FnOnce() -> Option<String>,
) -> Auth {
    if posted.is_empty() {
        return Auth::Forged("signature missing");
    }
    if key.is_empty() {
        return Auth::Forged("merchant key is empty");
    }
    match expected() {
        Some(e) if super::same(&e, posted) => Auth::Verified,
        _ => Auth::Forged("signature mismatch"),
    }
}

/// The notifier-address check of a notice the PG does not sign. Addresses are compared as
/// parsed IPs, so `::ffff:203.238.36.17` (an IPv4 peer on a dual-stack socket) matches.
pub(crate) fn notifier(v: &Verify<'_>, published: &[&str]) -> Auth {
    let Some(peer) = v.peer_ip.and_then(parse_ip) else {
        return Auth::Forged(
            "peer address missing: notices are checked against the PG's notifier addresses",
        );
    };
    let list = v.notifier_ips.unwrap_or(published);
    if list.iter().filter_map(|a| parse_ip(a)).any(|a| a == peer) {
        Auth::Verified
    } else {
        Auth::Forged("peer address is not a published notifier for this mode")
    }
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    let ip = IpAddr::from_str(s.trim()).ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    })
}

/// Applies the contract to what a PG module read.
pub(crate) fn judge(r: Reading, v: &Verify<'_>) -> PaymentResult {
    let mut out = PaymentResult {
        pg: r.pg,
        kind: v.kind,
        status: Status::Failed,
        authentic: match r.auth {
            Auth::Channel => None,
            Auth::Verified => Some(true),
            Auth::Forged(_) => Some(false),
        },
        success: false,
        code: r.code,
        message: r.message,
        amount: r.amount,
        deposit_amount: None,
        expected_amount: v.expect.amount,
        tid: r.tid,
        order_id: r.order_id,
        method: r.method,
        card: r.card,
        next: None,
        reason: None,
        reply: None,
        remaining: r.remaining,
    };
    let verdict = (|| {
        if let Auth::Forged(why) = r.auth {
            return Err(why);
        }
        if let Outcome::Unsupported(why) = r.outcome {
            return Err(why);
        }
        if let Some(want) = &v.expect.order_id {
            // A decline moves no money, so it needs no order id (KCP's failed approval names
            // none); one that names another order is still not this order's.
            if out.order_id.is_empty() {
                if r.outcome != Outcome::Failed {
                    return Err("message names no order id");
                }
            } else if !super::same(want, &out.order_id) {
                return Err("order id differs from the expected order");
            }
        }
        if let Some(want) = &v.expect.tid {
            if !super::same(want, &out.tid) {
                return Err("transaction id differs from the one stored for this order");
            }
        }
        let want = v.expect.amount;
        Ok(match r.outcome {
            Outcome::Paid | Outcome::Pending | Outcome::Authenticated(_) => {
                if let Some(want) = want {
                    match out.amount {
                        Some(a) if a == want => {}
                        // The browser step of some PGs carries no amount; the server step sends
                        // the merchant's own.
                        None if matches!(r.outcome, Outcome::Authenticated(_)) => {}
                        Some(_) => return Err("amount differs from the order amount"),
                        None => return Err("message carries no amount"),
                    }
                }
                match r.outcome {
                    Outcome::Paid => Status::Paid,
                    Outcome::Pending => Status::Pending,
                    Outcome::Authenticated(next) => {
                        out.next = Some(next);
                        Status::Authenticated
                    }
                    _ => Status::Failed,
                }
            }
            Outcome::Deposit { this, total, order } => {
                let total = total.or(this);
                out.deposit_amount = this;
                out.amount = total;
                if let (Some(w), Some(o)) = (want, order) {
                    if w != o {
                        return Err("signed order amount differs from the order amount");
                    }
                }
                let target = want.or(order);
                out.expected_amount = target;
                match (total, target) {
                    (None, _) => return Err("deposit notice carries no amount"),
                    (Some(t), Some(o)) if t < o => Status::PartiallyDeposited,
                    _ => Status::Deposited,
                }
            }
            Outcome::Cancelled => Status::Cancelled,
            Outcome::PartiallyCancelled => Status::PartiallyCancelled,
            Outcome::Failed | Outcome::Unsupported(_) => Status::Failed,
        })
    })();
    match verdict {
        Ok(status) => {
            out.status = status;
            out.success = status.is_success();
            if v.kind == MessageKind::Notice {
                out.reply = r.reply.map(String::from);
            }
        }
        Err(why) => {
            out.status = Status::Rejected;
            out.reason = Some(why);
        }
    }
    out
}
