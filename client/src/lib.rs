//! The merchant server's HTTP transport for hanpay: sends the requests [`hanpay::pg::call`]
//! builds (sans-IO) to the PG, reads the answers into a verified [`PaymentResult`], and applies
//! the retry rule of [`hanpay::pg::call::recover`]:
//!
//! - lookups and result fetches (KISPG `order`, KSNET `fetch_result`/`confirm_result`) are
//!   retried on a transport failure, at most [`Config::attempts`] times with doubling backoff;
//! - approvals and cancels are sent **once**. When their answer is lost after the request may
//!   have left, the client looks the transaction up (KISPG `/v2/order`) or performs the PG's
//!   documented net cancel (XPay `Rollback`); for KCP and Smartro, whose manuals document
//!   neither, it returns [`Error::Unknown`]. A connection that was never established sent
//!   nothing ([`Error::NotSent`]) and may simply be tried again.
//!
//! ```no_run
//! # async fn demo() -> Result<(), hanpay_client::Error> {
//! use hanpay::pg::{call::{Next, OrderRef}, Mode, Params, Pg};
//! let client = hanpay_client::Client::new(
//!     Pg::Kispg, Mode::Test, "merchant-key", Params::from_pairs([("mid", "kistest00m")]),
//! )?;
//! let next: Next = serde_json::from_str(r#"{"pg":"kispg","orderId":"o1","next":"approve","tid":"T1"}"#).unwrap();
//! let paid = client.complete(&next, &OrderRef { id: "o1", amount: 1000 }).await?;
//! # Ok(()) }
//! ```

pub mod key_signature;

use hanpay::pg::call::lifecycle::{self, Change, Op};
use hanpay::pg::call::recover::{self, Recovery};
use hanpay::pg::call::{self, wire, Call, Next, OrderRef, Request};
use hanpay::pg::{KstTime, MessageKind, Mode, Params, PaymentResult, Pg, Verify};
use hanpay::{Rule, ValidationError};
use std::fmt;
use std::time::Duration;

/// Timeouts and the bounded retry of lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Time to establish the TCP (and TLS) connection. A call that fails here sent nothing.
    pub connect_timeout: Duration,
    /// Time to wait for each read of the answer once the request is sent.
    pub read_timeout: Duration,
    /// Attempts of a retryable call (lookups, result fetches, XPay's rollback), at least 1.
    pub attempts: u32,
    /// Wait before the second attempt; doubled before each further one.
    pub backoff: Duration,
}

impl Default for Config {
    /// 5 s to connect, 30 s to read, 3 attempts from 250 ms backoff.
    fn default() -> Self {
        Config {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(30),
            attempts: 3,
            backoff: Duration::from_millis(250),
        }
    }
}

/// Why an HTTP exchange failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// The connection could not be established (refused, DNS, TLS): nothing was sent.
    Connect(String),
    /// [`Config::connect_timeout`] passed before a connection was made: nothing was sent.
    ConnectTimeout,
    /// The request went out but its answer did not arrive within [`Config::read_timeout`].
    ReadTimeout,
    /// The connection broke while sending or reading: the PG may have acted.
    Lost(String),
    /// The PG answered with an HTTP error status.
    Status { status: u16, body: String },
    /// The answer could not be read (empty, not in the PG's format or charset).
    Decode(String),
}

impl Transport {
    /// The request certainly never reached the PG.
    pub fn sent_nothing(&self) -> bool {
        matches!(self, Transport::Connect(_) | Transport::ConnectTimeout)
    }

    /// A short machine name (`connect`, `connect_timeout`, `read_timeout`, `lost`, `status`,
    /// `decode`).
    pub fn kind(&self) -> &'static str {
        match self {
            Transport::Connect(_) => "connect",
            Transport::ConnectTimeout => "connect_timeout",
            Transport::ReadTimeout => "read_timeout",
            Transport::Lost(_) => "lost",
            Transport::Status { .. } => "status",
            Transport::Decode(_) => "decode",
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Connect(e) => write!(f, "connection failed: {e}"),
            Transport::ConnectTimeout => f.write_str("connect timeout"),
            Transport::ReadTimeout => f.write_str("read timeout"),
            Transport::Lost(e) => write!(f, "connection lost: {e}"),
            Transport::Status { status, .. } => write!(f, "HTTP status {status}"),
            Transport::Decode(e) => write!(f, "unreadable answer: {e}"),
        }
    }
}

