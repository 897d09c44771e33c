//! Products, price events (webhook, anomalies, live stream) and stock bulk updates.

use app::state::AppState;
use axum::Router;
use utoipa::OpenApi;

/// This part of the OpenAPI document (merged into `/api-docs/openapi.json`).
#[derive(OpenApi)]
#[openapi()]
pub struct Api;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
