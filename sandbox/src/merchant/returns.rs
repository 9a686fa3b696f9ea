//! The browser step coming back: the PG's post to the merchant's return URL, verified and turned
//! into the next step the page relays to `pay()`'s caller (or finishes itself after a
//! redirect), and the pages around it (KSNET's relay, Smartro's stop).

use super::store::{EventKey, OrderRecord};
use super::{rejection_code, unknown_pg, Shared};
use crate::credentials::{
    test_merchant, TestMerchant, KCP_USER_CANCEL, KISPG_USER_CANCEL, XPAY_USER_CANCEL,
};
use crate::http::decode_form;
use crate::pages::{error_page, escape, fill, hidden_inputs, script_json};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hanpay::pg::{self, MessageKind, Params, PaymentResult, Pg, Status, Verify};
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/merchant/{pg}/return", post(super_return))
        .route("/merchant/kspay/relay", post(kspay_relay))
        .route("/merchant/{pg}/stop", get(stop).post(stop))
}

/// The verified outcome of the browser step, as relayed to the page that called `pay()`:
/// `success`/`cancelled`/`code`/`message` drive the promise; `next` says what the merchant
/// server does next and carries exactly the PG-native values it needs.
pub fn next_step(
    pg: Pg,
    order_id: &str,
    ok: bool,
    code: &str,
    message: &str,
    next: &str,
    params: &[(&str, &str)],
) -> serde_json::Value {
    // The browser step is authentication: money moves at the server step (`next`), so this is
    // never `success` (issue "Payment truth").
    let mut v = serde_json::json!({
        "pg": pg.name(), "orderId": order_id,
        "status": if ok { hanpay::pg::Status::Authenticated } else { hanpay::pg::Status::Failed }.as_str(),
        "success": false, "cancelled": false,
        "code": code, "message": message, "next": if ok { next } else { "none" },
    });
    for (k, val) in params {
        v[*k] = serde_json::json!(val);
    }
    v
}

/// Marks a result whose amount disagrees with the order (a tampered post) as failed.
fn amount_checked(mut v: Value, order: Option<&OrderRecord>, posted: Option<u64>) -> Value {
    let expected = order.map(|o| o.amount);
    if expected.is_none() || posted.is_some_and(|p| Some(p) != expected) {
        v["status"] = json!(Status::Rejected.as_str());
        v["success"] = json!(false);
        v["next"] = json!("none");
        v["code"] = json!("AMOUNT_MISMATCH");
        v["message"] = json!(format!(
            "금액 불일치 (amount mismatch): order {expected:?}, PG posted {posted:?}"
        ));
    }
    v
}

/// Where the PG posts the browser-step result (`ReturnURL`, `returnUrl`, `LGD_RETURNURL`,
/// `Ret_URL`, `sndReply` on mobile).
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
    let oid = q.get("oid").map(String::as_str).unwrap_or("");
    // Not data: each PG's browser-step post is its own protocol — a signed payment (Smartro), a
    // signed authentication (KISPG), unsigned ids for the server step (the others) — with its
    // own cancel code and its own fields for the step.
    let v = match m.pg {
        Pg::Smartro => smartro_return(&st, m, &p),
        Pg::SmartroPay => smartropay_return(&st, m, &p),
        Pg::Kispg => kispg_return(&st, m, &p),
        Pg::Xpay => {
            let v = xpay_return(oid, &p);
            mark_returned(&st, &v);
            return Html(xpay_return_page(&p, &v)).into_response();
        }
        Pg::Kcp => kcp_return(&p),
        Pg::Kspay => kspay_ids(oid, &p),
    };
    mark_returned(&st, &v);
    Html(return_page(&v)).into_response()
}

/// KISPG's `returnUrl` post: signed, bound to the order's amount; `resultCd` [`KISPG_USER_CANCEL`]
/// is the buyer's cancel.
fn kispg_return(st: &Shared, m: &TestMerchant, p: &Params) -> Value {
    let order_id = p.str("ordNo");
    let order = st.orders.get(order_id);
    let r = pg::verify(m.pg, p, &Verify::new(MessageKind::Return, m.key));
    let ok = r.status == Status::Authenticated;
    let v = next_step(
        m.pg,
        order_id,
        ok,
        &r.code,
        &r.message,
        "approve",
        &[("tid", &r.tid), ("amt", p.str("amt"))],
    );
    let v = if r.status == Status::Rejected {
        refused(v, &r)
    } else {
        v
    };
    if p.str("resultCd") == KISPG_USER_CANCEL {
        cancelled(v)
    } else {
        amount_checked(v, order.as_ref(), r.amount)
    }
}

