//! Regression tests for the sandbox half of the security review (findings 2 and 11): the Host
//! allowlist (DNS rebinding), framing headers, notification targets (SSRF with CRLF injection),
//! the generic PG's open redirect and its signing of results for windows it never opened.
//!
//! Router-level checks run in-process (`oneshot`); checks that involve the sandbox's own
//! server-to-server calls run a real server on an ephemeral 127.0.0.1 port.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// The port the in-process router believes it is served on.
const PORT: u16 = 18080;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn app() -> Router {
    hanpay_sandbox::app(&root(), PORT)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body(), 1 << 20).await.expect("body");
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(host: &str, path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, host)
        .body(Body::empty())
        .expect("request")
}

fn post(path: &str, content_type: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request")
}

fn form(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).expect("form")
}

/// `value="…"` of the input named `name` in a sandbox page (values are HTML-escaped; names
/// quoted or not).
fn input(html: &str, name: &str) -> Option<String> {
    let at = html
        .find(&format!("name=\"{name}\""))
        .or_else(|| html.find(&format!("name={name} ")))?;
    let rest = html.get(at..)?;
    let v = rest.get(rest.find("value=\"")? + 7..)?;
    Some(v.get(..v.find('"')?)?.to_string())
}

/// A signed generic checkout form, as the merchant server hands it to the page.
async fn generic_form(app: &Router, amount: u64) -> Vec<(String, String)> {
    let r = send(
        app,
        post(
            "/api/generic/checkout",
            "application/json",
            format!(r#"{{"amount":{amount},"goodsName":"test"}}"#),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    v["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or("").to_string(),
                p[1].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn set(fields: &mut [(String, String)], k: &str, v: &str) {
    for (name, value) in fields.iter_mut() {
        if name == k {
            *value = v.to_string();
        }
    }
}

fn value<'a>(fields: &'a [(String, String)], k: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

// ---- Host allowlist (finding 2: DNS rebinding; finding 11) ----------------------------------

#[tokio::test]
async fn foreign_host_headers_get_421() {
    let app = app();
    for host in [
        format!("rebind.attacker.example:{PORT}"),
        format!("127.0.0.1:{}", PORT + 1),
        "127.0.0.1".to_string(),
        format!("127.0.0.1.attacker.example:{PORT}"),
    ] {
        let r = send(&app, get(&host, "/api/health")).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "Host: {host}");
        assert!(
            !r.body.contains("hanpay\":"),
            "no API answer for Host: {host}"
        );
    }
    let missing = Request::get("/api/health")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&app, missing).await.status,
        StatusCode::MISDIRECTED_REQUEST,
        "no Host header"
    );
    for host in [format!("127.0.0.1:{PORT}"), format!("localhost:{PORT}")] {
        let r = send(&app, get(&host, "/api/health")).await;
        assert_eq!(r.status, StatusCode::OK, "Host: {host}");
    }
}

// ---- Framing (finding 2: clickjacking the cancel click; finding 11) -------------------------

#[tokio::test]
async fn pages_are_not_framable_except_pg_frames_by_the_sandbox_itself() {
    let app = app();
    let host = format!("127.0.0.1:{PORT}");
    for path in [
        "/index.html",
        "/pg/smartro.html",
        "/api/health",
        "/no-such-page",
    ] {
        let r = send(&app, get(&host, path)).await;
        assert_eq!(
            r.headers.get(header::X_FRAME_OPTIONS).map(|v| v.as_bytes()),
            Some(&b"DENY"[..]),
            "X-Frame-Options of {path}"
        );
        assert_eq!(
            r.headers
                .get(header::CONTENT_SECURITY_POLICY)
                .map(|v| v.as_bytes()),
            Some(&b"frame-ancestors 'none'"[..]),
            "CSP of {path}"
        );
    }
    // The generic PG window is what hanpay's iframe layer shows: framable by the sandbox only.
    let fields = generic_form(&app, 1000).await;
    let r = send(
        &app,
        post(
            "/pg/generic/pay",
            "application/x-www-form-urlencoded",
            form(&fields),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok()),
        Some(
            format!("frame-ancestors 'self' http://127.0.0.1:{PORT} http://localhost:{PORT}")
                .as_str()
        )
    );
    // The Smartro smartphone page is a top-level page: its cancel button is not clickjackable.
    let r = send(
        &app,
        post(
            "/pg/smartro/pay/interfaceURL",
            "application/x-www-form-urlencoded",
            String::new(),
        ),
    )
    .await;
    assert_eq!(
        r.headers.get(header::X_FRAME_OPTIONS).map(|v| v.as_bytes()),
        Some(&b"DENY"[..])
    );
}

// ---- Generic PG: open redirect and forged results (finding 11) ------------------------------

#[tokio::test]
async fn generic_pg_refuses_return_urls_off_the_sandbox() {
    let app = app();
    for bad in [
        "/\\evil.example/steal",
        "//evil.example/steal",
        "http://evil.example/steal",
        "http://127.0.0.1:18081/merchant/generic/return",
        "javascript:alert(1)",
    ] {
        let mut fields = generic_form(&app, 1000).await;
        set(&mut fields, "returnUrl", bad);
        let r = send(
            &app,
            post(
                "/pg/generic/pay",
                "application/x-www-form-urlencoded",
                form(&fields),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "returnUrl {bad:?}");
        // The result endpoint, as the old window posted it (returnUrl in the form).
        fields.push(("decision".into(), "approve".into()));
        let r = send(
            &app,
            post(
                "/pg/generic/result",
                "application/x-www-form-urlencoded",
                form(&fields),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "result to {bad:?}");
        assert!(!r.body.contains("evil.example"), "no post to {bad:?}");
    }
}

#[tokio::test]
async fn generic_pg_signs_only_results_of_windows_it_opened() {
    let app = app();
    let fields = generic_form(&app, 1000).await;
    let order_id = value(&fields, "orderId").to_string();
    let result = |pairs: Vec<(&str, &str)>| {
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        post(
            "/pg/generic/result",
            "application/x-www-form-urlencoded",
            form(&pairs),
        )
    };
    // A cross-site page posts an approval for the merchant's order without any window.
    let forged = send(
        &app,
        result(vec![
            ("orderId", &order_id),
            ("amount", "1000"),
            ("returnUrl", "/merchant/generic/return"),
            ("decision", "approve"),
        ]),
    )
    .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert!(input(&forged.body, "signature").is_none(), "nothing signed");

    let window = send(
        &app,
        post(
            "/pg/generic/pay",
            "application/x-www-form-urlencoded",
            form(&fields),
        ),
    )
    .await;
    let session = input(&window.body, "session").expect("the window carries its nonce");
    assert!(session.len() >= 32, "nonce {session:?} is guessable");
    for (what, order, amount, nonce) in [
        ("a guessed nonce", order_id.as_str(), "1000", "0"),
        ("another order", "GEN-OTHER", "1000", session.as_str()),
        ("another amount", order_id.as_str(), "1", session.as_str()),
    ] {
        let r = send(
            &app,
            result(vec![
                ("session", nonce),
                ("orderId", order),
                ("amount", amount),
                ("decision", "approve"),
            ]),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}");
        assert!(
            input(&r.body, "signature").is_none(),
            "{what}: nothing signed"
        );
    }
    // The binding check above spent the nonce: a window decides once. A fresh window works.
    let window = send(
        &app,
        post(
            "/pg/generic/pay",
            "application/x-www-form-urlencoded",
            form(&fields),
        ),
    )
    .await;
    let session = input(&window.body, "session").expect("nonce");
    let ok = || {
        result(vec![
            ("session", &session),
            ("orderId", &order_id),
            ("amount", "1000"),
            ("decision", "approve"),
        ])
    };
    let r = send(&app, ok()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("action=\"/merchant/generic/return\""));
    assert!(input(&r.body, "signature").is_some());
    assert_eq!(
        send(&app, ok()).await.status,
        StatusCode::BAD_REQUEST,
        "replayed window"
    );
}

// ---- Notification targets (finding 2: SSRF with CRLF injection) -----------------------------

/// A real sandbox on an ephemeral port (its server-to-server calls need one), and its base URL.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app = hanpay_sandbox::app(&root(), port);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    format!("http://127.0.0.1:{port}")
}

/// Another local service: counts connections and keeps what they sent.
async fn bystander() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = tokio::time::timeout(Duration::from_millis(500), s.read(&mut buf))
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or(0);
            let _ = tx.send(String::from_utf8_lossy(buf.get(..n).unwrap_or(&[])).into_owned());
        }
    });
    (port, rx)
}

