//! The Analytics area's HTTP surface: order ingest and sales metrics, product events.

pub mod events;
pub mod ingest;

use app::state::AppState;
use axum::Router;

/// Analytics routes, mounted at the root (the briefs' paths).
pub fn routes() -> Router<AppState> {
    ingest::routes().merge(events::routes())
}