/// KCP's `Ret_URL` post: unsigned ids for the approval call; `res_cd` [`KCP_USER_CANCEL`] is the
/// buyer's cancel.
fn kcp_return(p: &Params) -> Value {
    let code = p.str("res_cd");
    let fields: Vec<(&str, &str)> = [
        "enc_data",
        "enc_info",
        "tran_cd",
        "use_pay_method",
        "ordr_idxx",
    ]
    .iter()
    .map(|k| (*k, p.str(k)))
    .collect();
    let v = next_step(
        Pg::Kcp,
        p.str("ordr_idxx"),
        code == "0000",
        code,
        p.str("res_msg"),
        "approve",
        &fields,
    );
    if code == KCP_USER_CANCEL {
        cancelled(v)
    } else {
        v
    }
}

/// KSNET's ids as the next step; `reCnclType=1` is the buyer's cancel (notes §4.1).
fn kspay_ids(order_id: &str, p: &Params) -> Value {
    let ok = !p.str("reCommConId").is_empty() && p.str("reCnclType") != "1";
    let v = next_step(
        Pg::Kspay,
        order_id,
        ok,
        if ok { "" } else { "CANCEL" },
        if ok {
            ""
        } else {
            "결제를 취소했습니다"
        },
        "fetch_result",
        &[
            ("reCommConId", p.str("reCommConId")),
            ("reCommType", p.str("reCommType")),
            ("reHash", p.str("reHash")),
        ],
    );
    if ok {
        v
    } else {
        cancelled(v)
    }
}

