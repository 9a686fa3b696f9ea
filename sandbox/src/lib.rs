//! The hanpay sandbox's routes, kept in a library so integration tests drive the router
//! in-process (`sandbox/tests/`). Two halves that talk only over HTTP on 127.0.0.1, as a
//! merchant and its PGs do, plus what both share:
//!
//! - [`emulator`] — the emulated PGs, one module each, under `/pg/<pg>/…`;
//! - [`merchant`] — the demo merchant: thin routes over hanpay's server API, `/api/…`, `/merchant/…`;
//! - [`generic`] — the generic test PG and its merchant (the browser engine's E2E suite);
//! - [`credentials`] — the published test credentials and one test-merchant row per PG;
//! - [`http`] — the sandbox's own HTTP client (server-to-server calls) and form decoding;
//! - [`origin`] — the sandbox's origins: the guard, the URL checks, the real PG origins it stands in for;
//! - [`pages`] — HTML building blocks and the templates under `sandbox/templates/`;
//! - [`ids`] — ids from the clock (TIDs, order ids);
//! - [`inspect`] — the `/_inspect` log of requests and notices.

use axum::{middleware, routing::get, Json, Router};
use std::path::Path;
use std::sync::LazyLock;
use tower_http::services::ServeDir;

pub mod credentials;
pub mod emulator;
pub mod generic;
pub mod http;
pub mod ids;
pub mod inspect;
pub mod merchant;
pub mod origin;
pub mod pages;

/// Builds the sandbox router: PG emulators and the demo merchant, `<root>/pkg` at `/pkg`, and
/// `<root>/www` for everything else. `port` is the port it is served on: the sandbox answers
/// only its own origins on that port and calls nothing else ([`origin`]).
pub fn app(root: &Path, port: u16) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .merge(generic::router())
        .merge(emulator::router())
        .merge(merchant::router())
        .merge(inspect::router())
        .nest_service("/pkg", ServeDir::new(root.join("pkg")))
        .fallback_service(ServeDir::new(root.join("www")))
        // Inside the guard: only requests the sandbox answers are recorded (`/_inspect`).
        .layer(middleware::from_fn(inspect::record))
        .layer(middleware::from_fn_with_state(
            origin::Guard {
                port,
                framed: &FRAMED,
            },
            origin::guard,
        ))
}

/// Every page that may be framed by the sandbox's own pages ([`origin::Guard`]): the generic
/// PG's, each emulator's and the merchant's, each listed where its routes are.
static FRAMED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut all = Vec::new();
    all.extend_from_slice(generic::FRAMED);
    for pg in emulator::FRAMED {
        all.extend_from_slice(pg);
    }
    all.extend_from_slice(merchant::FRAMED);
    all
});

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true, "hanpay": hanpay::VERSION }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framed_pages() {
        let framed = |path| origin::framed(&FRAMED, path);
        for path in [
            "/pg/generic/pay",
            "/pg/kcp/window",
            "/pg/smartropay/sandbox/payment",
            "/pg/kspay/store/KSPayWebV1.4/KSPayPWeb.jsp",
            "/merchant/xpay/return",
            "/merchant/kspay/relay",
            "/merchant/newpg/relay",
        ] {
            assert!(framed(path), "{path}");
        }
        for path in [
            "/pg/kcp.html",
            "/pg/smartro/pay/interfaceURL",
            "/index.html",
            "/api/health",
        ] {
            assert!(!framed(path), "{path}");
        }
    }
}
