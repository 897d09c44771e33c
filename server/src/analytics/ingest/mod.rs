//! Analytics ingest routes.

use app::state::AppState;
use axum::Router;

/// The ingest routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
