//! Routes of the sandbox. Kept in a library so integration tests can drive the router in-process.

use axum::{routing::get, Json, Router};
use std::path::Path;
use tower_http::services::ServeDir;

pub mod generic;
pub mod pg;

/// Builds the sandbox router: PG emulators and merchant stubs, `<root>/pkg` at `/pkg`, and
/// `<root>/www` for everything else.
pub fn app(root: &Path) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .merge(generic::router())
        .merge(pg::router())
        .nest_service("/pkg", ServeDir::new(root.join("pkg")))
        .fallback_service(ServeDir::new(root.join("www")))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true, "hanpay": hanpay::VERSION }))
}
