//! The storefront's HTTP surface: `/api/v1` catalogue, carts, checkout and orders, and the
//! brief's fraud endpoints `POST /transactions` and `GET /transactions/flagged`.

pub mod config;

use app::state::AppState;
use axum::Router;

/// Storefront routes, mounted at the root.
pub fn routes() -> Router<AppState> {
    Router::new()
}