/// A call that did not produce a verified result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad input: nothing was sent (field and rule, as forms report them).
    Invalid(ValidationError),
    /// The connection was never established: nothing was sent; calling again is safe.
    NotSent(Transport),
    /// The PG refused the request with a 4xx status: it did not act on it.
    Refused { status: u16, body: String },
    /// A retryable call (lookup, result fetch) failed on every attempt.
    Exhausted {
        call: Call,
        attempts: u32,
        cause: Transport,
    },
    /// XPay: the answer was lost and the PG's `Rollback` of the call answered `0000`: the call
    /// was undone (nothing charged, nothing cancelled).
    RolledBack { call: Call, cause: Transport },
    /// The answer of a money-moving call was lost and its outcome could not be established:
    /// look the payment up (merchant admin) before retrying or cancelling. `lookup` is what the
    /// PG's lookup said when it answered but cannot settle the question (a partial cancel).
    Unknown {
        call: Call,
        cause: Transport,
        detail: String,
        lookup: Option<Box<PaymentResult>>,
    },
}

impl Error {
    /// `invalid_input`, `not_sent`, `refused`, `exhausted`, `rolled_back`, `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid_input",
            Error::NotSent(_) => "not_sent",
            Error::Refused { .. } => "refused",
            Error::Exhausted { .. } => "exhausted",
            Error::RolledBack { .. } => "rolled_back",
            Error::Unknown { .. } => "unknown",
        }
    }

    /// One JSON object: `invalid_input` is the form's `{error, field, rule, …}`; transport errors
    /// are `{"error":"transport","kind",…,"cause","detail"}`.
    pub fn to_json(&self) -> String {
        use serde_json::json;
        let (call, cause, detail, lookup) = match self {
            Error::Invalid(e) => return e.to_json(),
            Error::NotSent(c) => (None, Some(c), String::new(), None),
            Error::Refused { status, body } => {
                return json!({"error": "transport", "kind": self.kind(), "status": status, "detail": body})
                    .to_string()
            }
            Error::Exhausted {
                call,
                attempts,
                cause,
            } => (
                Some(call),
                Some(cause),
                format!("{attempts} attempts"),
                None,
            ),
            Error::RolledBack { call, cause } => (Some(call), Some(cause), String::new(), None),
            Error::Unknown {
                call,
                cause,
                detail,
                lookup,
            } => (Some(call), Some(cause), detail.clone(), lookup.as_deref()),
        };
        let lookup: serde_json::Value = lookup
            .and_then(|r| serde_json::from_str(&r.to_json()).ok())
            .unwrap_or(serde_json::Value::Null);
        json!({
            "error": "transport",
            "kind": self.kind(),
            "call": call.map(|c| c.as_str()),
            "cause": cause.map(|c| c.kind()),
            "message": self.to_string(),
            "detail": detail,
            "lookup": lookup,
        })
        .to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(e) => write!(f, "invalid input: {e}"),
            Error::NotSent(c) => write!(f, "not sent ({c}); safe to call again"),
            Error::Refused { status, .. } => {
                write!(f, "the PG refused the request (HTTP {status})")
            }
            Error::Exhausted {
                call,
                attempts,
                cause,
            } => write!(f, "{call} failed {attempts} times: {cause}"),
            Error::RolledBack { call, cause } => {
                write!(
                    f,
                    "{call}: answer lost ({cause}); the PG rolled the call back"
                )
            }
            Error::Unknown {
                call,
                cause,
                detail,
                ..
            } => write!(f, "{call}: outcome unknown ({cause}): {detail}"),
        }
    }
}

impl std::error::Error for Error {}

impl std::error::Error for Transport {}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Invalid(e)
    }
}

/// The merchant's KCP signing key; its `Debug` never prints the key.
#[derive(Clone)]
struct SigningKey(rsa::RsaPrivateKey);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(…)")
    }
}

/// A merchant's HTTP client for one PG: merchant key, mode, and the merchant's configuration in
/// the PG's own names (XPay `CST_MID`, KCP `site_cd`/`kcp_cert_info`, KISPG `mid`, Smartro
/// `Cancelpw`, …), which every call starts from.
#[derive(Debug, Clone)]
pub struct Client {
    pg: Pg,
    mode: Mode,
    key: String,
    merchant: Params,
    base_url: Option<reqwest::Url>,
    config: Config,
    clock: Option<KstTime>,
    signing_key: Option<SigningKey>,
    http: reqwest::Client,
}

