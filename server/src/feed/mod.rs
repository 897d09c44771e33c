//! The live feed's HTTP surface: `POST /events`, `GET /events` and the `/ws/feed` WebSocket.

mod access;
mod rest;
mod socket;

use app::state::AppState;
use axum::routing::get;
use axum::Router;

/// Feed routes, mounted at the root (the brief's paths).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(rest::list_events).post(rest::post_event))
        .route("/ws/feed", get(socket::upgrade))
}
