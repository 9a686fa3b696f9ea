//! The generic test PG: the smallest PG that still has every moving part of a real one — a
//! merchant server that signs a form, a PG window with approve / decline / cancel, a signed post
//! back to the merchant's return URL, and a return page that verifies and relays the result.
//! The browser engine's E2E suite and the "generic" demo run against it.

use crate::pages::{escape, script_json};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The key the generic PG shares with the sandbox merchant. Sandbox-only; real PGs issue theirs.
const GENERIC_KEY: &str = "hanpay-generic-sandbox-key";

#[derive(Default)]
struct Store {
    orders: Mutex<HashMap<String, u64>>,
    /// Windows the PG rendered and that have not decided yet, keyed by a random nonce: the PG
    /// signs a result only for one of them (security review finding 11: it used to sign
    /// whatever order and amount any site posted to `/pg/generic/result`).
    windows: Mutex<HashMap<String, PayWindow>>,
    seq: AtomicU64,
}

/// What a rendered window is for; the result carries exactly this.
struct PayWindow {
    order_id: String,
    amount: String,
    return_url: String,
}

/// 128 random bits, hex: a window nonce a cross-site page cannot guess.
fn nonce() -> Option<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).ok()?;
    Some(hex::encode(b))
}

type Shared = Arc<Store>;

/// The generic PG's window and result page, loaded in hanpay's `payFrame` layer (`origin::Guard`).
pub const FRAMED: &[&str] = &["/pg/generic/pay", "/pg/generic/result"];

pub fn router() -> Router {
    Router::new()
        .route("/api/generic/checkout", post(checkout))
        .route("/pg/generic/pay", post(pay_window))
        .route("/pg/generic/result", post(pg_result))
        .route("/merchant/generic/return", post(merchant_return))
        .with_state(Shared::default())
}

fn sign(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    h.update(GENERIC_KEY.as_bytes());
    hex::encode(h.finalize())
}

fn error_page(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>{t}</title><h1>{t}</h1><p id=error>{d}</p>",
        t = escape(title),
        d = escape(detail)
    );
    (status, Html(body)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckoutRequest {
    amount: u64,
    goods_name: String,
    #[serde(default)]
    order_id: Option<String>,
}

/// Merchant server: records the order and returns a signed `CheckoutForm`.
async fn checkout(State(store): State<Shared>, Json(req): Json<CheckoutRequest>) -> Response {
    if req.amount == 0 || req.amount > 100_000_000 {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"error": "invalid_input", "field": "amount", "rule": "range"})),
        )
            .into_response();
    }
    let order_id = req
        .order_id
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| format!("GEN-{}", store.seq.fetch_add(1, Ordering::Relaxed) + 1));
    let amount = req.amount.to_string();
    if let Ok(mut orders) = store.orders.lock() {
        orders.insert(order_id.clone(), req.amount);
    }
    let signature = sign(&[&order_id, &amount]);
    Json(serde_json::json!({
        "pg": "generic",
        "action": "/pg/generic/pay",
        "method": "POST",
        "accept_charset": "UTF-8",
        "target": "payWindow",
        "fields": [
            ["orderId", order_id],
            ["amount", amount],
            ["goodsName", req.goods_name],
            ["returnUrl", "/merchant/generic/return"],
            ["signature", signature],
        ],
    }))
    .into_response()
}

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

/// PG window: checks the merchant's signature and return URL, then offers approve / decline /
/// cancel for this window's nonce.
async fn pay_window(State(store): State<Shared>, Form(f): Form<Fields>) -> Response {
    let (order_id, amount) = (field(&f, "orderId"), field(&f, "amount"));
    if order_id.is_empty() || amount.is_empty() || field(&f, "returnUrl").is_empty() {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Generic PG: missing field",
            "orderId, amount and returnUrl are required",
        );
    }
    if field(&f, "signature") != sign(&[order_id, amount]) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Generic PG: bad signature",
            "signature does not match orderId + amount",
        );
    }
    // Checked here, not when posting back: `/\evil.example` passed the old prefix test and the
    // browser resolved it to another host (finding 11, open redirect of the signed result).
    let return_url = match crate::origin::navigation_target(field(&f, "returnUrl")) {
        Ok(u) => u.to_string(),
        Err(e) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "Generic PG: bad returnUrl",
                &format!("returnUrl must be on this site: {e}"),
            )
        }
    };
    let Some(session) = nonce() else {
        return error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Generic PG: no randomness",
            "the operating system gave no random bytes for the window nonce",
        );
    };
    if let Ok(mut w) = store.windows.lock() {
        w.insert(
            session.clone(),
            PayWindow {
                order_id: order_id.to_string(),
                amount: amount.to_string(),
                return_url,
            },
        );
    }
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=hidden name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        )
    };
    let body = crate::pages::fill(
        include_str!("../templates/generic-window.html"),
        &[
            ("order", &escape(order_id)),
            ("goods", &escape(field(&f, "goodsName"))),
            ("amount_text", &escape(amount)),
            ("h_session", &hidden("session", &session)),
            ("h_order", &hidden("orderId", order_id)),
            ("h_amount", &hidden("amount", amount)),
        ],
    );
    Html(body).into_response()
}