fn http_client(config: &Config) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .read_timeout(config.read_timeout)
        // A PG API never redirects a server call; following one could send the merchant's
        // signed request elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        // This crate counts its own attempts (the retry rule above); reqwest retries nothing.
        .retry(reqwest::retry::never())
        .build()
        .map_err(|e| Error::NotSent(Transport::Connect(e.to_string())))
}

impl Client {
    pub fn new(pg: Pg, mode: Mode, key: &str, merchant: Params) -> Result<Client, Error> {
        Client::with_config(pg, mode, key, merchant, Config::default())
    }

    pub fn with_config(
        pg: Pg,
        mode: Mode,
        key: &str,
        merchant: Params,
        config: Config,
    ) -> Result<Client, Error> {
        Ok(Client {
            pg,
            mode,
            key: key.to_string(),
            merchant,
            base_url: None,
            config: Config {
                attempts: config.attempts.max(1),
                ..config
            },
            clock: None,
            signing_key: None,
            http: http_client(&config)?,
        })
    }

    /// Sends every request to `base` instead of the PG's origin: `base`'s scheme, host and
    /// port replace the PG's, and its path is put before the PG's path — the sandbox serves
    /// each PG's real paths under `<sandbox>/pg/<pg>` (`http://127.0.0.1:8080/pg/kispg`).
    pub fn base_url(mut self, base: &str) -> Result<Client, Error> {
        let url = reqwest::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .ok_or_else(|| {
                ValidationError::new("--base-url", Rule::Format, "an http(s) URL without query")
            })?;
        self.base_url = Some(url);
        Ok(self)
    }

    /// A fixed clock for `ediDate`/`LGD_TXID` (tests, the CLI's `--now`); the system clock
    /// otherwise.
    pub fn clock(mut self, now: KstTime) -> Client {
        self.clock = Some(now);
        self
    }

    /// KCP: the merchant's private key (PEM), with which the client fills `kcp_sign_data` of
    /// every `mod` call (cancel, partial cancel, capture) that does not carry one ([`key_signature`]).
    pub fn kcp_private_key(mut self, pem: &str) -> Result<Client, Error> {
        self.signing_key = Some(SigningKey(key_signature::private_key(pem)?));
        Ok(self)
    }

    pub fn pg(&self) -> Pg {
        self.pg
    }

    fn now(&self) -> KstTime {
        self.clock.unwrap_or_else(KstTime::now)
    }

    /// Finishes the browser step `next` for the merchant's own `order` (always with its
    /// amount): XPay PaymentByKey, KCP approval, KSNET result fetch, KISPG payment. `None`
    /// when nothing is left to call (Smartro; a virtual account waiting for its deposit).
    pub async fn complete(
        &self,
        next: &Next,
        order: &OrderRef<'_>,
    ) -> Result<Option<PaymentResult>, Error> {
        if next.pg != self.pg {
            return Err(ValidationError::new(
                "pg",
                Rule::Conflict,
                format!("the browser step is for {}", next.pg.name()),
            )
            .into());
        }
        let Some(req) = call::complete(
            next,
            order,
            self.merchant.clone(),
            &self.key,
            self.mode,
            self.now(),
        )?
        else {
            return Ok(None);
        };
        // The step's own call (SMARTRO PAY's urlCallApproval is `approve`, not KISPG's
        // `payment`); `complete` returned a request, so there is one.
        let call = next.call().unwrap_or(Call::Payment);
        self.exchange(call, req, Some(order)).await.map(Some)
    }

    /// Full cancel (XPay `Cancel`, Smartro `PartialCancelCode=0`, KCP `STSC`, KISPG
    /// `partCanFlg=0`), with the call's own fields in `params`.
    pub async fn cancel(
        &self,
        params: Params,
        order: &OrderRef<'_>,
    ) -> Result<PaymentResult, Error> {
        self.call(Call::Cancel, params, Some(order)).await
    }

    /// Partial cancel (XPay `PartialCancel`, Smartro `PartialCancelCode=1`, KCP `STPC`, KISPG
    /// `partCanFlg=1`).
    pub async fn partial_cancel(
        &self,
        params: Params,
        order: &OrderRef<'_>,
    ) -> Result<PaymentResult, Error> {
        self.call(Call::PartialCancel, params, Some(order)).await
    }

