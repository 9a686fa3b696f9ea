//! The merchant-side stub: what a merchant server does with hanpay. It builds and signs forms
//! with the published test credentials through hanpay's builders, verifies what the PG posts
//! back (signature *and* amount against its own order), runs the server step the browser
//! adapter reports (`next`), and answers notifications idempotently.

use super::{base_url, http, sandbox_url, Shared};
use crate::generic::{escape, script_json};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hanpay::order::{Method, Order};
use hanpay::pg::{self, KstTime, MessageKind, Mode, Params, PaymentResult, Pg, Status, Verify};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

/// Published test credentials (notes/pg-protocols.md §1.4, §2.1, §3.1, §4.2, §5.4).
pub const SMARTRO_MID: &str = "SMTPAY001m";
pub const SMARTRO_KEY: &str =
    "0/4GFsSd7ERVRGX9WHOzJ96GyeMTwvIaKSWUCKmN3fDklNRGw3CualCFoMPZaS99YiFGOuwtzTkrLo4bR4V+Ow==";
pub const KISPG_MID: &str = "kistest00m";
pub const KISPG_KEY: &str =
    "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";
pub const XPAY_CST_MID: &str = "lgdacomxpay";
pub const XPAY_KEY: &str = "95160cce09854ef44d2edb2bfb05f9f3";
pub const KCP_SITE_CD: &str = "T0000";
/// Sent as `kcp_cert_info`: the sandbox holds no KCP certificate and checks only the PEM
/// framing; a real merchant sends the certificate KCP issued to it.
pub const KCP_CERT_INFO: &str =
    "-----BEGIN CERTIFICATE-----hanpay-sandbox-----END CERTIFICATE-----";
pub const KSPAY_STORE_ID: &str = "2999199999";

/// The merchant's own record of an order: the amount it expects is the truth.
#[derive(Clone, Debug)]
pub struct OrderRecord {
    pub pg: Pg,
    pub amount: u64,
    pub method: String,
    pub status: &'static str,
    pub tid: String,
    /// Notifications received (including retries) and deposits actually applied.
    pub notices: u32,
    pub deposits: u32,
    /// Test hook: answer this many notifications wrongly (after applying them), to prove that
    /// retries are not applied twice.
    pub fail_replies: u32,
}

#[derive(Default)]
pub struct Store {
    orders: Mutex<HashMap<String, OrderRecord>>,
}

impl Store {
    pub fn get(&self, id: &str) -> Option<OrderRecord> {
        self.orders.lock().ok()?.get(id).cloned()
    }
    pub fn update(&self, id: &str, f: impl FnOnce(&mut OrderRecord)) -> Option<OrderRecord> {
        let mut m = self.orders.lock().ok()?;
        let o = m.get_mut(id)?;
        f(o);
        Some(o.clone())
    }
    /// The order a PG transaction id is already stored on: one TID pays one order (security
    /// review finding 1: Smartro signs only TID + ResultCode, so a signed result re-posted with
    /// another `Moid` is authentic for the other order too).
    pub fn order_with_tid(&self, tid: &str) -> Option<String> {
        let m = self.orders.lock().ok()?;
        m.iter()
            .find(|(_, o)| !tid.is_empty() && o.tid == tid)
            .map(|(id, _)| id.clone())
    }
    fn insert(&self, id: &str, o: OrderRecord) {
        if let Ok(mut m) = self.orders.lock() {
            m.insert(id.to_string(), o);
        }
    }
}

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
        Pg::Kcp | Pg::Kspay => "",
    };
    let mut form = match order.checkout(pg, key, Mode::Test, KstTime::now()) {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_json()).into_response(),
    };
    if pg == Pg::Kcp && req.mobile {
        form = match kcp_mobile_form(&base, &form).await {
            Ok(f) => f,
            Err(e) => return bad("approval_key", "trade_register", &e),
        };
    }
    st.merchant.insert(
        &order_id,
        OrderRecord {
            pg,
            amount: req.amount,
            method: req.method.clone(),
            status: "created",
            tid: String::new(),
            notices: 0,
            deposits: 0,
            fail_replies: req.notify_failures,
        },
    );
    let mut v: Value = serde_json::from_str(&form.to_json(pg.name())).unwrap_or(Value::Null);
    v["orderId"] = json!(order_id);
    Json(v).into_response()
}

