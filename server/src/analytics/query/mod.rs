//! Order search (streamed) and exports (CSV / Parquet, resumable).

pub mod export;
pub mod export_config;
mod export_download;

use app::state::AppState;
use axum::Router;
use utoipa::OpenApi;

/// This part of the OpenAPI document (merged into `/api-docs/openapi.json`).
#[derive(OpenApi)]
#[openapi()]
pub struct Api;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new().merge(export::routes())
}
