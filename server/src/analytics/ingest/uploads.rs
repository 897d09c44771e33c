//! Resumable uploads (tus-like): create, append chunks at `Upload-Offset`, read the offset,
//! complete (ingest the assembled file). Uploads are per tenant: another tenant's id is 404.

use super::{idempotency_key, log_ingest, report_response};
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::ingest::model::{IngestReport, NewUpload, UploadInfo};
use app::analytics::ingest::service::{self, Decode, Outcome};
use app::analytics::ingest::uploads::{self as store, Completion};
use app::auth::service::Principal;
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::time::Instant;

/// Request and response header carrying the byte offset.
pub const UPLOAD_OFFSET: &str = "upload-offset";

/// `POST /api/v1/ingest/uploads` → 201 with the new upload.
#[utoipa::path(
    post,
    path = "/api/v1/ingest/uploads",
    tag = "Order ingest",
    operation_id = "create_ingest_upload",
    summary = "Start a resumable upload",
    description = "Body `{format?: ndjson|csv, gzip?, total_size?}` (may be empty). Expired uploads are swept first.",
    request_body(content = NewUpload, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; `Location` names it", body = UploadInfo),
        (status = 400, description = "Malformed JSON", body = ErrorEnvelope),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 413, description = "total_size over the cap", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    body: Bytes,
) -> Result<Response, AppError> {
    let new: NewUpload = if body.iter().all(u8::is_ascii_whitespace) {
        NewUpload::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::new(
                ErrorCode::BadRequest,
                format!("The body is not valid: {e}."),
            )
        })?
    };
    let info = store::create(&state.pool, &state.ingest, &p.tenant_id.0, &new).await?;
    let location = format!("/api/v1/ingest/uploads/{}", info.upload_id);
    let mut res = (StatusCode::CREATED, Json(info)).into_response();
    insert(&mut res, header::LOCATION.as_str(), &location);
    insert(&mut res, UPLOAD_OFFSET, "0");
    Ok(res)
}

/// `PATCH /api/v1/ingest/uploads/{id}` with `Upload-Offset` → 204 with the new offset.
#[utoipa::path(
    patch,
    path = "/api/v1/ingest/uploads/{id}",
    tag = "Order ingest",
    operation_id = "append_ingest_upload",
    summary = "Append a chunk",
    description = "The raw body is appended at `Upload-Offset`, which must equal the current offset (else 409 \
                   with the current one in `details.offset` and the `Upload-Offset` header). Bytes of a chunk cut \
                   off by a dropped connection are kept; resume from the offset `GET`/`HEAD` reports.",
    params(("id" = String, Path), ("Upload-Offset" = u64, Header)),
    request_body(content = String, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "Appended; `Upload-Offset` is the new offset"),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such upload for this tenant (or expired)", body = ErrorEnvelope),
        (status = 409, description = "Wrong offset, upload busy or completed", body = ErrorEnvelope),
        (status = 413, description = "Over the size cap or total_size", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn append(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    match append_chunk(state, &p, &id, req).await {
        Ok(end) => {
            let mut res = StatusCode::NO_CONTENT.into_response();
            insert(&mut res, UPLOAD_OFFSET, &end.to_string());
            res
        }
        Err(e) => with_offset(e),
    }
}

async fn append_chunk(
    state: AppState,
    p: &Principal,
    id: &str,
    req: Request,
) -> Result<u64, AppError> {
    let at = req
        .headers()
        .get(UPLOAD_OFFSET)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| AppError::invalid_field("Upload-Offset", "must be a byte offset"))?;
    let up = store::find(&state.pool, &p.tenant_id.0, id).await?;
    let Some(lock) = state.ingest.lock_upload(&up.upload_id) else {
        let current = store::offset(&state.ingest, &up.upload_id).await;
        return Err(store::offset_conflict(
            current,
            "Another request is writing this upload.",
        ));
    };
    let body = req.into_body().into_data_stream();
    // Its own task: if the client goes away, the write still ends cleanly before the lock is freed.
    tokio::spawn(async move {
        let _lock = lock;
        store::append(&state.ingest, &up, at, body).await
    })
    .await
    .map_err(AppError::internal)?
}

