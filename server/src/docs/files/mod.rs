//! `POST/GET /documents`, `GET/DELETE /documents/{id}`: tenant file storage.
//!
//! Uploads are multipart/form-data with a `file` part and an optional `access_level` part
//! (`tenant`, the default, or `private`). The file is streamed to disk chunk by chunk, never held
//! in memory; reading stops at the first chunk past the size limit. Every refusal leaves no file
//! and no row behind.

pub mod config;
mod upload;

use crate::rest::query_rejection;
use app::auth::service::Principal;
use app::docs::files::disposition;
use app::docs::files::model::FilePage;
use app::docs::files::service;
use app::error::AppError;
use app::state::AppState;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tokio_util::io::ReaderStream;

/// Download read size.
const DOWNLOAD_CHUNK: usize = 64 * 1024;

/// File storage routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list).post(upload::upload))
        .route("/documents/{id}", get(download).delete(remove))
}

#[derive(Deserialize)]
struct ListQuery {
    cursor: Option<String>,
    limit: Option<u32>,
}

/// `GET /documents?cursor=&limit=`: what the caller may see, newest first.
async fn list(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<FilePage>, AppError> {
    let Query(query) = query.map_err(query_rejection)?;
    Ok(Json(
        service::list(&state.pool, &p, query.cursor.as_deref(), query.limit).await?,
    ))
}

/// `GET /documents/{id}`: the file, streamed from disk as an attachment.
async fn download(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let found = service::open(&state.files, &state.pool, &p, &id).await?;
    let body = Body::from_stream(ReaderStream::with_capacity(found.file, DOWNLOAD_CHUNK));
    let header_value = |v: &str| HeaderValue::from_str(v).map_err(AppError::internal);
    let mut res = Response::new(body);
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header_value(&found.meta.content_type)?,
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(found.len));
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(&disposition::attachment(&found.meta.filename))?,
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Opened directly, the file can run nothing and load nothing.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::ETAG,
        header_value(&format!("\"{}\"", found.meta.sha256))?,
    );
    Ok(res)
}

/// `DELETE /documents/{id}` → 204 (tenant admins only).
async fn remove(
    State(state): State<AppState>,
    p: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::delete(&state.files, &state.pool, &p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
