//! The merchant server's second half: `POST /api/<pg>/complete` runs the server step the
//! adapter reported (`next`) with library calls only and answers the verified final result;
//! `GET /api/<pg>/orders/<id>` shows the order's record.

use super::store::EventKey;
use super::store::OrderRecord;
use super::{bad, rejection_code, send, unknown_pg, Shared};
use crate::credentials::{test_merchant, TestMerchant};
use crate::http::base_url;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use axum::Router;
use hanpay::order::Method;
use hanpay::pg::call::{self, Call, Next, OrderRef};
use hanpay::pg::{KstTime, MessageKind, Mode, Params, PaymentResult, Status, Verify};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/{pg}/complete", post(complete))
        .route("/api/{pg}/orders/{id}", get(order_state))
}

#[derive(Deserialize)]
struct CompleteRequest {
    #[serde(rename = "orderId")]
    order_id: String,
    #[serde(default)]
    next: String,
    #[serde(flatten)]
    rest: HashMap<String, Value>,
}

/// The merchant server's second half: runs the step the adapter reported and answers with
/// the verified final result.
async fn complete(
    State(st): State<Shared>,
    Path(pg_name): Path<String>,
    headers: HeaderMap,
    Json(req): Json<CompleteRequest>,
) -> Response {
    let Some(m) = test_merchant(&pg_name) else {
        return unknown_pg();
    };
    let pg = m.pg;
    let Some(order) = st.orders.get(&req.order_id).filter(|o| o.pg == pg) else {
        return bad("orderId", "unknown", "no such order");
    };
    let base = base_url(&headers);
    // The browser's `{next: …}` object is the library's typed step (one serde shape).
    let mut wire = serde_json::to_value(&req.rest).unwrap_or(Value::Null);
    wire["pg"] = json!(pg.name());
    wire["orderId"] = json!(req.order_id);
    wire["next"] = json!(req.next);
    let next: Next = match serde_json::from_value(wire) {
        Ok(n) => n,
        Err(e) => return bad("next", "server_step", &e.to_string()),
    };
    let Some(call_kind) = next.call() else {
        // Nothing left to call (Smartro approves in its window; a virtual account waits for the
        // deposit): the result was verified when the PG posted it — report the order's record,
        // not anything the browser sends now.
        return Json(json!({
            "pg": pg.name(), "orderId": req.order_id, "status": order.status,
            "success": order.status == "paid", "code": order.status, "message": "",
            "amount": order.amount, "tid": order.tid,
        }))
        .into_response();
    };
    let r = match server_step(&base, m, &next, &req.order_id, &order, call_kind).await {
        Ok(r) => r,
        Err(e) => return bad("next", "server_step", &e),
    };
    let status = match r.status {
        Status::Paid => "paid",
        Status::Pending => "pending",
        _ => "failed",
    };
    // Applied once per transaction: a second /complete for the same TID changes nothing.
    let tid_key = if r.tid.is_empty() {
        format!("order:{}", req.order_id)
    } else {
        r.tid.clone()
    };
    let key = EventKey {
        pg,
        tid: &tid_key,
        kind: if r.status == Status::Rejected {
            "approve:rejected"
        } else {
            "approve"
        },
        seq: 0,
    };
    let updated = st
        .orders
        .apply_once(&req.order_id, &key, |o| {
            if o.status != "paid" && o.status != "pending" {
                o.status = status;
                o.tid = r.tid.clone();
                o.pg_method = r.method.clone();
            }
        })
        .ok()
        .map(|(_, o)| o);
    Json(json!({
        "pg": pg.name(), "orderId": req.order_id, "success": r.success,
        "code": if r.status == Status::Rejected { rejection_code(&r).to_string() } else { r.code.clone() },
        "message": r.reason.map(String::from).unwrap_or(r.message), "amount": r.amount,
        "tid": r.tid, "result": r.status.as_str(),
        "status": updated.map(|o| o.status).unwrap_or(status),
    }))
    .into_response()
}

/// The merchant's configuration in the PG's names for the approval step: the row's fields
/// (published test credentials) and whatever names the order's method again at that step
/// (`call::method_config`: KCP's `pay_type`).
fn approval_config(m: &TestMerchant, order: &OrderRecord) -> Params {
    let mut p = Params::from_pairs(m.approval_fields.iter().copied());
    let method = if order.method == "vbank" {
        Method::VirtualAccount
    } else {
        Method::Card
    };
    for (k, v) in call::method_config(m.pg, method).0 {
        p.set(&k, v);
    }
    p
}

/// The server step with library calls only: `complete` builds it with the order's own amount
/// (XPay PaymentByKey with `LGD_AMOUNTCHECKYN=Y`, KCP `ordr_mony`, KSNET fetch, KISPG
/// `/v2/payment`), the sandbox's client sends it once, `read_response` checks the answer against
/// the order's id and amount, and `follow_up` names what must follow (KSNET's confirmation).
async fn server_step(
    base: &str,
    m: &TestMerchant,
    next: &Next,
    order_id: &str,
    order: &OrderRecord,
    call_kind: Call,
) -> Result<PaymentResult, String> {
    let pg = next.pg;
    let key = m.key;
    let now = KstTime::now();
    let order_ref = OrderRef {
        id: order_id,
        amount: order.amount,
    };
    let req = call::complete(
        next,
        &order_ref,
        approval_config(m, order),
        key,
        Mode::Test,
        now,
    )
    .map_err(|e| e.to_string())?
    .ok_or("nothing to call")?;
    let body = send(base, pg, &req).await?;
    let v = Verify::new(MessageKind::Approval, key)
        .mode(Mode::Test)
        .expect_order(order_id)
        .expect_amount(order.amount);
    let r = call::read_response(pg, call_kind, &body, &v);
    if let Some(then) = call::follow_up(pg, call_kind, &req, &r) {
        send(base, pg, &then).await?;
    }
    Ok(r)
}

async fn order_state(
    State(st): State<Shared>,
    Path((_pg, id)): Path<(String, String)>,
) -> Response {
    match st.orders.get(&id) {
        Some(o) => Json(json!({
            "orderId": id, "pg": o.pg.name(), "amount": o.amount, "status": o.status, "tid": o.tid,
            "noticesReceived": o.notices, "depositsProcessed": o.deposits,
            "cancelled": o.cancelled, "remaining": o.remaining(), "cancels": o.cancels,
            "applied": st.orders.applied(&id).into_iter()
                .map(|(k, q)| json!({"kind": k, "seq": q})).collect::<Vec<_>>(),
        }))
        .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "unknown order"})),
        )
            .into_response(),
    }
}
