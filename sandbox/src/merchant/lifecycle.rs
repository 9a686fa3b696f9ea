//! The demo merchant's lifecycle routes (issue 13 §6): cancel, partial cancel, refund, capture
//! and look up an order's payment, each with library calls only — the generic change mapped to
//! the PG's call ([`hanpay::pg::call::lifecycle::lifecycle`]), the request built and validated
//! ([`hanpay::pg::call::request`]), sent with the sandbox's HTTP client, the answer read
//! ([`hanpay::pg::call::read_response`]) against the order's own record, and the outcome applied
//! once in the order store (keyed by PG, TID, call and the order's cancel sequence).
//!
//! A money-moving call is sent once: when its answer does not arrive, nothing is applied and the
//! caller is told the outcome is unknown (look the payment up), never retried blindly.
//!
//! `POST /api/{pg}/orders/{id}/{cancel|partial-cancel|refund|capture|lookup}` with JSON
//! `{amount?, reason?, refund?: {bank, account, holder}, tamper?: "hash", stale?: true}`
//! (`tamper` and `stale` are the sandbox's test hooks: a signature corrupted after signing, as
//! a request altered in flight, and a merchant record that forgot its earlier cancels — both to
//! show the PG's own checks).

use super::store::{EventKey, OrderRecord};
use super::{send, Shared};
use crate::credentials::{test_merchant, TestMerchant, KCP_TEST_PRIVATE_KEY};
use crate::http::base_url;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Json;
use axum::Router;
use hanpay::pg::call::lifecycle::{lifecycle, Change, Op, RefundAccount};
use hanpay::pg::call::{self, Call};
use hanpay::pg::{KstTime, MessageKind, Mode, Params, Pg, Status, Verify};
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/api/{pg}/orders/{id}/{op}", post(change))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeRequest {
    amount: u64,
    reason: String,
    refund: Option<Refund>,
    tamper: String,
    /// Test hook: act on a stale record that forgot the earlier cancels (remaining = the order
    /// amount), so the PG's own amount and state checks are what refuses.
    stale: bool,
}

#[derive(Deserialize)]
struct Refund {
    bank: String,
    account: String,
    holder: String,
}

fn answer(code: StatusCode, v: Value) -> Response {
    (code, Json(v)).into_response()
}

/// The merchant's configuration in the PG's names (the row's published test credentials).
fn merchant_params(m: &TestMerchant) -> Params {
    Params::from_pairs(m.lifecycle_fields.iter().copied())
}

/// `params` with the signature only the merchant's private key makes for `call`
/// ([`call::key_signature`]: KCP's `kcp_sign_data`), by the test merchant's key pair.
fn signed(pg: Pg, call: Call, mut params: Params) -> Params {
    if let Some(sig) = call::key_signature(pg, call, &params) {
        params.set(sig.field, kcp_sign(&sig.input));
    }
    params
}

/// The demo merchant's `kcp_sign_data` over `input` with the test merchant's private key.
fn kcp_sign(input: &str) -> String {
    use base64::Engine;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_pem(KCP_TEST_PRIVATE_KEY) else {
        return String::new();
    };
    let sig = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key).sign(input.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(sig.to_bytes())
}

fn order_json(id: &str, o: &OrderRecord) -> Value {
    json!({
        "orderId": id, "pg": o.pg.name(), "amount": o.amount, "status": o.status, "tid": o.tid,
        "cancelled": o.cancelled, "remaining": o.remaining(), "cancels": o.cancels,
        "depositsProcessed": o.deposits,
    })
}

