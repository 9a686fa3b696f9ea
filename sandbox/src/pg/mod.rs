//! Emulations of the five PGs and the merchant-side stub that signs and verifies with the
//! published test credentials.
//!
//! Every emulated PG lives under `/pg/<pg>/…` and mirrors the *path* of the real endpoint, so the
//! browser adapters reach it by swapping the real origin for `<sandbox>/pg/<pg>` (see
//! [`sandbox_url`]). The merchant stub lives under `/api/<pg>/…` (JSON for the checkout page) and
//! `/merchant/<pg>/…` (the URLs the PG posts to). Both halves talk over real HTTP on 127.0.0.1.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use hanpay::pg::{Params, Pg};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

mod api_kcp;
mod api_kispg;
mod api_smartro;
mod api_xpay;
mod credentials;
mod http;
mod kcp;
mod kispg;
mod kspay;
mod ledger;
mod lifecycle;
mod merchant;
mod notify;
mod smartro;
mod smartropay;
mod store;
mod xpay;

use crate::generic::escape;
use crate::origin;

/// State shared by the PG emulators and the merchant stub.
#[derive(Default)]
pub struct Sandbox {
    /// Payment-window sessions, keyed by a random-looking id in the PG window's form.
    sessions: Mutex<HashMap<String, Session>>,
    seq: AtomicU64,
    merchant: merchant::Store,
    /// Results the PG keeps for server-side lookups (XPay PaymentByKey, KCP approval, KSNET
    /// result fetch, KISPG approval), keyed by the PG's one-time key.
    pending: Mutex<HashMap<String, Pending>>,
    /// The emulated PGs' books: approved payments and their cancels (ledger.rs).
    ledger: ledger::Ledger,
}

pub type Shared = Arc<Sandbox>;

/// A validated payment request waiting for the user's decision in the PG window.
#[derive(Clone)]
pub struct Session {
    pub pg: Pg,
    pub params: Params,
    pub mobile: bool,
}

/// What the PG remembers between the browser step and the server-side step.
#[derive(Clone)]
pub struct Pending {
    pub pg: Pg,
    pub order_id: String,
    pub amount: u64,
    pub tid: String,
    pub approve: bool,
    pub method: String,
    pub used: bool,
}

impl Sandbox {
    pub fn next_id(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn open_session(&self, s: Session) -> String {
        let id = format!("S{:08}{:04}", self.next_id(), std::process::id() % 10_000);
        if let Ok(mut m) = self.sessions.lock() {
            m.insert(id.clone(), s);
        }
        id
    }

    pub fn session(&self, id: &str) -> Option<Session> {
        self.sessions.lock().ok()?.get(id).cloned()
    }

    /// Takes a session: a PG window decides once.
    pub fn take_session(&self, id: &str) -> Option<Session> {
        self.sessions.lock().ok()?.remove(id)
    }

    pub fn put_pending(&self, key: &str, p: Pending) {
        if let Ok(mut m) = self.pending.lock() {
            m.insert(key.to_string(), p);
        }
    }

    /// Looks up a pending result; `consume` marks it used (a second approval is refused).
    pub fn pending(&self, key: &str, consume: bool) -> Option<Pending> {
        let mut m = self.pending.lock().ok()?;
        let p = m.get_mut(key)?;
        let out = p.clone();
        if consume {
            p.used = true;
        }
        Some(out)
    }
}

/// Routes of every emulated PG and of the merchant stub.
pub fn router() -> Router {
    let state: Shared = Arc::default();
    Router::new()
        .merge(smartro::routes())
        .merge(smartropay::routes())
        .merge(kispg::routes())
        .merge(xpay::routes())
        .merge(kcp::routes())
        .merge(kspay::routes())
        .merge(api_smartro::routes())
        .merge(api_kcp::routes())
        .merge(api_kispg::routes())
        .merge(lifecycle::routes())
        .merge(merchant::routes())
        .with_state(state)
}

/// Real PG origins and the sandbox prefix that stands in for each (the adapters apply the same
/// mapping in the browser: `src/web/adapters`).
pub const REAL_ORIGINS: &[(&str, Pg)] = &[
    ("https://tpay.smilepay.co.kr", Pg::Smartro),
    ("https://pay.smilepay.co.kr", Pg::Smartro),
    ("https://tspay.smilepay.co.kr", Pg::Smartro),
    ("https://smpay.smilepay.co.kr", Pg::Smartro),
    ("https://testapi.kispg.co.kr", Pg::Kispg),
    ("https://api.kispg.co.kr", Pg::Kispg),
    ("https://js.tosspayments.com", Pg::Xpay),
    ("https://xpay.tosspayments.com", Pg::Xpay),
    ("https://xpay-gateway-sandbox.tosspayments.com", Pg::Xpay),
    ("https://xpay-gateway.tosspayments.com", Pg::Xpay),
    ("https://testpay.kcp.co.kr", Pg::Kcp),
    ("https://pay.kcp.co.kr", Pg::Kcp),
    ("https://testsmpay.kcp.co.kr", Pg::Kcp),
    ("https://smpay.kcp.co.kr", Pg::Kcp),
    ("https://stg-spl.kcp.co.kr", Pg::Kcp),
    ("https://spl.kcp.co.kr", Pg::Kcp),
    ("https://kspay.ksnet.to", Pg::Kspay),
    ("https://tpay.smartropay.co.kr", Pg::SmartroPay),
    ("https://pay.smartropay.co.kr", Pg::SmartroPay),
    ("https://tmpay.smartropay.co.kr", Pg::SmartroPay),
    ("https://mpay.smartropay.co.kr", Pg::SmartroPay),
    ("https://tapproval.smartropay.co.kr", Pg::SmartroPay),
    ("https://approval.smartropay.co.kr", Pg::SmartroPay),
];

/// The sandbox stand-in of a real PG URL: `<base>/pg/<pg><path>`; URLs of unknown origins
/// are returned unchanged.
pub fn sandbox_url(base: &str, real: &str) -> String {
    for (origin, pg) in REAL_ORIGINS {
        if let Some(path) = real.strip_prefix(origin) {
            return format!("{base}/pg/{}{path}", pg.name());
        }
    }
    real.to_string()
}

/// `http://<Host>` of the request: the sandbox only listens on loopback, so the Host header is
/// where both the browser and the server-to-server calls reach it.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b':' || b == b'-')
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// Decodes a form body. EUC-KR PGs receive the bytes the browser encoded with
/// `accept-charset="EUC-KR"`; a body that is not valid in the declared charset is an error,
/// which is what the real PGs show as broken (mojibake) order names.
pub fn decode_form(body: &[u8], euc_kr: bool) -> Result<Params, String> {
    let mut bad = None;
    let decode = |bytes: &[u8]| -> String {
        if euc_kr {
            let (text, _, errors) = encoding_rs::EUC_KR.decode(bytes);
            if errors {
                return "\u{fffd}".into();
            }
            text.into_owned()
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => s.to_string(),
                Err(_) => "\u{fffd}".into(),
            }
        }
    };
    let p = Params::from_urlencoded(body, &decode);
    for (k, v) in &p.0 {
        if v.contains('\u{fffd}') {
            bad = Some(k.clone());
        }
    }
    match bad {
        Some(k) => Err(format!(
            "{k}: not valid {} (check accept-charset)",
            if euc_kr { "EUC-KR" } else { "UTF-8" }
        )),
        None => Ok(p),
    }
}

