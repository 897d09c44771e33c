//! `POST /api/v1/ingest/orders/` (with or without the trailing slash): bulk order ingest.
//!
//! The body is NDJSON (`Content-Type: application/x-ndjson`), optionally
//! `Content-Encoding: gzip`; it is streamed line by line, never held whole. Every order's
//! `tenant_id` must be the caller's. Good rows are upserted in batches (a repeated `order_id`
//! replaces the earlier order and its items), bad rows are skipped and reported as
//! `{line, field, reason}`. With an `Idempotency-Key`, the same key and body replay the first
//! response (`Idempotent-Replayed: true`), another body is a 409, and a request still running
//! with that key makes a concurrent one a 409 (see `app::analytics::ingest::idempotency`).

use app::analytics::ingest::service;
use app::auth::service::Principal;
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use app::storefront::checkout::validate_key;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use futures_util::TryStreamExt;
use tokio_util::io::StreamReader;
use utoipa::OpenApi;

/// The ingest part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi()]
pub struct Api;

/// The ingest routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/ingest/orders/", post(ingest_orders))
        .route("/api/v1/ingest/orders", post(ingest_orders))
}

/// `POST /api/v1/ingest/orders/` → 200 with the ingest report.
async fn ingest_orders(
    State(state): State<AppState>,
    p: Principal,
    req: Request,
) -> Result<Response, AppError> {
    let headers = req.headers();
    if !is_ndjson(headers) {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the orders as NDJSON with Content-Type: application/x-ndjson.",
        ));
    }
    let gzip = match headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("").trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("identity") => false,
        Some("gzip" | "x-gzip") => true,
        Some(_) => {
            return Err(AppError::new(
                ErrorCode::UnsupportedMediaType,
                "Content-Encoding must be gzip or identity.",
            ))
        }
    };
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(validate_key(v.to_str().unwrap_or(""))?),
        None => None,
    };
    let body = req
        .into_body()
        .into_data_stream()
        .map_err(std::io::Error::other);
    let outcome = service::ingest(
        &state.pool,
        &p.tenant_id.0,
        key.as_deref(),
        gzip,
        StreamReader::new(body),
    )
    .await?;
    let mut res = Json(outcome.report).into_response();
    if outcome.replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

fn is_ndjson(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-ndjson"))
}