/// The PG posts the signed outcome back to the merchant's return URL (auto-submitting form,
/// as real PGs do), once, for a window it rendered, with that window's order and amount.
async fn pg_result(State(store): State<Shared>, Form(f): Form<Fields>) -> Response {
    let window = store
        .windows
        .lock()
        .ok()
        .and_then(|mut w| w.remove(field(&f, "session")));
    let Some(window) =
        window.filter(|w| w.order_id == field(&f, "orderId") && w.amount == field(&f, "amount"))
    else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Generic PG: unknown window",
            "this result does not belong to a payment window the PG opened (or it was already used)",
        );
    };
    let (order_id, amount, return_url) = (
        window.order_id.as_str(),
        window.amount.as_str(),
        window.return_url.as_str(),
    );
    let (code, message) = match field(&f, "decision") {
        "approve" => ("0000", "정상 승인"),
        "decline" => ("9101", "카드 한도 초과 (declined)"),
        _ => ("3001", "사용자 취소"),
    };
    let tid = format!("GTID{:012}", store.seq.fetch_add(1, Ordering::Relaxed) + 1);
    let signature = sign(&[&tid, order_id, amount, code]);
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=hidden name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        )
    };
    let body = crate::pages::fill(
        include_str!("../templates/generic-result.html"),
        &[
            ("action", &escape(return_url)),
            ("a", &hidden("orderId", order_id)),
            ("b", &hidden("amount", amount)),
            ("c", &hidden("resultCode", code)),
            ("d", &hidden("resultMsg", message)),
            ("e", &hidden("tid", &tid)),
            ("g", &hidden("signature", &signature)),
        ],
    );
    Html(body).into_response()
}

/// Merchant return page: verifies the PG's signature and the amount against the order, then
/// relays the verified result to the window that opened the checkout (or shows it, after a
/// redirect).
async fn merchant_return(State(store): State<Shared>, Form(f): Form<Fields>) -> Response {
    let (order_id, amount, code) = (
        field(&f, "orderId"),
        field(&f, "amount"),
        field(&f, "resultCode"),
    );
    let tid = field(&f, "tid");
    let authentic = field(&f, "signature") == sign(&[tid, order_id, amount, code]);
    let expected = store
        .orders
        .lock()
        .ok()
        .and_then(|o| o.get(order_id).copied());
    let amount_ok = expected.is_some_and(|e| amount.parse::<u64>().ok() == Some(e));
    let (success, cancelled, code, message) = if !authentic {
        (
            false,
            false,
            "SIGNATURE",
            "위조된 결과 (signature mismatch)".to_string(),
        )
    } else if !amount_ok {
        (
            false,
            false,
            "AMOUNT_MISMATCH",
            format!("금액 불일치: expected {:?}, got {amount}", expected),
        )
    } else {
        (
            code == "0000",
            code == "3001",
            code,
            field(&f, "resultMsg").to_string(),
        )
    };
    let result = serde_json::json!({
        "pg": "generic",
        "success": success,
        "cancelled": cancelled,
        "code": code,
        "message": message,
        "amount": amount.parse::<u64>().ok(),
        "tid": if tid.is_empty() { None } else { Some(tid) },
        "orderId": order_id,
    });
    Html(return_page(&result, order_id)).into_response()
}

/// The merchant's return page as a user of the npm package writes it.
pub fn return_page(result: &serde_json::Value, request_id: &str) -> String {
    crate::pages::fill(
        include_str!("../templates/generic-return.html"),
        &[
            ("json", &script_json(result)),
            (
                "rid",
                &script_json(&serde_json::Value::String(request_id.to_string())),
            ),
        ],
    )
}
