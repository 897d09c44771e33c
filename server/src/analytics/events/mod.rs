//! Analytics events routes.

use app::state::AppState;
use axum::Router;

/// The events routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
