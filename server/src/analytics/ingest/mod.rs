//! Order ingest over HTTP: one-shot bodies (`orders`) and resumable chunked uploads
//! (`uploads`), both through the bounded ingest queue.

pub mod config;
pub mod orders;
pub mod uploads;

use app::analytics::ingest::model::{IngestFormat, IngestReport, NewUpload, RowError, UploadInfo};
use app::analytics::ingest::service::Outcome;
use app::error::AppError;
use app::state::AppState;
use app::storefront::checkout::validate_key;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use axum::{Json, Router};
use std::time::Instant;
use utoipa::OpenApi;

/// The ingest part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        orders::ingest_orders,
        uploads::create,
        uploads::append,
        uploads::status,
        uploads::complete
    ),
    components(schemas(IngestReport, RowError, IngestFormat, NewUpload, UploadInfo))
)]
pub struct Api;

/// The ingest routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/ingest/orders/", orders_route())
        .route("/api/v1/ingest/orders", orders_route())
        .route("/api/v1/ingest/uploads", post(uploads::create))
        .route(
            "/api/v1/ingest/uploads/{id}",
            patch(uploads::append).get(uploads::status),
        )
        .route(
            "/api/v1/ingest/uploads/{id}/complete",
            post(uploads::complete),
        )
}

/// Bodies are streamed, never buffered, so the default body limit (meant for buffered
/// extractors; multipart applies it) does not fit.
fn orders_route() -> axum::routing::MethodRouter<AppState> {
    post(orders::ingest_orders).layer(DefaultBodyLimit::disable())
}

/// The optional, validated `Idempotency-Key`.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    match headers.get("idempotency-key") {
        Some(v) => Ok(Some(validate_key(v.to_str().unwrap_or(""))?)),
        None => Ok(None),
    }
}

/// 200 with the report; `Idempotent-Replayed: true` on a replay.
fn report_response(outcome: Outcome) -> Response {
    let mut res = Json(outcome.report).into_response();
    if outcome.replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}

/// The one log line per ingest request.
fn log_ingest(
    headers: &HeaderMap,
    tenant: &str,
    key: Option<&str>,
    outcome: &Result<Outcome, AppError>,
    started: Instant,
) {
    let request_id = headers
        .get(crate::middleware::REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(o) => tracing::info!(
            request_id,
            tenant,
            idempotency_key = key,
            rows_received = o.report.rows_received,
            rows_inserted = o.report.rows_inserted,
            rows_failed = o.report.rows_failed,
            replayed = o.replayed,
            elapsed_ms,
            "order ingest"
        ),
        Err(e) => tracing::info!(
            request_id,
            tenant,
            idempotency_key = key,
            error = %e.message,
            elapsed_ms,
            "order ingest failed"
        ),
    }
}
