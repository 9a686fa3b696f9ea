//! The merchant-side stub: what a merchant server does with hanpay. It builds and signs forms
//! with the published test credentials through hanpay's builders, verifies what the PG posts
//! back (signature *and* amount against its own order), runs the server step the browser
//! adapter reports (`next`), and answers notifications idempotently.

use super::credentials::{
    KCP_CERT_INFO, KCP_SITE_CD, KISPG_KEY, KISPG_MID, KSPAY_STORE_ID, SMARTRO_KEY, SMARTRO_MID,
    XPAY_CST_MID, XPAY_KEY,
};
use super::lifecycle::send;
use super::{base_url, http, next_step, Shared};
use crate::generic::{escape, script_json};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hanpay::order::{Method, Order};
use hanpay::pg::call::{self, Call, Next, OrderRef};
use hanpay::pg::{self, KstTime, MessageKind, Mode, Params, PaymentResult, Pg, Status, Verify};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;

pub use super::store::{EventKey, OrderRecord, Store};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/{pg}/checkout", post(checkout))
        .route("/api/{pg}/complete", post(complete))
        .route("/api/{pg}/orders/{id}", get(order_state))
        .route("/merchant/{pg}/return", post(super_return))
        .route("/merchant/kspay/relay", post(kspay_relay))
        .route("/merchant/{pg}/notify", post(notify))
        .route("/merchant/{pg}/stop", get(stop).post(stop))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckoutRequest {
    amount: u64,
    #[serde(default)]
    goods_name: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    mobile: bool,
    #[serde(default)]
    notify_failures: u32,
    /// `appReturnFields(appScheme)` from the page, when it runs inside a hybrid app: the PG
    /// fields that bring the buyer back to the app after ISP / app-card hops.
    #[serde(default)]
    app_return: Value,
}

fn bad(field: &str, rule: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": "invalid_input", "field": field, "rule": rule, "message": message})),
    )
        .into_response()
}

/// The PGs whose emulation is complete (browser step, server step, notifications).
const EMULATED: &[Pg] = &Pg::ALL;

fn pg_of(name: &str) -> Option<Pg> {
    Pg::from_name(name).filter(|p| EMULATED.contains(p))
}

fn unknown_pg() -> Response {
    bad("pg", "one_of", "xpay, smartro, kspay, kcp or kispg")
}

/// Builds and signs the checkout form for the browser (hanpay's builders, test mode).
async fn checkout(
    State(st): State<Shared>,
    Path(pg_name): Path<String>,
    headers: HeaderMap,
    Json(req): Json<CheckoutRequest>,
) -> Response {
    let Some(pg) = pg_of(&pg_name) else {
        return unknown_pg();
    };
    let base = base_url(&headers);
    let seq = st.next_id();
    let order_id = format!(
        "{}{}{:06}",
        pg.name().to_ascii_uppercase(),
        super::yymmddhhmmss(),
        seq
    );
    let vbank = req.method == "vbank";
    let order = Order {
        merchant_id: match pg {
            Pg::Xpay => XPAY_CST_MID,
            Pg::Smartro => SMARTRO_MID,
            Pg::Kspay => KSPAY_STORE_ID,
            Pg::Kcp => KCP_SITE_CD,
            Pg::Kispg => KISPG_MID,
            Pg::SmartroPay => super::credentials::SMARTROPAY_MID,
        }
        .to_string(),
        order_id: order_id.clone(),
        amount: req.amount,
        goods_name: if req.goods_name.is_empty() {
            "테스트 상품".into()
        } else {
            req.goods_name.clone()
        },
        buyer_name: "홍길동".into(),
        buyer_phone: "01012345678".into(),
        buyer_email: "buyer@example.com".into(),
        // XPay and KSNET post no order id back to the browser step: the merchant's own return
        // URL carries it (a real merchant would keep it in the session).
        return_url: match pg {
            Pg::Xpay | Pg::Kspay => format!("{base}/merchant/{}/return?oid={order_id}", pg.name()),
            _ => format!("{base}/merchant/{}/return", pg.name()),
        },
        notify_url: format!("{base}/merchant/{}/notify", pg.name()),
        methods: vec![if vbank {
            Method::VirtualAccount
        } else {
            Method::Card
        }],
        buyer_ip: "127.0.0.1".into(),
        phone: req.mobile,
        stop_url: format!("{base}/merchant/smartro/stop"),
        overrides: overrides(pg, &req, &base),
        ..Order::default()
    };
    let key = match pg {
        Pg::Xpay => XPAY_KEY,
        Pg::Smartro => SMARTRO_KEY,
        Pg::Kispg => KISPG_KEY,
        Pg::SmartroPay => super::credentials::SMARTROPAY_KEY,
        Pg::Kcp | Pg::Kspay => "",
    };
    let form = if pg == Pg::Kcp && req.mobile {
        match kcp_phone_form(&base, &order).await {
            Ok(f) => f,
            Err(e) => return e,
        }
    } else {
        match order.checkout(pg, key, Mode::Test, KstTime::now()) {
            Ok(f) => f,
            Err(e) => return (StatusCode::BAD_REQUEST, e.to_json()).into_response(),
        }
    };
    let record = OrderRecord {
        pg,
        amount: req.amount,
        method: req.method.clone(),
        status: "created",
        tid: String::new(),
        notices: 0,
        deposits: 0,
        fail_replies: req.notify_failures,
        pg_method: String::new(),
        cancelled: 0,
        cancels: 0,
    };
    if let Err(e) = st.merchant.insert(&order_id, record) {
        return (StatusCode::CONFLICT, Json(json!({"error": e}))).into_response();
    }
    let mut v: Value = serde_json::from_str(&form.to_json(pg.name())).unwrap_or(Value::Null);
    v["orderId"] = json!(order_id);
    Json(v).into_response()
}

