//! Routes of the sandbox. Kept in a library so integration tests can drive the router in-process.

use axum::{middleware, routing::get, Json, Router};
use std::path::Path;
use tower_http::services::ServeDir;

pub mod generic;
pub mod inspect;
pub mod origin;
pub mod pg;

/// Builds the sandbox router: PG emulators and merchant stubs, `<root>/pkg` at `/pkg`, and
/// `<root>/www` for everything else. `port` is the port it is served on: the sandbox answers
/// only its own origins on that port and calls nothing else ([`origin`]).
pub fn app(root: &Path, port: u16) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .merge(generic::router())
        .merge(pg::router())
        .merge(inspect::router())
        .nest_service("/pkg", ServeDir::new(root.join("pkg")))
        .fallback_service(ServeDir::new(root.join("www")))
        // Inside the guard: only requests the sandbox answers are recorded (`/_inspect`).
        .layer(middleware::from_fn(inspect::record))
        .layer(middleware::from_fn_with_state(port, origin::guard))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true, "hanpay": hanpay::VERSION }))
}
