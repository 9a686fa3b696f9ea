//! The demo merchant reads its per-PG facts from the PG's `TestMerchant` row
//! (`sandbox/src/credentials.rs`) and the PG's own description: every row's merchant id, fixed
//! checkout fields and return URL, and the PG's relay field, reach the checkout form the merchant
//! signs; the relay page calls what the PG's data names. In-process (`oneshot`): checkout calls
//! no PG on a PC.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use hanpay_sandbox::credentials::TEST_MERCHANTS;
use serde_json::{json, Value};
use std::path::PathBuf;
use tower::ServiceExt;

const PORT: u16 = 18081;

/// One POST to the sandbox app in process: the status and the body.
async fn post(path: &str, content_type: &str, body: String) -> (StatusCode, Vec<u8>) {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let req = Request::post(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let res = hanpay_sandbox::app(&root, PORT)
        .oneshot(req)
        .await
        .expect("router answers");
    let status = res.status();
    let bytes = to_bytes(res.into_body(), 1 << 20).await.expect("body");
    (status, bytes.to_vec())
}

async fn checkout(pg: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/{pg}/checkout");
    let (status, bytes) = post(&path, "application/json", body.to_string()).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn fields(form: &Value) -> Vec<(String, String)> {
    form["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f[0].as_str().unwrap_or("").to_string(),
                f[1].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_test_merchant_row_reaches_its_checkout_form() {
    for m in TEST_MERCHANTS {
        let pg = m.pg.name();
        let (status, form) = checkout(pg, json!({"amount": 1004, "method": "card"})).await;
        assert_eq!(status, StatusCode::OK, "{pg}: {form}");
        let f = fields(&form);
        let has = |k: &str, v: &str| f.iter().any(|(n, x)| n == k && x == v);
        assert!(
            f.iter().any(|(_, v)| v == m.mid),
            "{pg}: merchant id {}",
            m.mid
        );
        for (k, v) in m.checkout_fields {
            assert!(has(k, v), "{pg}: {k}={v} in {f:?}");
        }
        let relay_field = m.pg.returns().relay.map(|r| r.field);
        if let Some(k) = relay_field {
            let relay = format!("http://127.0.0.1:{PORT}/merchant/{pg}/relay");
            assert!(has(k, &relay), "{pg}: {k}={relay}");
        }
        // On a PC the relay page takes the return URL's place (KSNET `sndReply`): the phone's
        // form shows it.
        let form = if relay_field.is_some() {
            let (status, form) = checkout(
                pg,
                json!({"amount": 1004, "method": "card", "mobile": true}),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{pg}: {form}");
            form
        } else {
            form
        };
        let f = fields(&form);
        let order_id = form["orderId"].as_str().unwrap_or("");
        let with_oid = format!("/merchant/{pg}/return?oid={order_id}");
        assert_eq!(
            f.iter().any(|(_, v)| v.ends_with(&with_oid)),
            m.return_carries_order,
            "{pg}: return URL {with_oid} in {f:?}"
        );
    }
}

#[tokio::test]
async fn a_pg_without_a_test_merchant_is_refused() {
    let (status, v) = checkout("nopg", json!({"amount": 1004})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["field"], "pg");
    assert_eq!(v["rule"], "one_of");
}

async fn relay(pg: &str, body: &str) -> (StatusCode, String) {
    let path = format!("/merchant/{pg}/relay");
    let form = "application/x-www-form-urlencoded";
    let (status, bytes) = post(&path, form, body.to_string()).await;
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// The relay page's JSON island: what its script calls on the opener or parent.
fn relay_json(page: &str) -> Value {
    let start = page.find("id=relay>").expect("relay island") + "id=relay>".len();
    let end = start + page[start..].find("</script>").expect("island end");
    serde_json::from_str(&page[start..end]).expect("relay JSON")
}

#[tokio::test]
async fn the_relay_page_calls_what_the_pgs_data_names() {
    let mut served = 0;
    for pg in hanpay::pg::Pg::ALL {
        let name = pg.name();
        let ok = "reCommConId=C1&reCommType=T1&reHash=H1&reCnclType=0";
        let (status, page) = relay(name, ok).await;
        let Some(spec) = pg.returns().relay else {
            assert_eq!(status, StatusCode::NOT_FOUND, "{name}: no relay page");
            continue;
        };
        served += 1;
        assert_eq!(status, StatusCode::OK, "{name}: {page}");
        let v = relay_json(&page);
        assert_eq!(v["call"], spec.call, "{name}");
        assert_eq!(v["then"], spec.then, "{name}");
        assert_eq!(v["cancel_call"], spec.cancel_call, "{name}");
        assert_eq!(v["cancel"], false, "{name}");
        assert_eq!(
            v["values"],
            json!(["C1", "T1", "H1"]),
            "{name}: the post's values in order"
        );
        // The buyer's cancel is the return's own `cancel` rule (KSNET `reCnclType=1`).
        let (_, page) = relay(name, "reCommConId=&reCnclType=1").await;
        assert_eq!(relay_json(&page)["cancel"], true, "{name}: cancel");
    }
    assert_eq!(served, 1, "KSNET is the one PG with a PC relay page");
}
