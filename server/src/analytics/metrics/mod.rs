//! Sales metrics, exact and approximate.

pub mod handlers;

use app::analytics::metrics::model::{ErrorBounds, SalesBucket, SalesMetrics};
use app::state::AppState;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

/// This part of the OpenAPI document (merged into `/api-docs/openapi.json`).
#[derive(OpenApi)]
#[openapi(
    paths(handlers::sales),
    components(schemas(SalesMetrics, SalesBucket, ErrorBounds)),
    tags((name = "Analytics", description = "Sales analytics over ingested orders (brief 001)."))
)]
pub struct Api;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/v1/tenants/{tenant_id}/metrics/sales",
        get(handlers::sales),
    )
}