async fn change(
    State(st): State<Shared>,
    Path((pg_name, id, op_name)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Option<Json<ChangeRequest>>,
) -> Response {
    let req = body.map(|Json(r)| r).unwrap_or_default();
    let Some(m) = test_merchant(&pg_name) else {
        return answer(StatusCode::NOT_FOUND, json!({"error": "unknown pg"}));
    };
    let pg = m.pg;
    let op = match op_name.as_str() {
        "cancel" => Op::Cancel,
        "partial-cancel" => Op::PartialCancel,
        "refund" => Op::Refund,
        "capture" => Op::Capture,
        "lookup" => Op::Lookup,
        _ => return answer(StatusCode::NOT_FOUND, json!({"error": "unknown operation"})),
    };
    let Some(order) = st.orders.get(&id).filter(|o| o.pg == pg) else {
        return answer(StatusCode::NOT_FOUND, json!({"error": "unknown order"}));
    };
    if order.tid.is_empty() {
        return answer(
            StatusCode::CONFLICT,
            json!({"error": "the order has no approved transaction", "order": order_json(&id, &order)}),
        );
    }
    let c = Change {
        tid: order.tid.clone(),
        order_id: id.clone(),
        method: order.pg_method.clone(),
        order_amount: order.amount,
        remaining: if req.stale {
            order.amount
        } else {
            order.remaining()
        },
        amount: req.amount,
        reason: req.reason.clone(),
        refund: req.refund.map(|r| RefundAccount {
            bank: r.bank,
            account: r.account,
            holder: r.holder,
        }),
    };
    let now = KstTime::now();
    let built = lifecycle(pg, op, &c, merchant_params(m)).and_then(|(call, params)| {
        call::request(pg, call, signed(pg, call, params), m.key, Mode::Test, now).map(|r| (call, r))
    });
    let (call, mut request) = match built {
        Ok(x) => x,
        Err(e) => {
            let v: Value = serde_json::from_str(&e.to_json()).unwrap_or(Value::Null);
            return answer(
                StatusCode::BAD_REQUEST,
                json!({"status": "invalid", "error": v}),
            );
        }
    };
    if req.tamper == "hash" {
        let f = m.signature_field;
        let v = request.fields.str(f).to_string();
        request
            .fields
            .set(f, format!("{}0", v.get(1..).unwrap_or("")));
    }
    let amount = match op {
        Op::PartialCancel => req.amount,
        Op::Refund if req.amount > 0 => req.amount,
        Op::Lookup | Op::Capture => order.amount,
        _ => c.remaining,
    };
    let body = match send(&base_url(&headers), pg, &request).await {
        Ok(b) => b,
        // Sent once: the outcome is unknown, nothing is applied; look the payment up.
        Err(e) => {
            return answer(
                StatusCode::BAD_GATEWAY,
                json!({"status": "unknown", "error": e, "order": order_json(&id, &order)}),
            )
        }
    };
    let mut v = Verify::new(MessageKind::Approval, m.key)
        .mode(Mode::Test)
        .expect_tid(&order.tid)
        .expect_order(&id);
    // A full cancel is bound to what it moves only where its answer states the amount.
    if m.full_cancel_states_amount || op != Op::Cancel {
        v = v.expect_amount(amount);
    }
    let r = call::read_response(pg, call, &body, &v);
    let seq = order.cancels as i64 + 1;
    let kind = format!("{}:{}", call.as_str(), r.status.as_str());
    let applied = match (op, r.status) {
        (
            Op::Cancel | Op::PartialCancel | Op::Refund,
            Status::Cancelled | Status::PartiallyCancelled,
        ) => {
            let key = EventKey {
                pg,
                tid: &order.tid,
                kind: "cancel",
                seq,
            };
            st.orders.apply_once(&id, &key, |o| {
                o.cancelled = (o.cancelled + amount).min(o.amount);
                o.cancels += 1;
                o.status = if o.remaining() == 0 {
                    "cancelled"
                } else {
                    "partially_cancelled"
                };
            })
        }
        (Op::Capture, Status::Paid) => {
            let key = EventKey {
                pg,
                tid: &order.tid,
                kind: "capture",
                seq: 0,
            };
            st.orders.apply_once(&id, &key, |o| o.status = "paid")
        }
        // The lookup is the PG's own word on the state: a deposit it reports (KISPG documents
        // no deposit notice, audit M3) is applied once like a notice.
        (Op::Lookup, Status::Deposited) => {
            let key = EventKey {
                pg,
                tid: &order.tid,
                kind: "notice:deposited",
                seq: order.amount as i64,
            };
            st.orders.apply_once(&id, &key, |o| {
                o.deposits += 1;
                o.status = "paid";
            })
        }
        _ => Ok((false, order.clone())),
    };
    let (fresh, stored) = match applied {
        Ok(x) => x,
        Err(e) => return answer(StatusCode::INTERNAL_SERVER_ERROR, json!({"error": e})),
    };
    let result: Value = serde_json::from_str(&r.to_json()).unwrap_or(Value::Null);
    answer(
        StatusCode::OK,
        json!({
            "call": call.as_str(), "event": kind, "applied": fresh, "status": r.status.as_str(),
            "result": result, "order": order_json(&id, &stored),
        }),
    )
}
