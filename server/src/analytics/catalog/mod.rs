//! Products, price events (webhook, anomalies, live stream) and stock bulk updates.

pub mod config;
pub mod prices;
pub mod products;
pub mod review;
pub mod stock;
pub mod stream;

use app::analytics::catalog::model::{
    AnomalyPage, AnomalyReview, PriceAnomaly, PriceEventResult, Product, ProductRowError,
    StockBulkResult, StockResult, UpsertReport,
};
use app::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use axum::Router;
use utoipa::OpenApi;

/// This part of the OpenAPI document (merged into `/api-docs/openapi.json`).
#[derive(OpenApi)]
#[openapi(
    paths(
        products::upsert,
        products::get_product,
        prices::price_event,
        prices::product_anomalies,
        prices::tenant_anomalies,
        review::review,
        stream::stream,
        stock::bulk_update,
    ),
    components(schemas(
        Product,
        ProductRowError,
        UpsertReport,
        PriceEventResult,
        PriceAnomaly,
        AnomalyPage,
        AnomalyReview,
        StockResult,
        StockBulkResult,
    )),
    tags((name = "Catalogue", description = "Products, webhook price events with anomaly \
        detection and a live anomaly stream, stock bulk updates with conflict modes (brief 001).")),
)]
pub struct Api;

/// Request bodies of up to 10,000 products or updates.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The routes.
pub fn routes() -> Router<AppState> {
    let t = "/api/v1/tenants/{tenant_id}";
    Router::new()
        .route(&format!("{t}/products"), put(products::upsert))
        .route(
            &format!("{t}/products/{{product_id}}"),
            get(products::get_product),
        )
        .route(
            &format!("{t}/products/{{product_id}}/price-event"),
            post(prices::price_event),
        )
        .route(
            &format!("{t}/products/{{product_id}}/price-anomalies"),
            get(prices::product_anomalies),
        )
        .route(
            &format!("{t}/price-anomalies"),
            get(prices::tenant_anomalies),
        )
        .route(&format!("{t}/price-anomalies/stream"), get(stream::stream))
        .route(
            &format!("{t}/price-anomalies/{{event_id}}"),
            patch(review::review),
        )
        .route(&format!("{t}/stock/bulk_update"), put(stock::bulk_update))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}