/// The PG's error page: what a merchant sees when the real PG rejects a request.
pub fn error_page(pg: &str, code: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=ko><head><meta charset=utf-8><title>{pg} sandbox: error</title>\
         <link rel=stylesheet href=\"/demo.css\"></head><body data-pg-error=\"{c}\">\
         <h1>{pg} (sandbox) — 요청 오류</h1><p>code <code id=error-code>{c}</code></p>\
         <p id=error>{d}</p></body></html>",
        pg = escape(pg),
        c = escape(code),
        d = escape(detail)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// Hidden inputs for `fields`, values escaped.
pub fn hidden_inputs(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=hidden name=\"{}\" id=\"{}\" value=\"{}\">",
                escape(k),
                escape(k),
                escape(v)
            )
        })
        .collect()
}

/// The URL fields of a PG request, checked when the PG window opens so that nothing the buyer
/// does later can send the browser, or a notification, anywhere else (security review findings
/// 2 and 11): `navigate` fields (return / stop pages) must be on the sandbox's own origin,
/// `notify` fields must be the merchant stub's `/merchant/` routes. Empty fields are left to the
/// PG's own required-field rules.
pub fn check_urls(p: &Params, navigate: &[&str], notify: &[&str]) -> Result<(), (String, String)> {
    for k in navigate {
        let v = p.str(k);
        if !v.is_empty() {
            origin::navigation_target(v)
                .map_err(|e| (format!("{k}:origin"), format!("{k}: {e}")))?;
        }
    }
    for k in notify {
        let v = p.str(k);
        if !v.is_empty() {
            http::notice_target(v).map_err(|e| (format!("{k}:origin"), format!("{k}: {e}")))?;
        }
    }
    Ok(())
}

/// A page that posts `fields` to `action` at once (how PGs hand results back to merchants).
/// `action` must be on the sandbox's own origin; [`check_urls`] already refused anything else
/// when the window opened, so this is the last line, not the first.
pub fn auto_post(pg: &str, action: &str, fields: &[(String, String)], charset: &str) -> Response {
    if let Err(e) = origin::navigation_target(action) {
        return error_page(pg, "return_url:origin", &e.to_string());
    }
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>returning…</title>\
         <form method=post action=\"{a}\" accept-charset=\"{c}\" id=back>{f}</form>\
         <script>document.getElementById('back').submit()</script>",
        a = escape(action),
        c = escape(charset),
        f = hidden_inputs(fields)
    );
    Html(body).into_response()
}

/// One button of a PG window: `(decision value, label)`.
pub type Control = (&'static str, &'static str);

/// The payment window: what is being paid and the decision buttons, posting to `action`
/// with the session id. `cancel_js` replaces the form post for the cancel button (popups close).
pub fn pay_window(
    pg: &str,
    session: &str,
    action: &str,
    rows: &[(&str, String)],
    controls: &[Control],
) -> Response {
    let rows: String = rows
        .iter()
        .map(|(k, v)| format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v)))
        .collect();
    let buttons: String = controls
        .iter()
        .map(|(value, label)| {
            format!(
                "<button name=decision value=\"{v}\" id=\"{v}\">{l}</button>",
                v = escape(value),
                l = escape(label)
            )
        })
        .collect();
    let body = format!(
        "<!doctype html><html lang=ko><head><meta charset=utf-8>\
         <meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <title>{pg} 결제창 (sandbox)</title><link rel=stylesheet href=\"/demo.css\"></head>\
         <body data-pg-window=\"{pg}\"><h1>{pg} 결제창 — sandbox</h1><dl>{rows}</dl>\
         <form method=post action=\"{a}\" id=pgform><input type=hidden name=session value=\"{s}\">\
         {buttons}</form></body></html>",
        pg = escape(pg),
        a = escape(action),
        s = escape(session),
    );
    Html(body).into_response()
}

/// `YYMMDDHHMMSS` of now (KST), for TIDs.
pub fn yymmddhhmmss() -> String {
    hanpay::pg::KstTime::now()
        .format()
        .get(2..)
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
