//! The emulated PGs, one module each. Every emulated PG lives under `/pg/<pg>/…` and mirrors
//! the *path* of the real endpoint, so the browser adapters reach it by swapping the real origin
//! for `<sandbox>/pg/<pg>` ([`crate::origin::sandbox_url`]). A PG module holds everything that
//! emulates that PG: its script, its payment window and decision, its server APIs (`api.rs`
//! where the module is a folder) and its sandbox controls (`…/sandbox/deposit`). The emulators
//! know nothing of the demo merchant (`crate::merchant`): the two talk over real HTTP on
//! 127.0.0.1, as a merchant and its PG do.
//!
//! Shared here: the state ([`Emulators`]), the payment window and the auto-post back to the
//! merchant ([`pay_window`], [`auto_post`]) and the URL checks every window opens with
//! ([`check_urls`]); the PGs' books in [`ledger`] and the notifier in [`notify`].

use crate::origin;
use crate::pages::{error_page, escape, hidden_inputs};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use hanpay::pg::{Params, Pg};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

mod kcp;
mod kispg;
mod kspay;
mod ledger;
mod notify;
mod smartro;
mod smartropay;
mod xpay;

/// The emulated PGs' state: their windows, their one-time keys and their books.
#[derive(Default)]
pub struct Emulators {
    /// Payment-window sessions, keyed by a random-looking id in the PG window's form.
    sessions: Mutex<HashMap<String, Session>>,
    seq: AtomicU64,
    /// Results the PG keeps for server-side lookups (XPay PaymentByKey, KCP approval, KSNET
    /// result fetch, KISPG approval), keyed by the PG's one-time key.
    pending: Mutex<HashMap<String, Pending>>,
    /// The emulated PGs' books: approved payments and their cancels (ledger.rs).
    ledger: ledger::Ledger,
}

pub type Shared = Arc<Emulators>;

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

impl Emulators {
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

/// The pages of every emulated PG that the merchant's page may frame (each emulator's `FRAMED`).
pub const FRAMED: &[&[&str]] = &[
    smartro::FRAMED,
    smartropay::FRAMED,
    kispg::FRAMED,
    xpay::FRAMED,
    kcp::FRAMED,
    kspay::FRAMED,
];

/// Routes of every emulated PG.
pub fn router() -> Router {
    let state: Shared = Arc::default();
    Router::new()
        .merge(smartro::routes())
        .merge(smartropay::routes())
        .merge(kispg::routes())
        .merge(xpay::routes())
        .merge(kcp::routes())
        .merge(kspay::routes())
        .with_state(state)
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
            crate::http::notice_target(v)
                .map_err(|e| (format!("{k}:origin"), format!("{k}: {e}")))?;
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
