//! `POST/GET /documents`, `GET/DELETE /documents/{id}`: tenant file storage.

pub mod config;

use app::state::AppState;
use axum::Router;

/// File storage routes.
pub fn routes() -> Router<AppState> {
    Router::new()
}
