//! `POST /api/<pg>/checkout`: the order, built and signed for the browser with hanpay's
//! builders in test mode, and recorded in the store.

use super::store::OrderRecord;
use super::{bad, send, unknown_pg, Shared};
use crate::credentials::{test_merchant, TestMerchant};
use crate::http::base_url;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Json;
use axum::Router;
use hanpay::order::{Method, Order};
use hanpay::pg::{KstTime, Mode};
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/api/{pg}/checkout", post(checkout))
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

/// Builds and signs the checkout form for the browser (hanpay's builders, test mode).
async fn checkout(
    State(st): State<Shared>,
    Path(pg_name): Path<String>,
    headers: HeaderMap,
    Json(req): Json<CheckoutRequest>,
) -> Response {
    let Some(m) = test_merchant(&pg_name) else {
        return unknown_pg();
    };
    let pg = m.pg;
    let base = base_url(&headers);
    let seq = st.next_id();
    let order_id = format!(
        "{}{}{:06}",
        pg.name().to_ascii_uppercase(),
        crate::ids::yymmddhhmmss(),
        seq
    );
    let vbank = req.method == "vbank";
    let order = Order {
        merchant_id: m.mid.to_string(),
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
        return_url: if m.return_carries_order {
            format!("{base}/merchant/{}/return?oid={order_id}", pg.name())
        } else {
            format!("{base}/merchant/{}/return", pg.name())
        },
        notify_url: format!("{base}/merchant/{}/notify", pg.name()),
        methods: vec![if vbank {
            Method::VirtualAccount
        } else {
            Method::Card
        }],
        buyer_ip: "127.0.0.1".into(),
        phone: req.mobile,
        stop_url: format!("{base}/merchant/{}/stop", pg.name()),
        overrides: overrides(m, &req, &base),
        ..Order::default()
    };
    let form = match checkout_form(&base, m, &order).await {
        Ok(f) => f,
        Err(e) => return e,
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
    if let Err(e) = st.orders.insert(&order_id, record) {
        return (StatusCode::CONFLICT, Json(json!({"error": e}))).into_response();
    }
    let mut v: Value = serde_json::from_str(&form.to_json(pg.name())).unwrap_or(Value::Null);
    v["orderId"] = json!(order_id);
    Json(v).into_response()
}

/// The order's form: built directly, or, when the PG's phone page takes a form bound to a trade
/// the merchant registers first (KCP, notes §3.3), after the library's registration call, sent by
/// the sandbox's client.
async fn checkout_form(
    base: &str,
    m: &TestMerchant,
    order: &Order,
) -> Result<hanpay::form::CheckoutForm, Response> {
    let now = KstTime::now();
    let invalid =
        |e: hanpay::ValidationError| (StatusCode::BAD_REQUEST, e.to_json()).into_response();
    let Some(req) = order.registration(m.pg, Mode::Test, now).map_err(invalid)? else {
        return order
            .checkout(m.pg, m.key, Mode::Test, now)
            .map_err(invalid);
    };
    let answer = send(base, m.pg, &req)
        .await
        .map_err(|e| bad("approval_key", "registration", &e))?;
    order
        .registered_checkout(m.pg, m.key, &answer, Mode::Test, now)
        .map_err(invalid)
}

/// PG-native extras the generic order does not cover: from the PG's test-merchant row its fixed
/// fields and a virtual account's expiry; from the PG's data the hybrid app's return fields
/// (`app_return::APP_RETURN`) and, on a PC, the relay page (`call::Return::relay`).
fn overrides(m: &TestMerchant, req: &CheckoutRequest, base: &str) -> Vec<(String, String)> {
    let mut o: Vec<(String, String)> = m
        .checkout_fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(k) = m.vbank_expiry_field.filter(|_| req.method == "vbank") {
        o.push((k.to_string(), vbank_expiry()));
    }
    // The PG's own app-return group (`app_return` in its data file), as the page sent it.
    let groups = hanpay::app_return::APP_RETURN
        .iter()
        .filter(|g| g.pg == m.pg);
    for g in groups {
        for f in g.fields {
            if let Some(v) = req.app_return[g.name][f.name].as_str() {
                o.push((f.name.to_string(), v.to_string()));
            }
        }
    }
    if let Some(relay) = m.pg.returns().relay.filter(|_| !req.mobile) {
        o.push((
            relay.field.to_string(),
            format!("{base}/merchant/{}/relay", m.pg.name()),
        ));
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
