//! The demo merchant: what a merchant server does with hanpay, as thin axum routes over the
//! library. It builds and signs forms with the published test credentials through hanpay's
//! builders ([`checkout`]), verifies what the PG posts back — signature *and* amount against its
//! own order ([`returns`]) —, runs the server step the browser adapter reports ([`complete`]),
//! answers notifications idempotently ([`notify`]) and cancels, refunds, captures and looks up
//! payments ([`lifecycle`]), keeping its orders in [`store`].
//!
//! Per-PG facts (merchant id, key, PG-native fields) come from the PG's row in
//! [`crate::credentials`]; the merchant knows the PGs only through hanpay and that row. It calls
//! the emulators (`crate::emulator`) over HTTP only, at the sandbox stand-in of the library's
//! real endpoint ([`crate::origin::sandbox_url`]).
//!
//! Routes: `/api/<pg>/…` (JSON for the checkout page) and `/merchant/<pg>/…` (the URLs the PG
//! posts to).

use crate::http;
use crate::origin::sandbox_url;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use hanpay::pg::call::{wire, Request};
use hanpay::pg::{Params, PaymentResult, Pg};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

mod checkout;
mod complete;
mod lifecycle;
mod notify;
mod returns;
mod store;

/// The demo merchant's state: its orders and the sequence its order ids end with.
#[derive(Default)]
pub struct Merchant {
    orders: store::Store,
    seq: AtomicU64,
}

impl Merchant {
    fn next_id(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }
}

type Shared = Arc<Merchant>;

/// The merchant's pages a PG window posts to inside a frame (`origin::Guard`): every PG's return
/// page (XPay's `LGD_RETURNURL` in its iframe, the others in hanpay's layer) and the PC relay page
/// (KSNET's `sndReply`).
pub const FRAMED: &[&str] = &["/merchant/*/return", "/merchant/*/relay"];

/// Routes of the demo merchant.
pub fn router() -> Router {
    let state: Shared = Arc::default();
    Router::new()
        .merge(checkout::routes())
        .merge(returns::routes())
        .merge(complete::routes())
        .merge(notify::routes())
        .merge(lifecycle::routes())
        .with_state(state)
}

fn bad(field: &str, rule: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": "invalid_input", "field": field, "rule": rule, "message": message})),
    )
        .into_response()
}

/// The answer for a PG hanpay does not know (every PG it knows has a test merchant:
/// `credentials.rs`).
fn unknown_pg() -> Response {
    bad("pg", "one_of", hanpay::pg::NAMES)
}

/// The merchant's code for a rejected message: what a support desk needs to tell a forgery from
/// a mismatch with the order.
fn rejection_code(r: &PaymentResult) -> &'static str {
    match (r.authentic, r.reason.unwrap_or("")) {
        (Some(false), _) => "SIGNATURE",
        (_, why) if why.contains("amount") => "AMOUNT_MISMATCH",
        (_, why) if why.contains("order") => "ORDER_MISMATCH",
        (_, why) if why.contains("transaction") || why.contains("TID") => "TID_MISMATCH",
        _ => "REJECTED",
    }
}

/// Sends once, as hanpay-client sends: the body and the answer through the library's wire form
/// (`hanpay::pg::call::wire`: JSON, KSNET's backtick text, Smartro's EUC-KR `k=v`).
async fn send(base: &str, pg: Pg, req: &Request) -> Result<Params, String> {
    let url = sandbox_url(base, &req.url);
    let body = wire::encode(pg, req).map_err(|e| e.to_string())?;
    let reply = http::post(&url, &body.content_type, body.bytes).await?;
    wire::decode(pg, req, &reply.bytes, reply.content_type.as_deref()).map_err(|e| e.to_string())
}