    /// Looks the payment up by the `tid` in `params` or, without one, by the order's id: the
    /// PG's lookup call of the generic lifecycle ([`lifecycle::Op::Lookup`]; KISPG `/v2/order`,
    /// 004 §3.4.1), `params` merged over what the lifecycle fills. A PG whose manual defines no
    /// lookup (KSNET's result fetch is [`Client::complete`]) fails on `call`, rule `one_of`.
    pub async fn lookup(
        &self,
        params: Params,
        order: &OrderRef<'_>,
    ) -> Result<PaymentResult, Error> {
        let change = Change {
            tid: params.str("tid").to_string(),
            order_id: order.id.to_string(),
            order_amount: order.amount,
            remaining: order.amount,
            ..Change::default()
        };
        self.change(Op::Lookup, &change, params, order).await
    }

    /// A generic lifecycle step ([`lifecycle::lifecycle`]: cancel, partial cancel, refund,
    /// capture, look up) on the payment `change` names, as the PG's own call; `params` (the
    /// PG's names) are merged over what the lifecycle fills.
    pub async fn change(
        &self,
        op: Op,
        change: &Change,
        params: Params,
        order: &OrderRef<'_>,
    ) -> Result<PaymentResult, Error> {
        let (call, mut p) = lifecycle::lifecycle(self.pg, op, change, Params::new())?;
        for (k, v) in params.0 {
            p.set(&k, v);
        }
        self.call(call, p, Some(order)).await
    }

    /// Any call of [`Call::of`] this PG, from the PG's own parameter names (merged over the
    /// merchant configuration). `order`, when given, binds approvals to its id and amount and
    /// gives KISPG's recovery lookup its `goodsAmt`.
    pub async fn call(
        &self,
        call: Call,
        params: Params,
        order: Option<&OrderRef<'_>>,
    ) -> Result<PaymentResult, Error> {
        if !Call::of(self.pg).contains(&call) {
            return Err(Call::unknown(self.pg).into());
        }
        let mut p = self.merchant.clone();
        for (k, v) in params.0 {
            p.set(&k, v);
        }
        // A signature only the merchant's private key makes (KCP kcp_sign_data), over the
        // input the library names.
        if let (Some(key), Some(sig)) = (&self.signing_key, call::key_signature(self.pg, call, &p))
        {
            p.set(sig.field, key_signature::sign(&key.0, &sig.input));
        }
        let req = call::request(self.pg, call, p, &self.key, self.mode, self.now())?;
        self.exchange(call, req, order).await
    }

    /// Sends a built request under the retry rule and reads the answer.
    pub async fn exchange(
        &self,
        call: Call,
        req: Request,
        order: Option<&OrderRef<'_>>,
    ) -> Result<PaymentResult, Error> {
        if recover::retryable(call) {
            let p = self.send_retrying(call, &req).await?;
            return Ok(self.read(call, &p, order));
        }
        let cause = match self.send(&req).await {
            Ok(p) => return Ok(self.read(call, &p, order)),
            Err(t) if t.sent_nothing() => return Err(Error::NotSent(t)),
            Err(Transport::Status { status, body }) if (400..500).contains(&status) => {
                return Err(Error::Refused { status, body })
            }
            Err(t) => t,
        };
        self.recover(call, &req, order, cause).await
    }

    /// The answer of `req` (a money-moving `call`) was lost: look it up or roll it back.
    async fn recover(
        &self,
        call: Call,
        req: &Request,
        order: Option<&OrderRef<'_>>,
        cause: Transport,
    ) -> Result<PaymentResult, Error> {
        let amount = order.map(|o| o.amount);
        let unknown = |detail: String, lookup: Option<PaymentResult>| Error::Unknown {
            call,
            cause: cause.clone(),
            detail,
            lookup: lookup.map(Box::new),
        };
        let recovery = recover::recovery(
            self.pg,
            call,
            req,
            amount,
            &self.key,
            self.mode,
            self.now(),
            &cause.to_string(),
        )
        .map_err(|e| unknown(format!("no recovery request: {e}"), None))?;
        match recovery {
            Recovery::Unknown(why) => Err(unknown(why.to_string(), None)),
            // The PG reads its own rollback answer (`recover::read_rollback`).
            Recovery::Rollback(rb) => match self.send_retrying(call, &rb).await {
                Ok(p) => match recover::read_rollback(self.pg, &p) {
                    Ok(()) => Err(Error::RolledBack { call, cause }),
                    Err(why) => Err(unknown(why, None)),
                },
                Err(e) => Err(unknown(format!("rollback failed: {e}"), None)),
            },
            Recovery::Lookup(lk) => match self.send_retrying(Call::Order, &lk).await {
                Ok(p) => {
                    let found = self.read(Call::Order, &p, order);
                    // The lookup settles an approval (paid or not) and a full cancel (cancelled
                    // or not); it cannot tell whether this partial cancel or refund is among
                    // the ones it lists (004 §3.4.2: "부분취소 시에도 결제 상태는 '승인'").
                    match call {
                        Call::Payment | Call::Cancel => Ok(found),
                        _ => Err(unknown(
                            "the lookup lists the order's cancels (cancelData); match this one there"
                                .into(),
                            Some(found),
                        )),
                    }
                }
                Err(e) => Err(unknown(format!("lookup failed: {e}"), None)),
            },
        }
    }