/// `GET` (or `HEAD`) `/api/v1/ingest/uploads/{id}` → the upload and its offset.
#[utoipa::path(
    get,
    path = "/api/v1/ingest/uploads/{id}",
    tag = "Order ingest",
    operation_id = "get_ingest_upload",
    summary = "The upload's offset (also as `Upload-Offset`; HEAD works too)",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The upload", body = UploadInfo),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such upload for this tenant (or expired)", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn status(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let up = store::find(&state.pool, &p.tenant_id.0, &id).await?;
    let info = store::info(&state.ingest, &up).await;
    let offset = info.offset.to_string();
    let mut res = Json(info).into_response();
    insert(&mut res, UPLOAD_OFFSET, &offset);
    insert(&mut res, header::CACHE_CONTROL.as_str(), "no-store");
    Ok(res)
}

/// `POST /api/v1/ingest/uploads/{id}/complete` → 200 with the ingest report.
#[utoipa::path(
    post,
    path = "/api/v1/ingest/uploads/{id}/complete",
    tag = "Order ingest",
    operation_id = "complete_ingest_upload",
    summary = "Ingest the assembled upload",
    description = "Streams the file from disk through the order ingest. A second complete replays the \
                   report (`Idempotent-Replayed: true`). With `total_size`, the upload must be full (else 409).",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The ingest report", body = IngestReport),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such upload for this tenant (or expired)", body = ErrorEnvelope),
        (status = 409, description = "Incomplete, busy, or Idempotency-Key conflict", body = ErrorEnvelope),
        (status = 429, description = "The ingest queue is full", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn complete(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match complete_upload(&state, &p, &id, &headers).await {
        Ok(outcome) => report_response(outcome),
        Err(e) => with_offset(e),
    }
}

async fn complete_upload(
    state: &AppState,
    p: &Principal,
    id: &str,
    headers: &HeaderMap,
) -> Result<Outcome, AppError> {
    let key = idempotency_key(headers)?;
    let tenant = &p.tenant_id.0;
    let up = store::find(&state.pool, tenant, id).await?;
    if let (true, Some(report)) = (up.status == "done", &up.report) {
        return replay(report);
    }
    let _slot = state.ingest.queue.enter().await?;
    let Some(_lock) = state.ingest.lock_upload(&up.upload_id) else {
        return Err(busy());
    };
    match store::claim_completion(&state.pool, tenant, &up).await? {
        Completion::Claimed => {}
        Completion::Done(report) => {
            return Ok(Outcome {
                report,
                replayed: true,
            })
        }
        Completion::InProgress => return Err(busy()),
    }
    let size = store::offset(&state.ingest, &up.upload_id).await;
    let declared = up.total_size.and_then(|t| u64::try_from(t).ok());
    if declared.is_some_and(|t| t != size) {
        store::reopen(&state.pool, &up).await?;
        return Err(store::offset_conflict(
            size,
            "The upload is not complete yet.",
        ));
    }
    let started = Instant::now();
    let outcome = match tokio::fs::File::open(state.ingest.upload_path(&up.upload_id)).await {
        Ok(file) => {
            let decode = Decode {
                format: up.format(),
                gzip: up.gzip,
            };
            service::ingest(
                &state.pool,
                &state.ingest.gate,
                tenant,
                key.as_deref(),
                decode,
                file,
            )
            .await
        }
        Err(e) => Err(AppError::internal(e)),
    };
    state.ingest.queue.finished(started.elapsed());
    log_ingest(headers, tenant, key.as_deref(), &outcome, started);
    match &outcome {
        Ok(o) => store::finish(&state.pool, &state.ingest, &up, &o.report).await?,
        Err(_) => store::reopen(&state.pool, &up).await?,
    }
    outcome
}

fn replay(report: &str) -> Result<Outcome, AppError> {
    let report: IngestReport = serde_json::from_str(report).map_err(AppError::internal)?;
    Ok(Outcome {
        report,
        replayed: true,
    })
}

fn busy() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "This upload is being written or completed by another request; retry later.",
    )
}

/// The error response, with `Upload-Offset` when the error carries the current offset.
fn with_offset(err: AppError) -> Response {
    let offset = err
        .details
        .as_ref()
        .and_then(|d| d.get("offset"))
        .and_then(serde_json::Value::as_u64);
    let mut res = err.into_response();
    if let Some(offset) = offset {
        insert(&mut res, UPLOAD_OFFSET, &offset.to_string());
    }
    res
}

fn insert(res: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().insert(name, v);
    }
}
