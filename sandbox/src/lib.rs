//! Routes of the sandbox. Kept in a library so integration tests can drive the router in-process.

use axum::{routing::get, Json, Router};
use std::path::Path;
use tower_http::services::ServeDir;

/// Builds the sandbox router serving `<root>/www` at `/` and `<root>/pkg` at `/pkg`.
pub fn app(root: &Path) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .nest_service("/pkg", ServeDir::new(root.join("pkg")))
        .fallback_service(ServeDir::new(root.join("www")))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true, "hanpay": hanpay::VERSION }))
}