/// PC `sndReply`: KSNET's relay page in the frame or popup hands the ids to the parent or
/// opener through `eparamSet` and `goResult`, or reports the buyer's cancel (`reCnclType=1`)
/// through `mcancel()`, as the official `kspay_wh_rcv` does (HyeongjuLee/wpr-cosmico:
/// PG/KSNET/utf-8/kspay_wh_rcv.asp@c7077f50: `opener == null` → `parent`, else `opener` and a
/// `self.close()` 2 s later).
async fn kspay_relay(body: axum::body::Bytes) -> Response {
    let p = decode_form(&body, false).unwrap_or_default();
    let ids = json!({
        "reCommConId": p.str("reCommConId"), "reCommType": p.str("reCommType"),
        "reHash": p.str("reHash"), "reCnclType": p.str("reCnclType"),
    });
    Html(fill(
        include_str!("../../templates/kspay-relay.html"),
        &[("json", &script_json(&ids))],
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

/// XPay's `LGD_RETURNURL` post: unsigned, so it only says whether to call PaymentByKey.
fn xpay_return(order_id: &str, p: &Params) -> Value {
    let code = p.str("LGD_RESPCODE");
    let ok = code == "0000" && !p.str("LGD_PAYKEY").is_empty();
    let v = next_step(
        Pg::Xpay,
        order_id,
        ok,
        code,
        p.str("LGD_RESPMSG"),
        "payment_by_key",
        &[("LGD_RESPCODE", code), ("LGD_PAYKEY", p.str("LGD_PAYKEY"))],
    );
    if code == XPAY_USER_CANCEL {
        cancelled(v)
    } else {
        v
    }
}

/// The `LGD_RETURNURL` page (notes §1.5): echoes `LGD_RESPCODE`/`LGD_RESPMSG`/`LGD_PAYKEY` as
/// inputs with those ids and calls `parent.payment_return()` when it runs inside XPay's
/// iframe; after the mobile page transition there is no such parent, so it finishes itself.
fn xpay_return_page(p: &Params, v: &Value) -> String {
    let inputs: Vec<(String, String)> = ["LGD_RESPCODE", "LGD_RESPMSG", "LGD_PAYKEY"]
        .iter()
        .map(|k| (k.to_string(), p.str(k).to_string()))
        .collect();
    fill(
        include_str!("../../templates/xpay-return.html"),
        &[
            ("inputs", &hidden_inputs(&inputs)),
            ("json", &script_json(v)),
        ],
    )
}

/// A message the merchant refuses, with the contract's reason.
fn refused(mut v: Value, r: &PaymentResult) -> Value {
    v["status"] = json!(Status::Rejected.as_str());
    v["success"] = json!(false);
    v["next"] = json!("none");
    v["code"] = json!(rejection_code(r));
    v["message"] = json!(r
        .reason
        .map(String::from)
        .unwrap_or_else(|| r.message.clone()));
    v
}

pub fn cancelled(mut v: Value) -> Value {
    v["status"] = json!(Status::Failed.as_str());
    v["success"] = json!(false);
    v["cancelled"] = json!(true);
    v["next"] = json!("none");
    v
}

/// Smartro's ReturnURL post is the payment itself (WEBLink approves inside its window). It is
/// bound to the order the merchant created (amount) and to a TID no other order holds.
fn smartro_return(st: &Shared, m: &TestMerchant, p: &Params) -> Value {
    let claimed = pg::verify(m.pg, p, &Verify::new(MessageKind::Return, m.key));
    let order_id = claimed.order_id.clone();
    let order = st.orders.get(&order_id);
    let mut check = Verify::new(MessageKind::Return, m.key).expect_order(&order_id);
    if let Some(o) = &order {
        check = check.expect_amount(o.amount);
    }
    let mut r = pg::verify(Pg::Smartro, p, &check);
    if let Some(other) = st.orders.order_with_tid(&r.tid).filter(|o| *o != order_id) {
        r.status = Status::Rejected;
        r.success = false;
        r.message = format!("TID already pays order {other}");
    }
    let amt = r.amount.map(|a| a.to_string()).unwrap_or_default();
    let ok = matches!(r.status, Status::Paid | Status::Pending);
    let next = if r.status == Status::Pending {
        "await_deposit"
    } else {
        "done"
    };
    let mut v = next_step(
        Pg::Smartro,
        &order_id,
        ok,
        &r.code,
        &r.message,
        next,
        &[("tid", &r.tid), ("amount", &amt)],
    );
    v["status"] = json!(r.status.as_str());
    v["success"] = json!(r.success);
    let v = if r.status == Status::Rejected {
        refused(v, &r)
    } else {
        v
    };
    if ok && order.is_some() {
        let key = EventKey {
            pg: Pg::Smartro,
            tid: &r.tid,
            kind: "approve",
            seq: 0,
        };
        let _ = st.orders.apply_once(&order_id, &key, |o| {
            o.tid = r.tid.clone();
            o.pg_method = r.method.clone();
            o.status = if r.status == Status::Pending {
                "pending"
            } else {
                "paid"
            };
        });
    }
    v
}

/// The merchant's return page: relays the verified next step to the opener/parent; after a
/// redirect (nobody to relay to) it finishes the payment itself through `/api/<pg>/complete`.
pub fn return_page(v: &Value) -> String {
    fill(
        include_str!("../../templates/merchant-return.html"),
        &[("json", &script_json(v))],
    )
}

/// Smartro mobile `StopURL`: the buyer stopped in the PG page.
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

/// The phone's post to `ReturnUrl`: unsigned (S6), so it only names the server step. Bound to
/// the order the merchant created (`Moid`, amount).
fn smartropay_return(st: &Shared, m: &TestMerchant, p: &Params) -> Value {
    let order_id = p.str("Moid");
    let order = st.orders.get(order_id);
    let mut check = Verify::new(MessageKind::Return, m.key).expect_order(order_id);
    if let Some(o) = &order {
        check = check.expect_amount(o.amount);
    }
    let r = pg::verify(Pg::SmartroPay, p, &check);
    let ok = r.status == pg::Status::Authenticated && order.is_some();
    let v = next_step(
        Pg::SmartroPay,
        order_id,
        ok,
        &r.code,
        r.reason.unwrap_or(&r.message),
        "approve",
        &[("Tid", p.str("Tid")), ("TrAuthKey", p.str("TrAuthKey"))],
    );
    if r.status == pg::Status::Rejected {
        let mut v = v;
        v["status"] = json!("rejected");
        v["code"] = json!("REJECTED");
        return v;
    }
    v
}
