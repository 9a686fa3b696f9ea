//! `POST /merchant/<pg>/notify`: the PGs' notifications (virtual-account deposits, KCP
//! `common_return`, KISPG result notices), verified as notices and applied once.

use super::store::EventKey;
use super::{unknown_pg, Shared};
use crate::credentials::test_merchant;
use crate::http::{self, decode_form};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hanpay::pg::{self, MessageKind, Mode, PaymentResult, Status, Verify};
use std::net::SocketAddr;

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/merchant/{pg}/notify", post(notify))
}

/// The sandbox's notifiers post from this loopback address (`notify.rs` binds it), standing in
/// for the PGs' published notifier addresses (KCP manual 003 §6, KISPG manual 004 §2.2): a
/// notice from anywhere else — a browser or `curl` on 127.0.0.1 — is refused like a forgery.
const SANDBOX_NOTIFIERS: &[&str] = &[http::NOTIFIER_IP];

/// Notification URL (`LGD_CASNOTEURL`, `RetryURL`, KCP `common_return`): verifies the notice as
/// a notice (signature, or notifier address where the PG signs nothing), binds it to the
/// order's amount and stored TID, applies it once, and answers what the PG expects — or, under
/// the test hook, answers wrongly after applying, to show that the PG's retry is not applied
/// twice.
async fn notify(
    State(st): State<Shared>,
    Path(pg_name): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: axum::body::Bytes,
) -> Response {
    let Some(m) = test_merchant(&pg_name) else {
        return unknown_pg();
    };
    let pg = m.pg;
    let Ok(p) = decode_form(&body, false) else {
        return (StatusCode::BAD_REQUEST, "bad charset").into_response();
    };
    let peer_ip = peer.ip().to_string();
    let notice = Verify::new(MessageKind::Notice, m.key)
        .mode(Mode::Test)
        .peer_ip(&peer_ip)
        .notifier_ips(SANDBOX_NOTIFIERS);
    let claimed = pg::verify(pg, &p, &notice);
    let rejected = |r: &PaymentResult| {
        let why = r.reason.unwrap_or("rejected");
        (StatusCode::BAD_REQUEST, format!("rejected: {why}")).into_response()
    };
    if claimed.status == Status::Rejected {
        return rejected(&claimed);
    }
    let Some(order) = st.orders.get(&claimed.order_id) else {
        return (StatusCode::NOT_FOUND, "unknown order").into_response();
    };
    let mut check = notice
        .clone()
        .expect_order(&claimed.order_id)
        .expect_amount(order.amount);
    if !order.tid.is_empty() {
        check = check.expect_tid(&order.tid);
    }
    let r = pg::verify(pg, &p, &check);
    if r.status == Status::Rejected {
        return rejected(&r);
    }
    let mut fail_now = false;
    st.orders.update(&r.order_id, |o| {
        o.notices += 1;
        if o.fail_replies > 0 {
            o.fail_replies -= 1;
            fail_now = true;
        }
    });
    // Applied once, keyed by the PG's transaction id, the verified status and the amount the
    // notice reports: however often (or however concurrently) the PG retries, and across a
    // restart, the same deposit is applied one time; a later split deposit is a new event.
    let tid_key = if r.tid.is_empty() {
        format!("order:{}", r.order_id)
    } else {
        r.tid.clone()
    };
    let kind = format!("notice:{}", r.status.as_str());
    let key = EventKey {
        pg,
        tid: &tid_key,
        kind: &kind,
        seq: r.amount.unwrap_or(0) as i64,
    };
    let applied = st.orders.apply_once(&r.order_id, &key, |o| match r.status {
        Status::Deposited | Status::Paid => {
            o.deposits += 1;
            o.status = "paid";
            if o.tid.is_empty() {
                o.tid = r.tid.clone();
            }
        }
        Status::PartiallyDeposited => o.status = "partially_deposited",
        Status::Pending if o.status == "created" => o.status = "pending",
        Status::Cancelled => o.status = "cancelled",
        _ => {}
    });
    if let Err(e) = applied {
        // Not applied: answer an error so the PG retries.
        return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response();
    }
    if fail_now {
        return (StatusCode::INTERNAL_SERVER_ERROR, "temporarily unavailable").into_response();
    }
    r.reply.unwrap_or_default().into_response()
}
