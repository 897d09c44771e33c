//! Collaborative documents: `/api/v1/docs…` REST and the `/ws/docs/{id}` Yjs WebSocket.

pub mod config;

use app::state::AppState;
use axum::Router;

/// Collaborative document routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