async fn call(base: &str, path: &str, content_type: &str, body: String) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("sandbox answers");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// The text after `"key":"` up to the next quote, in a page or JSON body.
fn json_str(text: &str, key: &str) -> String {
    let pat = format!("\"{key}\":\"");
    text.find(&pat)
        .and_then(|i| text.get(i + pat.len()..))
        .and_then(|r| r.get(..r.find('"')?))
        .unwrap_or("")
        .to_string()
}

/// Drives a KCP virtual-account checkout up to the issued account (what the review's chain
/// did through the browser) and returns the order id.
async fn kcp_virtual_account(base: &str) -> String {
    let (s, body) = call(
        base,
        "/api/kcp/checkout",
        "application/json",
        r#"{"amount":1000,"method":"vbank"}"#.into(),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    let order_id = v["orderId"].as_str().expect("orderId").to_string();
    let fields: Vec<(String, String)> = v["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or("").into(),
                p[1].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let urlencoded = "application/x-www-form-urlencoded";
    let (s, window) = call(base, "/pg/kcp/window", urlencoded, form(&fields)).await;
    assert_eq!(s, 200, "{window}");
    let session = input(&window, "session").expect("session");
    let decide = form(&[
        ("session".into(), session),
        ("decision".into(), "approve".into()),
    ]);
    let (_, page) = call(base, "/pg/kcp/decide", urlencoded, decide).await;
    let complete = serde_json::json!({
        "orderId": order_id, "next": "approve", "enc_data": json_str(&page, "enc_data"),
        "enc_info": json_str(&page, "enc_info"), "tran_cd": json_str(&page, "tran_cd"),
    });
    let (s, done) = call(
        base,
        "/api/kcp/complete",
        "application/json",
        complete.to_string(),
    )
    .await;
    assert_eq!(s, 200, "{done}");
    // A virtual account is only issued by the approval: pending, not paid (issue "Payment truth").
    assert!(done.contains("\"status\":\"pending\""), "{done}");
    order_id
}

#[tokio::test]
async fn kcp_deposit_never_notifies_anything_but_the_merchant_stub() {
    let base = serve().await;
    let (other, mut seen) = bystander().await;
    let order_id = kcp_virtual_account(&base).await;
    let sandbox_port = base.rsplit(':').next().unwrap_or("");
    for target in [
        // The review's chain: request line and headers injected into another local service.
        format!(
            "http://127.0.0.1:{other}/admin/delete-everything HTTP/1.1\r\nX-Injected-By: hanpay-sandbox\r\n\r\nGET /smuggled"
        ),
        format!("http://127.0.0.1:{other}/merchant/kcp/notify"),
        format!("http://localhost:{other}/merchant/kcp/notify"),
        // Our own port, but CR/LF, a space, or a path other than the merchant stub's.
        format!("http://127.0.0.1:{sandbox_port}/merchant/kcp/notify\r\nX-Injected-By: x"),
        format!("http://127.0.0.1:{sandbox_port}/merchant/kcp/notify HTTP/1.1"),
        format!("http://127.0.0.1:{sandbox_port}/pg/kcp/sandbox/deposit"),
        format!("http://127.0.0.1:{sandbox_port}/api/health"),
    ] {
        let req = serde_json::json!({"orderId": order_id, "gapMs": 1, "notifyUrl": target});
        let (status, body) = call(
            &base,
            "/pg/kcp/sandbox/deposit",
            "application/json",
            req.to_string(),
        )
        .await;
        assert_eq!(status, 400, "notifyUrl {target:?} must be refused: {body}");
        assert!(!body.contains("\"delivered\":true"), "{target:?}: {body}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        seen.try_recv().is_err(),
        "the other local service was contacted"
    );
    // The merchant stub's own notify route still gets its notice.
    let req = serde_json::json!({"orderId": order_id, "gapMs": 1});
    let (status, body) = call(
        &base,
        "/pg/kcp/sandbox/deposit",
        "application/json",
        req.to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"delivered\":true"), "{body}");
}
