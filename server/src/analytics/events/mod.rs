//! Product events REST API (brief 003): `POST/GET /api/v1/events`, `GET /api/v1/metrics/summary`,
//! and the API reference at `/api-docs`.

pub mod handlers;
pub mod openapi;

use app::state::AppState;
use axum::routing::get;
use axum::Router;

/// The events routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", get(handlers::list).post(handlers::ingest))
        .route("/api/v1/metrics/summary", get(handlers::summary))
        .route("/api-docs", get(openapi::page))
        .route("/api-docs/openapi.json", get(openapi::document))
}
