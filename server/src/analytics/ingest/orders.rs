//! `POST /api/v1/ingest/orders/` (with or without the trailing slash): bulk order ingest.
//!
//! The body is NDJSON (`application/x-ndjson`) or CSV (`text/csv`), optionally
//! `Content-Encoding: gzip`; or gzip'd NDJSON as `application/octet-stream`; or a
//! `multipart/form-data` form whose `file` part is one of those (CSV by `text/csv` or a `.csv`
//! name, gzip by `application/gzip` or a `.gz` name). It is streamed, never held whole. Every order's
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
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use futures_util::TryStreamExt;
use std::time::Instant;
use tokio::io::AsyncRead;
use tokio_util::io::StreamReader;

/// `POST /api/v1/ingest/orders/` → 200 with the ingest report.
#[utoipa::path(
    post,
    path = "/api/v1/ingest/orders/",
    tag = "Order ingest",
    operation_id = "ingest_orders",
    summary = "Bulk-ingest orders (NDJSON, CSV, gzip, multipart)",
    description = "Streams `application/x-ndjson` or `text/csv` (optionally `Content-Encoding: gzip`), gzip'd NDJSON as \
                   `application/octet-stream`, or a multipart `file` part. CSV: header row, one row per item \
                   (`order_id,tenant_id,customer_id,customer_name,customer_email,status,created_at,currency,product_id,quantity,unit_price`), \
                   consecutive rows with one order_id form one order. Bad rows are \
                   reported by line; good rows are upserted. Waits in the bounded ingest queue; a full \
                   queue is 429 with `Retry-After` and `details.queue_length`, `details.expected_delay_secs`.",
    params(("Idempotency-Key" = Option<String>, Header, description = "1–200 printable ASCII characters")),
    request_body(content = String, content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "The ingest report", body = IngestReport),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 409, description = "Idempotency-Key in use or reused with another body", body = ErrorEnvelope),
        (status = 415, description = "An unsupported Content-Type or Content-Encoding", body = ErrorEnvelope),
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
    let key = idempotency_key(&headers)?;
    if is_media(&headers, "multipart/form-data") {
        let mut form = Multipart::from_request(req, &state)
            .await
            .map_err(|e| AppError::new(ErrorCode::BadRequest, e.body_text()))?;
        let field = loop {
            match form.next_field().await.map_err(multipart_error)? {
                Some(f) if f.name() == Some("file") => break f,
                Some(_) => continue,
                None => {
                    return Err(AppError::invalid_field(
                        "file",
                        "A `file` part is required.",
                    ))
                }
            }
        };
        let decode = part_decode(field.content_type(), field.file_name());
        let body = Box::pin(field.map_err(std::io::Error::other));
        return run(&state, &p, &headers, key, decode, StreamReader::new(body)).await;
    }
    let decode = body_decode(&headers)?;
    let body = req
        .into_body()
        .into_data_stream()
        .map_err(std::io::Error::other);
    run(&state, &p, &headers, key, decode, StreamReader::new(body)).await
}

/// Waits for a queue slot, ingests, logs the request.
async fn run<R: AsyncRead + Unpin + Send>(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    key: Option<String>,
    decode: Decode,
    body: R,
) -> Result<Response, AppError> {
    let _slot = state.ingest.queue.enter().await?;
    let started = Instant::now();
    let tenant = &p.tenant_id.0;
    let outcome = service::ingest(
        &state.pool,
        &state.ingest.gate,
        tenant,
        key.as_deref(),
        decode,
        body,
    )
    .await;
    state.ingest.queue.finished(started.elapsed());
    log_ingest(headers, tenant, key.as_deref(), &outcome, started);
    Ok(report_response(outcome?))
}

fn multipart_error(e: MultipartError) -> AppError {
    AppError::new(
        ErrorCode::BadRequest,
        format!("The form could not be read: {}", e.body_text()),
    )
}

/// A form part's layout from its Content-Type, else its file name (`.csv`, `.gz`).
fn part_decode(content_type: Option<&str>, file_name: Option<&str>) -> Decode {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let name = file_name.unwrap_or("").to_ascii_lowercase();
    let base = name.strip_suffix(".gz").unwrap_or(&name);
    let format = if ct.starts_with("text/csv") || base.ends_with(".csv") {
        IngestFormat::Csv
    } else {
        IngestFormat::Ndjson
    };
    let gzip =
        matches!(ct.as_str(), "application/gzip" | "application/x-gzip") || name.ends_with(".gz");
    Decode { format, gzip }
}

/// The body's layout from Content-Type and Content-Encoding: NDJSON or CSV (optionally
/// `Content-Encoding: gzip`), or `application/octet-stream` = gzip'd NDJSON.
fn body_decode(headers: &HeaderMap) -> Result<Decode, AppError> {
    let (format, gzipped) = if is_media(headers, "application/x-ndjson") {
        (IngestFormat::Ndjson, false)
    } else if is_media(headers, "text/csv") {
        (IngestFormat::Csv, false)
    } else if is_media(headers, "application/octet-stream") {
        (IngestFormat::Ndjson, true)
    } else {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the orders as application/x-ndjson, text/csv, gzip'd NDJSON as \
             application/octet-stream, or a multipart/form-data `file` part.",
        ));
    };
    let encoded = match headers
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
    if gzipped && encoded {
        return Err(AppError::new(
            ErrorCode::UnsupportedMediaType,
            "application/octet-stream is already gzip; drop Content-Encoding.",
        ));
    }
    Ok(Decode {
        format,
        gzip: gzipped || encoded,
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
