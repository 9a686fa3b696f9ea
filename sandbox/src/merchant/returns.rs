//! The browser step coming back: the PG's post to the merchant's return URL, verified and turned
//! into the next step the page relays to `pay()`'s caller (or finishes itself after a
//! redirect), and the pages around it (the PC relay page of a PG that has one, the stop page).

use super::store::EventKey;
use super::{rejection_code, unknown_pg, Shared};
use crate::credentials::test_merchant;
use crate::http::decode_form;
use crate::pages::{error_page, escape, fill, hidden_inputs, script_json};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hanpay::pg::{call, MessageKind, Params, Status, Verify};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/merchant/{pg}/return", post(super_return))
        .route("/merchant/{pg}/relay", post(relay_page))
        .route("/merchant/{pg}/stop", get(stop).post(stop))
}

/// Where the PG posts the browser-step result (`ReturnURL`, `returnUrl`, `LGD_RETURNURL`,
/// `Ret_URL`, `sndReply` on mobile). The library reads it ([`call::read_return`]); this
/// merchant binds it to the order it created, books a post that is the payment itself once,
/// and relays the step.
async fn super_return(
    State(st): State<Shared>,
    Path(pg_name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let Some(m) = test_merchant(&pg_name) else {
        return unknown_pg();
    };
    // Smartro posts EUC-KR unless the order asked for UTF-8; the others post UTF-8 here.
    let p = match decode_form(&body, false).or_else(|_| decode_form(&body, true)) {
        Ok(p) => p,
        Err(e) => return error_page("merchant", "charset", &e),
    };
    let spec = m.pg.returns();
    // The order the post names, or (XPay, KSNET: the post names none) the one this merchant put
    // in its own return URL.
    let order_id = spec
        .order_in(&p)
        .or_else(|| q.get("oid").map(String::as_str))
        .unwrap_or("");
    let order = st.orders.get(order_id);
    let mut check = Verify::new(MessageKind::Return, m.key).expect_order(order_id);
    if let Some(o) = &order {
        check = check.expect_amount(o.amount);
    }
    let back = call::read_return(m.pg, &p, &check);
    let v = match order {
        Some(_) => book(&st, &back),
        None => refuse(
            relay(&back),
            "ORDER_UNKNOWN",
            "this merchant created no such order",
        ),
    };
    mark_returned(&st, &v);
    let page = match spec.page {
        Some(page) => framed_return_page(&page, &p, &v),
        None => return_page(&v),
    };
    Html(page).into_response()
}

/// The verified outcome of the browser step, as relayed to the page that called `pay()`:
/// `status`/`success`/`cancelled`/`code`/`message` drive the promise; `next` says what the
/// merchant server does next and carries exactly the PG-native values it needs (the
/// [`call::Next`] shape, `none` when nothing is due). The browser step is authentication: money
/// moves at the server step, except where the post is the payment (Smartro), which also gives
/// the `tid` and `amount`.
fn relay(back: &call::Returned) -> Value {
    let r = &back.result;
    let mut v = back
        .next
        .as_ref()
        .and_then(|n| serde_json::to_value(n).ok())
        .unwrap_or_else(|| json!({"pg": r.pg.name(), "orderId": r.order_id, "next": "none"}));
    v["status"] = json!(r.status.as_str());
    v["success"] = json!(r.success);
    v["cancelled"] = json!(back.cancelled);
    v["code"] = json!(r.code);
    v["message"] = json!(r.message);
    if matches!(r.status, Status::Paid | Status::Pending) {
        v["tid"] = json!(r.tid);
        v["amount"] = json!(r.amount.map(|a| a.to_string()).unwrap_or_default());
    }
    if r.status == Status::Rejected {
        let why = r
            .reason
            .map(String::from)
            .unwrap_or_else(|| r.message.clone());
        v = refuse(v, rejection_code(r), &why);
    }
    v
}

/// A post that is the payment itself (Smartro's) is booked once, under a TID no other order
/// holds; everything else is only relayed.
fn book(st: &Shared, back: &call::Returned) -> Value {
    let r = &back.result;
    let paid = matches!(r.status, Status::Paid | Status::Pending);
    if !paid {
        return relay(back);
    }
    if let Some(other) = st
        .orders
        .order_with_tid(&r.tid)
        .filter(|o| *o != r.order_id)
    {
        return refuse(
            relay(back),
            "TID_MISMATCH",
            &format!("TID already pays order {other}"),
        );
    }
    let key = EventKey {
        pg: r.pg,
        tid: &r.tid,
        kind: "approve",
        seq: 0,
    };
    let _ = st.orders.apply_once(&r.order_id, &key, |o| {
        o.tid = r.tid.clone();
        o.pg_method = r.method.clone();
        o.status = if r.status == Status::Pending {
            "pending"
        } else {
            "paid"
        };
    });
    relay(back)
}

/// A step the merchant refuses: nothing is due, with the merchant's code and reason.
fn refuse(mut v: Value, code: &str, message: &str) -> Value {
    v["status"] = json!(Status::Rejected.as_str());
    v["success"] = json!(false);
    v["cancelled"] = json!(false);
    v["next"] = json!("none");
    v["code"] = json!(code);
    v["message"] = json!(message);
    v
}

/// The PC relay page of a PG whose window posts the browser step to a merchant page inside it
/// ([`call::RelayPage`], KSNET's `sndReply`): the post's values go to the opener's or parent's
/// functions the PG names, or its cancel function for the buyer's cancel. Nothing is verified
/// here: the page only hands the ids over, and the server step checks them.
async fn relay_page(Path(pg_name): Path<String>, body: axum::body::Bytes) -> Response {
    let Some(pg) = hanpay::pg::Pg::from_name(&pg_name) else {
        return unknown_pg();
    };
    let spec = pg.returns();
    let Some(relay) = spec.relay else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            error_page(
                pg.name(),
                "NO_RELAY",
                "this PG posts no step to a relay page",
            ),
        )
            .into_response();
    };
    let p = decode_form(&body, false).unwrap_or_default();
    let values: Vec<&str> = relay.values.iter().map(|k| p.str(k)).collect();
    let page = json!({
        "cancel": spec.is_cancel(&p), "values": values,
        "call": relay.call, "then": relay.then, "cancel_call": relay.cancel_call,
    });
    Html(fill(
        include_str!("../../templates/relay.html"),
        &[("pg", &escape(pg.name())), ("json", &script_json(&page))],
    ))
    .into_response()
}

