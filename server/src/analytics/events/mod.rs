//! Product events REST API (brief 003): `POST/GET /api/v1/events`, `GET /api/v1/metrics/summary`.

pub mod handlers;

use app::state::AppState;
use axum::routing::get;
use axum::Router;

/// The events routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", get(handlers::list).post(handlers::ingest))
        .route("/api/v1/metrics/summary", get(handlers::summary))
}
