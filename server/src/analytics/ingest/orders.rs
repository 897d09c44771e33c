//! `POST /api/v1/ingest/orders/` (with or without the trailing slash): bulk order ingest.
//!
//! The body is NDJSON (`Content-Type: application/x-ndjson`), optionally
//! `Content-Encoding: gzip`; it is streamed line by line, never held whole. Every order's
//! `tenant_id` must be the caller's. Good rows are upserted in batches (a repeated `order_id`
//! replaces the earlier order and its items), bad rows are skipped and reported as
//! `{line, field, reason}`. With an `Idempotency-Key`, the same key and body replay the first
//! response (`Idempotent-Replayed: true`), another body is a 409, and a request still running
//! with that key makes a concurrent one a 409 (see `app::analytics::ingest::idempotency`).

use super::{idempotency_key, log_ingest, report_response};
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::ingest::model::{IngestFormat, IngestReport};
use app::analytics::ingest::service::{self, Decode};
use app::auth::service::Principal;
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use futures_util::TryStreamExt;
use std::time::Instant;
use tokio_util::io::StreamReader;

/// `POST /api/v1/ingest/orders/` → 200 with the ingest report.
#[utoipa::path(
    post,
    path = "/api/v1/ingest/orders/",
    tag = "Order ingest",
    operation_id = "ingest_orders",
    summary = "Bulk-ingest orders (NDJSON, optionally gzip)",
    description = "Streams `application/x-ndjson` (optionally `Content-Encoding: gzip`). Bad rows are \
                   reported by line; good rows are upserted. Waits in the bounded ingest queue; a full \
                   queue is 429 with `Retry-After` and `details.queue_length`, `details.expected_delay_secs`.",
    params(("Idempotency-Key" = Option<String>, Header, description = "1–200 printable ASCII characters")),
    request_body(content = String, content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "The ingest report", body = IngestReport),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 409, description = "Idempotency-Key in use or reused with another body", body = ErrorEnvelope),
        (status = 415, description = "Not NDJSON, or an unknown Content-Encoding", body = ErrorEnvelope),
        (status = 429, description = "The ingest queue is full", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn ingest_orders(
    State(state): State<AppState>,
    p: Principal,
    req: Request,
) -> Result<Response, AppError> {
    let headers = req.headers().clone();
    let decode = body_decode(&headers)?;
    let key = idempotency_key(&headers)?;
    let _slot = state.ingest.queue.enter().await?;
    let started = Instant::now();
    let body = req
        .into_body()
        .into_data_stream()
        .map_err(std::io::Error::other);
    let outcome = service::ingest(
        &state.pool,
        &p.tenant_id.0,
        key.as_deref(),
        decode,
        StreamReader::new(body),
    )
    .await;
    state.ingest.queue.finished(started.elapsed());
    log_ingest(&headers, &p.tenant_id.0, key.as_deref(), &outcome, started);
    Ok(report_response(outcome?))
}

/// The body's layout from Content-Type and Content-Encoding.
fn body_decode(headers: &HeaderMap) -> Result<Decode, AppError> {
    if !is_media(headers, "application/x-ndjson") {
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
    Ok(Decode {
        format: IngestFormat::Ndjson,
        gzip,
    })
}

/// Whether the Content-Type's media type (parameters ignored) is `media`.
pub(super) fn is_media(headers: &HeaderMap, media: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(media))
}