/// KCP mobile (notes §3.3): register the trade server-side, then hand the browser the
/// `order_info` form for `PayUrl` with the `approval_key` (the adapter applies the
/// encodingFilter rule for UTF-8).
async fn kcp_mobile_form(
    base: &str,
    pc: &hanpay::form::CheckoutForm,
) -> Result<hanpay::form::CheckoutForm, String> {
    let p = Params(pc.fields.clone());
    let vcnt = p.str("pay_method") == "001000000000";
    let (method, action) = if vcnt {
        ("VCNT", "vcnt")
    } else {
        ("CARD", "card")
    };
    let ret_url = format!("{base}/merchant/kcp/return");
    let reg = json!({
        "site_cd": p.str("site_cd"), "ordr_idxx": p.str("ordr_idxx"), "good_mny": p.str("good_mny"),
        "good_name": p.str("good_name"), "pay_method": method, "Ret_URL": ret_url, "user_agent": "",
    });
    let url = sandbox_url(base, "https://testsmpay.kcp.co.kr/trade/register.do");
    let reply = http::post(&url, "application/json", &reg.to_string()).await?;
    let r = Params::from_json(&reply.body).map_err(|e| format!("{e:?}"))?;
    if r.str("Code") != "0000" {
        return Err(format!("[{}] {}", r.str("Code"), r.str("Message")));
    }
    let fields: Vec<(String, String)> = [
        ("site_cd", p.str("site_cd")),
        ("ordr_idxx", p.str("ordr_idxx")),
        ("good_name", p.str("good_name")),
        ("good_mny", p.str("good_mny")),
        ("pay_method", method),
        ("ActionResult", action),
        ("currency", "410"),
        ("Ret_URL", &ret_url),
        ("approval_key", r.str("approvalKey")),
        ("PayUrl", r.str("PayUrl")),
        ("traceNo", r.str("traceNo")),
        ("shop_name", p.str("site_name")),
        ("encoding_trans", "UTF-8"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Ok(hanpay::form::CheckoutForm {
        action: r.str("PayUrl").to_string(),
        method: "POST".into(),
        accept_charset: "UTF-8".into(),
        target: String::new(),
        fields,
    })
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
) -> Value {
    // The browser step is authentication: money moves at the server step (`next`), so this is
    // never `success` (issue "Payment truth").
    let mut v = json!({
        "pg": pg.name(), "orderId": order_id,
        "status": if ok { Status::Authenticated } else { Status::Failed }.as_str(),
        "success": false, "cancelled": false,
        "code": code, "message": message, "next": if ok { next } else { "none" },
    });
    for (k, val) in params {
        v[*k] = json!(val);
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
        st.merchant.update(&order_id, |o| {
            o.tid = r.tid.clone();
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
    let text = |k: &str| {
        req.rest
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let result: Result<PaymentResult, String> = match (pg, req.next.as_str()) {
        (Pg::Smartro, "done" | "await_deposit") => {
            // Verified (SignValue, order, amount, TID) when the PG posted the return: report the
            // order's record, not anything the browser sends now.
            return Json(json!({
                "pg": pg.name(), "orderId": req.order_id, "status": order.status,
                "success": order.status == "paid", "code": order.status, "message": "",
                "amount": order.amount, "tid": order.tid,
            }))
            .into_response();
        }
        (Pg::Kispg, "approve") => kispg_approve(&base, &req.order_id, &order, &text("tid")).await,
        (Pg::Xpay, "payment_by_key") => {
            xpay_payment_by_key(&base, &req.order_id, &order, &text("LGD_PAYKEY")).await
        }
        (Pg::Kcp, "approve") => {
            let enc = [text("enc_data"), text("enc_info"), text("tran_cd")];
            kcp_approve(&base, &req.order_id, &order, &enc).await
        }
        (Pg::Kspay, "fetch_result") => {
            kspay_fetch(&base, &req.order_id, &order, &text("reCommConId")).await
        }
        _ => Err(format!(
            "next step {:?} does not apply to {}",
            req.next,
            pg.name()
        )),
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => return bad("next", "server_step", &e),
    };
    let status = match r.status {
        Status::Paid => "paid",
        Status::Pending => "pending",
        _ => "failed",
    };
    let updated = st.merchant.update(&req.order_id, |o| {
        if o.status != "paid" && o.status != "pending" {
            o.status = status;
            o.tid = r.tid.clone();
        }
    });
    Json(json!({
        "pg": pg.name(), "orderId": req.order_id, "success": r.success,
        "code": if r.status == Status::Rejected { rejection_code(&r).to_string() } else { r.code.clone() },
        "message": r.reason.map(String::from).unwrap_or(r.message), "amount": r.amount,
        "tid": r.tid, "result": r.status.as_str(),
        "status": updated.map(|o| o.status).unwrap_or(status),
    }))
    .into_response()
}

/// Sends a server call the library built to the emulator behind its real URL, in the call's own
/// content type, and reads the JSON answer (XPay's XPayClient, KCP's REST API and KISPG answer
/// JSON; KSNET's backtick text is read by `kspay_fetch` itself).
async fn send(base: &str, req: &hanpay::pg::call::Request) -> Result<Params, String> {
    let url = sandbox_url(base, &req.url);
    let reply = if req.content_type == hanpay::pg::call::JSON {
        http::post(&url, req.content_type, &req.json_body()).await?
    } else {
        http::post_form(&url, &req.fields.0).await?
    };
    Params::from_json(&reply.body).map_err(|e| format!("{e:?}"))
}

/// The check of a server call's response: bound to the order's id and its own amount.
fn approval(key: &str, order_id: &str, order: &OrderRecord) -> Verify<'static> {
    let key: &'static str = match key {
        XPAY_KEY => XPAY_KEY,
        KISPG_KEY => KISPG_KEY,
        _ => "",
    };
    Verify::new(MessageKind::Approval, key)
        .expect_order(order_id)
        .expect_amount(order.amount)
}

/// PaymentByKey (notes §1.2): authenticated with `LGD_TXID` (MID + "-" + server id + time +
/// SHA-1 of a unique header) and `LGD_AUTHCODE` = SHA-1(LGD_TXID + MertKey), with the PG's
/// amount check on the merchant's own amount.
async fn xpay_payment_by_key(
    base: &str,
    order_id: &str,
    order: &OrderRecord,
    paykey: &str,
) -> Result<PaymentResult, String> {
    use hanpay::pg::call::{self, Call};
    let params = Params::from_pairs([
        ("CST_MID", XPAY_CST_MID),
        ("LGD_PAYKEY", paykey),
        ("LGD_AMOUNT", &order.amount.to_string()),
    ]);
    let req = call::request(
        Pg::Xpay,
        Call::PaymentByKey,
        params,
        XPAY_KEY,
        Mode::Test,
        KstTime::now(),
    )
    .map_err(|e| e.to_string())?;
    let p = send(base, &req).await?;
    Ok(pg::verify(
        Pg::Xpay,
        &p,
        &approval(XPAY_KEY, order_id, order),
    ))
}

/// KCP approval (notes §3.2 REST shape): `enc_data`/`enc_info`/`tran_cd` from the browser,
/// but `ordr_mony` and `pay_type` from the merchant's own order.
async fn kcp_approve(
    base: &str,
    order_id: &str,
    order: &OrderRecord,
    enc: &[String; 3],
) -> Result<PaymentResult, String> {
    use hanpay::pg::call::{self, Call};
    let [data, info, tran] = enc;
    let params = Params::from_pairs([
        ("site_cd", KCP_SITE_CD),
        ("kcp_cert_info", KCP_CERT_INFO),
        ("tran_cd", tran),
        ("enc_data", data),
        ("enc_info", info),
        ("ordr_mony", &order.amount.to_string()),
        (
            "pay_type",
            if order.method == "vbank" {
                "PAVC"
            } else {
                "PACA"
            },
        ),
    ]);
    let req = call::request(
        Pg::Kcp,
        Call::Approve,
        params,
        "",
        Mode::Test,
        KstTime::now(),
    )
    .map_err(|e| e.to_string())?;
    let p = send(base, &req).await?;
    Ok(pg::verify(Pg::Kcp, &p, &approval("", order_id, order)))
}

/// KSNET result fetch (notes §4.1): `sndActionType=1` with the reply fields, EUC-KR and
/// backtick-delimited; after an approval that matches the order, `3` confirms processing.
async fn kspay_fetch(
    base: &str,
    order_id: &str,
    order: &OrderRecord,
    conid: &str,
) -> Result<PaymentResult, String> {
    use hanpay::pg::call::{self, Call};
    use hanpay::pg::kspay;
    let build = |c: Call| {
        let params = Params::from_pairs([("sndCommConId", conid)]);
        call::request(Pg::Kspay, c, params, "", Mode::Test, KstTime::now())
            .map_err(|e| e.to_string())
    };
    let (fetch, confirm) = (build(Call::FetchResult)?, build(Call::ConfirmResult)?);
    let url = sandbox_url(base, &fetch.url);
    let reply = http::post_form(&url, &fetch.fields.0).await?;
    let (text, _, _) = encoding_rs::EUC_KR.decode(&reply.bytes);
    let p = kspay::parse_recv_post(&text);
    // The fetched result names its order: a `reCommConId` of another order is refused here
    // (security review finding 1).
    let r = pg::verify(Pg::Kspay, &p, &approval("", order_id, order));
    if matches!(r.status, Status::Paid | Status::Pending) {
        http::post_form(&url, &confirm.fields.0).await?;
    }
    Ok(r)
}

async fn kispg_approve(
    base: &str,
    order_id: &str,
    order: &OrderRecord,
    tid: &str,
) -> Result<PaymentResult, String> {
    use hanpay::pg::call::{self, Call};
    // The amount is the merchant's own, never the browser's (notes §5.1: approve with amt).
    let params = Params::from_pairs([
        ("mid", KISPG_MID),
        ("tid", tid),
        ("goodsAmt", &order.amount.to_string()),
    ]);
    let req = call::request(
        Pg::Kispg,
        Call::Payment,
        params,
        KISPG_KEY,
        Mode::Test,
        KstTime::now(),
    )
    .map_err(|e| e.to_string())?;
    let p = send(base, &req).await?;
    Ok(pg::verify(
        Pg::Kispg,
        &p,
        &approval(KISPG_KEY, order_id, order),
    ))
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
        // Applied once: a deposit that completes the order moves it to paid exactly once,
        // however often the PG retries.
        match r.status {
            Status::Deposited | Status::Paid if o.deposits == 0 => {
                o.deposits = 1;
                o.status = "paid";
            }
            Status::PartiallyDeposited if o.deposits == 0 => o.status = "partially_deposited",
            Status::Cancelled => o.status = "cancelled",
            _ => {}
        }
        if o.fail_replies > 0 {
            o.fail_replies -= 1;
            fail_now = true;
        }
    });
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
