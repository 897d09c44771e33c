//! Collaborative documents: `/api/v1/docs…` REST and the `/ws/docs/{id}` Yjs WebSocket.

pub mod config;
pub mod export;
mod rest;
pub mod revisions;
pub mod socket;

use app::state::AppState;
use axum::routing::{get, post, put};
use axum::Router;

/// Collaborative document routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/docs", get(rest::list).post(rest::create))
        .route(
            "/api/v1/docs/{id}",
            get(rest::get).patch(rest::rename).delete(rest::delete),
        )
        .route("/api/v1/docs/{id}/collaborators/{user}", put(rest::share))
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
