//! The Documents area's HTTP surface: the brief's `/documents` file API and the collaborative
//! documents' REST API and `/ws/docs/{id}` Yjs WebSocket.

pub mod collab;
pub mod files;

use app::state::AppState;
use axum::Router;

/// Documents routes, mounted at the root (the brief's paths).
pub fn routes() -> Router<AppState> {
    files::routes().merge(collab::routes())
}
