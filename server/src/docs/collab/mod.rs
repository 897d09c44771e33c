//! Collaborative documents: `/api/v1/docs…` REST and the `/ws/docs/{id}` Yjs WebSocket.

pub mod config;
mod rest;

use app::state::AppState;
use axum::routing::{get, put};
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
}
