//! The storefront's HTTP surface: `/api/v1` catalogue, carts, checkout and orders, and the
//! brief's fraud endpoints `POST /transactions` and `GET /transactions/flagged`.

mod carts;
pub mod config;
pub mod openapi;
mod orders;
mod products;
mod transactions;

use app::state::AppState;
use axum::routing::{get, post, put};
use axum::Router;

/// Storefront routes, mounted at the root.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/products",
            get(products::list).post(products::create),
        )
        .route(
            "/api/v1/products/{id}",
            get(products::get).patch(products::update),
        )
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/carts", post(carts::create))
        .route("/api/v1/carts/{id}", get(carts::get))
        .route("/api/v1/carts/{id}/items", put(carts::put_item))
        .route("/api/v1/carts/{id}/preview", get(carts::preview))
        .route("/api/v1/carts/{id}/checkout", post(carts::checkout))
        .route("/api/v1/orders", get(orders::list))
        .route("/api/v1/orders/{id}", get(orders::get))
        .route("/api/v1/orders/{id}/review", post(orders::decide))
        .route("/api/v1/orders/{id}/audit", get(orders::audit))
        .route("/transactions", post(transactions::submit))
        .route("/transactions/flagged", get(transactions::flagged))
}
