//! `POST /api/v1/tenants/{tenant_id}/reports/export` (202, runs in the background),
//! `GET …/reports/exports/{export_id}` (status) and `GET …/exports/{export_id}/download`
//! (the finished file, with byte ranges: `Range`, `If-Range`, or `?from=<offset>`).

use super::export_download::{requested, Part};
use crate::rest::{json_rejection, query_rejection};
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::check_tenant_path;
use app::analytics::query::export::{self as service, not_ready};
use app::analytics::query::export_model::{ExportRequest, ExportStatus};
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::body::Body;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use utoipa::{IntoParams, OpenApi};

/// The export part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(request_export, export_status, download),
    components(schemas(ExportRequest, ExportStatus))
)]
pub struct Api;

/// The export routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/tenants/{tenant_id}/reports/export",
            post(request_export),
        )
        .route(
            "/api/v1/tenants/{tenant_id}/reports/exports/{export_id}",
            get(export_status),
        )
        .route(
            "/api/v1/tenants/{tenant_id}/reports/exports/{export_id}/download",
            get(download),
        )
}

/// Resumes the exports an earlier process left running (called once the state is built).
pub async fn resume_on_start(state: &AppState) {
    match service::resume_all(&state.exports, &state.pool).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(exports = n, "resuming interrupted exports"),
        Err(e) => tracing::warn!(error = %e, "could not look for interrupted exports"),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/tenants/{tenant_id}/reports/export",
    tag = "Analytics",
    operation_id = "request_export",
    summary = "Start a CSV or Parquet export of the tenant's orders",
    description = "Body `{format: csv|parquet, gzip?: bool (csv only), filters: {start_date?, end_date?, …}}`. \
                   The file is written in the background in keyset pages, checkpointed after each; poll the \
                   status, then download. Columns: order_id, customer_id, customer_name, customer_email, \
                   status, created_at, currency, total (decimal), items_count.",
    params(("tenant_id" = String, Path, description = "The caller's tenant")),
    request_body = ExportRequest,
    responses(
        (status = 202, description = "Started", body = ExportStatus),
        (status = 400, description = "Malformed JSON", body = ErrorEnvelope),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "Bad format, gzip with Parquet, or bad filters", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
async fn request_export(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    body: Result<Json<ExportRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Json(req) = body.map_err(json_rejection)?;
    let status = service::request(&state.exports, &state.pool, &tenant_id, &req).await?;
    let location = format!(
        "/api/v1/tenants/{tenant_id}/reports/exports/{}",
        status.export_id
    );
    let mut res = (StatusCode::ACCEPTED, Json(status)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/reports/exports/{export_id}",
    tag = "Analytics",
    operation_id = "export_status",
    summary = "An export's status: rows and bytes so far, SHA-256 when done",
    params(("tenant_id" = String, Path), ("export_id" = String, Path)),
    responses(
        (status = 200, description = "The job", body = ExportStatus),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant, or no such export", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
async fn export_status(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant_id, export_id)): Path<(String, String)>,
) -> Result<Json<ExportStatus>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let job = service::status(&state.exports, &state.pool, &tenant_id, &export_id).await?;
    Ok(Json(job.status()))
}

/// The continuation token of a download.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DownloadQuery {
    /// Byte offset to continue from (same as `Range: bytes=<from>-`); answered with 206.
    from: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/reports/exports/{export_id}/download",
    tag = "Analytics",
    operation_id = "download_export",
    summary = "Download a finished export (resumable)",
    description = "`Accept-Ranges: bytes`; the ETag is the quoted SHA-256. Resume with \
                   `Range: bytes=<n>-` (plus `If-Range: <etag>` to get the whole file instead if it \
                   changed) or `?from=<n>`. A range outside the file is 416.",
    params(("tenant_id" = String, Path), ("export_id" = String, Path), DownloadQuery),
    responses(
        (status = 200, description = "The whole file"),
        (status = 206, description = "The requested bytes"),
        (status = 304, description = "If-None-Match matched"),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant, or no such export", body = ErrorEnvelope),
        (status = 409, description = "Not finished", body = ErrorEnvelope),
        (status = 416, description = "Range not satisfiable"),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
async fn download(
    State(state): State<AppState>,
    p: Principal,
    Path((tenant_id, export_id)): Path<(String, String)>,
    query: Result<Query<DownloadQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Query(q) = query.map_err(query_rejection)?;
    let job = service::status(&state.exports, &state.pool, &tenant_id, &export_id).await?;
    if job.status != "done" {
        return Err(not_ready(&job));
    }
    let path = state.exports.path(&job);
    let etag = format!("\"{}\"", job.sha256.clone().unwrap_or_default());
    let mut file = tokio::fs::File::open(&path)
        .await
        .map_err(|_| AppError::not_found("Export file"))?;
    let len = file.metadata().await.map_err(AppError::internal)?.len();
    let mut base = HeaderMap::new();
    base.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        base.insert(header::ETAG, v);
    }
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.to_str().ok().map(str::trim) == Some(etag.as_str()))
    {
        return Ok((StatusCode::NOT_MODIFIED, base).into_response());
    }
    let (status, start, count) = match requested(&headers, q.from, &etag, len) {
        Part::Whole => (StatusCode::OK, 0, len),
        Part::Range { start, end } => {
            let range = format!("bytes {start}-{end}/{len}");
            if let Ok(v) = HeaderValue::from_str(&range) {
                base.insert(header::CONTENT_RANGE, v);
            }
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        Part::Unsatisfiable => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                base.insert(header::CONTENT_RANGE, v);
            }
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, base).into_response());
        }
    };
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("export");
    let content_type = match file_name.rsplit('.').next() {
        Some("gz") => "application/gzip",
        Some("parquet") => "application/vnd.apache.parquet",
        _ => "text/csv; charset=utf-8",
    };
    base.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        base.insert(header::CONTENT_DISPOSITION, v);
    }
    base.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    file.seek(std::io::SeekFrom::Start(start))
        .await
        .map_err(AppError::internal)?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file.take(count)));
    Ok((status, base, body).into_response())
}
