//! The Analytics area's HTTP surface: order ingest, search and exports, sales metrics, the
//! catalogue (price events, stock), product events.

pub mod catalog;
pub mod events;
pub mod ingest;
pub mod metrics;
pub mod query;

use app::state::AppState;
use axum::Router;
use utoipa::OpenApi;

/// Analytics routes, mounted at the root (the briefs' paths).
pub fn routes() -> Router<AppState> {
    ingest::routes()
        .merge(events::routes())
        .merge(query::routes())
        .merge(metrics::routes())
        .merge(catalog::routes())
}

/// The analytics parts of the OpenAPI document, merged (events are merged by `events::openapi`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ingest::Api::openapi();
    doc.merge(query::Api::openapi());
    doc.merge(query::export::Api::openapi());
    doc.merge(metrics::Api::openapi());
    doc.merge(catalog::Api::openapi());
    doc
}