/// KCP on a phone (notes §3.3): the library builds the trade registration, the sandbox's client
/// sends it, the library reads the answer and builds the `order_info` form with its
/// `approval_key`.
async fn kcp_phone_form(base: &str, order: &Order) -> Result<hanpay::form::CheckoutForm, Response> {
    use hanpay::pg::call::kcp::read_trade_registration;
    let now = KstTime::now();
    let invalid =
        |e: hanpay::ValidationError| (StatusCode::BAD_REQUEST, e.to_json()).into_response();
    let req = order
        .kcp_trade_registration(Mode::Test, now)
        .map_err(invalid)?;
    let p = send(base, &req)
        .await
        .map_err(|e| bad("approval_key", "trade_register", &e))?;
    let reg = read_trade_registration(&p).map_err(|e| {
        bad(
            "approval_key",
            "trade_register",
            &format!("[{}] {}", e.code, e.message),
        )
    })?;
    order
        .kcp_phone_checkout(&reg, Mode::Test, now)
        .map_err(invalid)
}

/// PG-native extras the generic order does not cover.
fn overrides(pg: Pg, req: &CheckoutRequest, base: &str) -> Vec<(String, String)> {
    let mut o: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: String| o.push((k.to_string(), v));
    match pg {
        Pg::Smartro => {
            set("MallIP", "127.0.0.1".into());
            if req.method == "vbank" {
                set("VbankExpDate", vbank_expiry());
            }
        }
        Pg::Kispg => {
            for key in ["appSchemeFlg", "resultScheme", "cancelScheme", "P_RESERVED"] {
                if let Some(v) = req.app_return["kispg"][key].as_str() {
                    set(key, v.to_string());
                }
            }
        }
        Pg::Xpay => {}
        Pg::SmartroPay => set("MallIp", "127.0.0.1".into()),
        Pg::Kcp => {
            set("site_name", "hanpay sandbox".into());
            set("encoding_trans", "UTF-8".into());
        }
        Pg::Kspay => {
            set("sndStoreName", "hanpay".into());
            if let Some(v) = req.app_return["ksnet"]["sndRtApp"].as_str() {
                set("sndRtApp", v.to_string());
            }
            if !req.mobile {
                set("sndReply", format!("{base}/merchant/kspay/relay"));
            }
        }
    }
    o
}

