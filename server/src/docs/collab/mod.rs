//! Collaborative documents: `/api/v1/docs…` REST and the `/ws/docs/{id}` Yjs WebSocket.

pub mod config;
pub mod export;
pub mod revisions;
pub mod socket;

use app::state::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Collaborative document routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        // The Yjs sync server: WebSocket, revisions and export.
        .route("/ws/docs/{id}", get(socket::upgrade))
        .route(
            "/api/v1/docs/{id}/revisions",
            get(revisions::list).post(revisions::create),
        )
        .route(
            "/api/v1/docs/{id}/revisions/{rev}/restore",
            post(revisions::restore),
        )
        .route("/api/v1/docs/{id}/export", get(export::export))
}