fn mark_returned(st: &Shared, v: &Value) {
    if let Some(id) = v["orderId"].as_str() {
        let ok = v["status"] == json!(Status::Authenticated.as_str());
        let status = if ok {
            "authenticated"
        } else if v["cancelled"] == json!(true) {
            "cancelled"
        } else {
            "failed"
        };
        st.orders.update(id, |o| {
            if o.status == "created" {
                o.status = status;
            }
        });
    }
}

/// The return page of a PG whose script reads the page itself ([`call::ReturnPage`], XPay's
/// `LGD_RETURNURL`, notes §1.5): the post's values as inputs with those ids, and a call of
/// `parent.<parent_call>()` when it runs inside the PG's frame; after a phone's page transition
/// there is no such parent, so it finishes itself.
fn framed_return_page(page: &call::ReturnPage, p: &Params, v: &Value) -> String {
    let inputs: Vec<(String, String)> = page
        .inputs
        .iter()
        .map(|k| (k.to_string(), p.str(k).to_string()))
        .collect();
    fill(
        include_str!("../../templates/framed-return.html"),
        &[
            ("form", &escape(page.form)),
            ("inputs", &hidden_inputs(&inputs)),
            ("call", &script_json(&json!(page.parent_call))),
            ("json", &script_json(v)),
        ],
    )
}

/// The merchant's return page: relays the verified next step to the opener/parent; after a
/// redirect (nobody to relay to) it finishes the payment itself through `/api/<pg>/complete`.
pub fn return_page(v: &Value) -> String {
    fill(
        include_str!("../../templates/merchant-return.html"),
        &[("json", &script_json(v))],
    )
}

/// The order's `stop_url` (Smartro's mobile `StopURL`, manual 001): the buyer stopped in the PG page.
async fn stop(Path(pg_name): Path<String>) -> Response {
    let v = json!({"pg": pg_name, "orderId": "", "success": false, "cancelled": true,
        "code": "STOP", "message": "결제를 중지했습니다 (stopped by the buyer)", "next": "none"});
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>결제 중지</title><link rel=stylesheet href=\"/demo.css\">\
         <h1>결제 중지</h1><pre id=result-view>{}</pre><p><a href=\"/\">처음으로</a></p>",
        escape(&serde_json::to_string_pretty(&v).unwrap_or_default())
    ))
    .into_response()
}