    /// Sends a retryable request up to [`Config::attempts`] times.
    async fn send_retrying(&self, call: Call, req: &Request) -> Result<Params, Error> {
        let mut wait = self.config.backoff;
        let mut attempt = 1;
        loop {
            match self.send(req).await {
                Ok(p) => return Ok(p),
                Err(Transport::Status { status, body }) if (400..500).contains(&status) => {
                    return Err(Error::Refused { status, body })
                }
                Err(cause) if attempt >= self.config.attempts => {
                    return Err(Error::Exhausted {
                        call,
                        attempts: attempt,
                        cause,
                    })
                }
                Err(_) => {
                    tokio::time::sleep(wait).await;
                    wait = wait.saturating_mul(2);
                    attempt += 1;
                }
            }
        }
    }

    /// Where `req` goes: the PG's URL, or its path under [`Client::base_url`].
    fn target(&self, req: &Request) -> Result<reqwest::Url, Transport> {
        let real = reqwest::Url::parse(&req.url).map_err(|e| Transport::Connect(e.to_string()))?;
        let Some(base) = &self.base_url else {
            return Ok(real);
        };
        let mut url = base.clone();
        let prefix = base.path().trim_end_matches('/');
        url.set_path(&format!("{prefix}{}", real.path()));
        url.set_query(real.query());
        Ok(url)
    }

    /// One HTTP exchange: the body and the answer through the library's wire form
    /// ([`call::wire`]), so every transport reads a PG's answer alike.
    async fn send(&self, req: &Request) -> Result<Params, Transport> {
        let url = self.target(req)?;
        let body = wire::encode(self.pg, req).map_err(|e| Transport::Connect(e.to_string()))?;
        let res = self
            .http
            .request(
                reqwest::Method::from_bytes(req.method.as_bytes())
                    .map_err(|e| Transport::Connect(e.to_string()))?,
                url,
            )
            .header(reqwest::header::CONTENT_TYPE, body.content_type)
            .body(body.bytes)
            .send()
            .await
            .map_err(classify)?;
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = res.bytes().await.map_err(classify)?;
        if !(200..300).contains(&status) {
            let charset = wire::answer_charset(self.pg, req, content_type.as_deref());
            return Err(Transport::Status {
                status,
                body: wire::text(&bytes, charset),
            });
        }
        wire::decode(self.pg, req, &bytes, content_type.as_deref())
            .map_err(|e| Transport::Decode(e.to_string()))
    }

    /// The verified result of an answer: an approval is bound to the order's id and amount.
    fn read(&self, call: Call, p: &Params, order: Option<&OrderRef<'_>>) -> PaymentResult {
        let mut v = Verify::new(MessageKind::Approval, &self.key).mode(self.mode);
        if let Some(o) = order {
            if matches!(
                call,
                Call::PaymentByKey | Call::Approve | Call::FetchResult | Call::Payment
            ) {
                v = v.expect_order(o.id).expect_amount(o.amount);
            }
        }
        call::read_response(self.pg, call, p, &v)
    }
}

/// reqwest's error as what it means for the request: never connected, timed out reading, or
/// lost on the way.
fn classify(e: reqwest::Error) -> Transport {
    if e.is_connect() {
        // reqwest reports a connect timeout as a connect error wrapping a timeout.
        if e.is_timeout() {
            Transport::ConnectTimeout
        } else {
            Transport::Connect(e.to_string())
        }
    } else if e.is_timeout() {
        Transport::ReadTimeout
    } else if e.is_builder() || e.is_request() && e.url().is_none() {
        Transport::Connect(e.to_string())
    } else {
        Transport::Lost(format!("{e:?}"))
    }
}