fn vbank_expiry() -> String {
    KstTime::from_unix(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
            + 3 * 86_400,
    )
    .format()
    .get(..8)
    .unwrap_or("")
    .to_string()
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
    let Some(pg) = pg_of(&pg_name) else {
        return unknown_pg();
    };
    // Smartro posts EUC-KR unless the order asked for UTF-8; the others post UTF-8 here.
    let p = match super::decode_form(&body, false).or_else(|_| super::decode_form(&body, true)) {
        Ok(p) => p,
        Err(e) => return super::error_page("merchant", "charset", &e),
    };
    let v = match pg {
        Pg::Smartro => smartro_return(&st, &p),
        Pg::SmartroPay => super::smartropay::merchant_return(&st, &p),
        Pg::Kispg => {
            let order_id = p.str("ordNo");
            let order = st.merchant.get(order_id);
            let r = pg::verify(Pg::Kispg, &p, &Verify::new(MessageKind::Return, KISPG_KEY));
            let ok = r.status == Status::Authenticated;
            let v = next_step(
                pg,
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
            if p.str("resultCd") == super::kispg::USER_CANCEL {
                cancelled(v)
            } else {
                amount_checked(v, order.as_ref(), r.amount)
            }
        }
        Pg::Xpay => {
            let oid = q.get("oid").map(String::as_str).unwrap_or("");
            let v = xpay_return(oid, &p);
            mark_returned(&st, &v);
            return Html(xpay_return_page(&p, &v)).into_response();
        }
        Pg::Kcp => {
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
                pg,
                p.str("ordr_idxx"),
                code == "0000",
                code,
                p.str("res_msg"),
                "approve",
                &fields,
            );
            if code == super::kcp::USER_CANCEL {
                cancelled(v)
            } else {
                v
            }
        }
        Pg::Kspay => {
            let oid = q.get("oid").map(String::as_str).unwrap_or("");
            kspay_ids(oid, &p)
        }
    };
    mark_returned(&st, &v);
    Html(return_page(&v)).into_response()
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
    let p = super::decode_form(&body, false).unwrap_or_default();
    let ids = json!({
        "reCommConId": p.str("reCommConId"), "reCommType": p.str("reCommType"),
        "reHash": p.str("reHash"), "reCnclType": p.str("reCnclType"),
    });
    Html(format!(
        r#"<!doctype html><meta charset=utf-8><title>KSPay</title><p>결제 결과 전달 중…</p>
<script type="application/json" id=ids>{json}</script>
<script>
var r = JSON.parse(document.getElementById("ids").textContent);
var t = opener == null ? parent : opener;
if (r.reCnclType === "1") t.mcancel();
else {{ t.eparamSet(r.reCommConId, r.reCommType, r.reHash); t.goResult(); }}
if (opener != null) setTimeout(function () {{ self.close(); }}, 2000);
</script>"#,
        json = script_json(&ids)
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
        st.merchant.update(id, |o| {
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
    if code == super::xpay::USER_CANCEL {
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
    format!(
        r#"<!doctype html><html lang=ko><head><meta charset=utf-8><title>결제 결과</title>
<meta name=viewport content="width=device-width, initial-scale=1">
<link rel=stylesheet href="/demo.css"></head><body>
<form id=LGD_PAYINFO>{inputs}</form>
<h1>결제 결과</h1><pre id=result-view>…</pre><p><a href="/">처음으로</a></p>
<script type="application/json" id=result>{json}</script>
<script type=module>
import {{ finish }} from "/pg/return.js";
const inFrame = window.parent !== window && typeof window.parent.payment_return === "function";
document.body.dataset.relayed = String(inFrame);
if (inFrame) window.parent.payment_return();
else await finish(JSON.parse(document.getElementById("result").textContent));
</script></body></html>"#,
        inputs = super::hidden_inputs(&inputs),
        json = script_json(v)
    )
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
fn smartro_return(st: &Shared, p: &Params) -> Value {
    let claimed = pg::verify(
        Pg::Smartro,
        p,
        &Verify::new(MessageKind::Return, SMARTRO_KEY),
    );
    let order_id = claimed.order_id.clone();
    let order = st.merchant.get(&order_id);
    let mut check = Verify::new(MessageKind::Return, SMARTRO_KEY).expect_order(&order_id);
    if let Some(o) = &order {
        check = check.expect_amount(o.amount);
    }
    let mut r = pg::verify(Pg::Smartro, p, &check);
    if let Some(other) = st
        .merchant
        .order_with_tid(&r.tid)
        .filter(|o| *o != order_id)
    {
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
        let _ = st.merchant.apply_once(&order_id, &key, |o| {
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
    format!(
        r#"<!doctype html><html lang=ko><head><meta charset=utf-8><title>결제 결과</title>
<meta name=viewport content="width=device-width, initial-scale=1">
<link rel=stylesheet href="/demo.css"></head><body>
<h1>결제 결과</h1><pre id=result-view>…</pre><p><a href="/">처음으로</a></p>
<script type="application/json" id=result>{json}</script>
<script type=module>
import init, {{ relayResult }} from "/pkg/index.js";
import {{ finish }} from "/pg/return.js";
const next = JSON.parse(document.getElementById("result").textContent);
await init();
const relayed = relayResult(next, {{ targetOrigin: location.origin, requestId: next.orderId }});
document.body.dataset.relayed = String(relayed);
if (!relayed) await finish(next);
</script></body></html>"#,
        json = script_json(v)
    )
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
    let Some(pg) = pg_of(&pg_name) else {
        return unknown_pg();
    };
    let Some(order) = st.merchant.get(&req.order_id).filter(|o| o.pg == pg) else {
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
    let r = match server_step(&base, &next, &req.order_id, &order, call_kind).await {
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
        .merchant
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

/// The merchant's configuration in each PG's names for the approval step (published test
/// credentials; KCP's `pay_type` from the order's method).
fn approval_config(pg: Pg, order: &OrderRecord) -> Params {
    match pg {
        Pg::Xpay => Params::from_pairs([("CST_MID", XPAY_CST_MID)]),
        Pg::Kcp => {
            let method = if order.method == "vbank" {
                Method::VirtualAccount
            } else {
                Method::Card
            };
            Params::from_pairs([
                ("site_cd", KCP_SITE_CD),
                ("kcp_cert_info", KCP_CERT_INFO),
                ("pay_type", hanpay::pg::call::kcp::pay_type(method)),
            ])
        }
        Pg::Kispg => Params::from_pairs([("mid", KISPG_MID)]),
        Pg::Smartro | Pg::SmartroPay | Pg::Kspay => Params::new(),
    }
}

/// The server step with library calls only: `complete` builds it with the order's own amount
/// (XPay PaymentByKey with `LGD_AMOUNTCHECKYN=Y`, KCP `ordr_mony`, KSNET fetch, KISPG
/// `/v2/payment`), the sandbox's client sends it once, `read_response` checks the answer against
/// the order's id and amount, and `follow_up` names what must follow (KSNET's confirmation).
async fn server_step(
    base: &str,
    next: &Next,
    order_id: &str,
    order: &OrderRecord,
    call_kind: Call,
) -> Result<PaymentResult, String> {
    let pg = next.pg;
    let key = super::credentials::merchant_key(pg);
    let now = KstTime::now();
    let order_ref = OrderRef {
        id: order_id,
        amount: order.amount,
    };
    let req = call::complete(
        next,
        &order_ref,
        approval_config(pg, order),
        key,
        Mode::Test,
        now,
    )
    .map_err(|e| e.to_string())?
    .ok_or("nothing to call")?;
    let body = send(base, &req).await?;
    let v = Verify::new(MessageKind::Approval, key)
        .mode(Mode::Test)
        .expect_order(order_id)
        .expect_amount(order.amount);
    let r = call::read_response(pg, call_kind, &body, &v);
    if let Some(then) = call::follow_up(pg, call_kind, &req, &r) {
        send(base, &then).await?;
    }
    Ok(r)
}

/// The sandbox's notifiers post from this loopback address (`notify.rs` binds it), standing in
/// for the PGs' published notifier addresses (KCP manual 003 §6, KISPG manual 004 §2.2): a
/// notice from anywhere else — a browser or `curl` on 127.0.0.1 — is refused like a forgery.
pub const SANDBOX_NOTIFIERS: &[&str] = &[http::NOTIFIER_IP];

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
    let Some(pg) = pg_of(&pg_name) else {
        return unknown_pg();
    };
    let Ok(p) = super::decode_form(&body, false) else {
        return (StatusCode::BAD_REQUEST, "bad charset").into_response();
    };
    let key = match pg {
        Pg::Xpay => XPAY_KEY,
        Pg::Smartro => SMARTRO_KEY,
        Pg::Kispg => KISPG_KEY,
        _ => "",
    };
    let peer_ip = peer.ip().to_string();
    let notice = Verify::new(MessageKind::Notice, key)
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
    let Some(order) = st.merchant.get(&claimed.order_id) else {
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
    st.merchant.update(&r.order_id, |o| {
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
    let applied = st
        .merchant
        .apply_once(&r.order_id, &key, |o| match r.status {
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

async fn order_state(
    State(st): State<Shared>,
    Path((_pg, id)): Path<(String, String)>,
) -> Response {
    match st.merchant.get(&id) {
        Some(o) => Json(json!({
            "orderId": id, "pg": o.pg.name(), "amount": o.amount, "status": o.status, "tid": o.tid,
            "noticesReceived": o.notices, "depositsProcessed": o.deposits,
            "cancelled": o.cancelled, "remaining": o.remaining(), "cancels": o.cancels,
            "applied": st.merchant.applied(&id).into_iter()
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
