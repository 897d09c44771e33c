//! Order search (streamed) and exports (CSV / Parquet, resumable).

pub mod export;
pub mod export_config;
mod export_download;
pub mod search;

use app::state::AppState;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

/// This part of the OpenAPI document (merged into `/api-docs/openapi.json`).
#[derive(OpenApi)]
#[openapi(paths(search::search))]
pub struct Api;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/tenants/{tenant_id}/orders/search",
            get(search::search),
        )
        .merge(export::routes())
}
