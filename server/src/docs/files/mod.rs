//! `POST/GET /documents`, `GET/DELETE /documents/{id}`: tenant file storage.
//!
//! Uploads are multipart/form-data with a `file` part and an optional `access_level` part
//! (`tenant`, the default, or `private`). The file is streamed to disk chunk by chunk, never held
//! in memory; reading stops at the first chunk past the size limit. Every refusal leaves no file
//! and no row behind.

pub mod config;

use crate::rest::query_rejection;
use app::auth::service::Principal;
use app::docs::files::content_type;
use app::docs::files::disposition;
use app::docs::files::model::{too_large_message, AccessLevel, FileMeta, FilePage};
use app::docs::files::name::{form_data_filename, validate_filename, NameProblem};
use app::docs::files::service;
use app::docs::files::storage::{StoredFile, UploadWriter};
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tokio_util::io::ReaderStream;

/// Room for the multipart framing and the `access_level` part on top of the file itself.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;
/// Longest accepted `access_level` value, in bytes.
const MAX_TEXT_FIELD: usize = 64;
/// Download read size.
const DOWNLOAD_CHUNK: usize = 64 * 1024;

/// File storage routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list).post(upload))
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

/// `POST /documents` → 201 with the file's metadata.
async fn upload(
    State(state): State<AppState>,
    p: Principal,
    mut req: Request,
) -> Result<Response, Response> {
    if !is_form_data(req.headers()) {
        return Err(unsupported_media_type(req.headers()));
    }
    let max_bytes = state.files.max_bytes;
    let body_limit = max_bytes.saturating_add(MULTIPART_OVERHEAD);
    // A declared length over the limit is refused before a byte is read.
    if declared_length(req.headers()).is_some_and(|len| len > body_limit) {
        return Err(too_large(max_bytes).into_response());
    }
    // The configured limit applies here, not axum's 2 MB default.
    DefaultBodyLimit::max(usize::try_from(body_limit).unwrap_or(usize::MAX)).apply(&mut req);
    let mut multipart = Multipart::from_request(req, &state).await.map_err(|e| {
        AppError::new(
            ErrorCode::BadRequest,
            format!(
                "The multipart/form-data body is malformed: {}.",
                e.body_text()
            ),
        )
        .into_response()
    })?;

    let mut file: Option<(String, StoredFile)> = None;
    let mut access: Option<AccessLevel> = None;
    let read_error = |e: MultipartError| multipart_error(e, max_bytes).into_response();
    while let Some(field) = multipart.next_field().await.map_err(read_error)? {
        match field.name() {
            Some("file") => {
                if file.is_some() {
                    return Err(
                        AppError::invalid_field("file", "Send one file per request.")
                            .into_response(),
                    );
                }
                file = Some(
                    receive_file(&state, &p, field)
                        .await
                        .map_err(|e| e.into_response())?,
                );
            }
            Some("access_level") => {
                let value = small_text(field, max_bytes)
                    .await
                    .map_err(|e| e.into_response())?;
                access = Some(AccessLevel::parse(value.trim()).ok_or_else(|| {
                    AppError::invalid_field(
                        "access_level",
                        "access_level must be \"tenant\" or \"private\".",
                    )
                    .into_response()
                })?);
            }
            // Unknown parts are read past (the body limit bounds them) and ignored.
            _ => drain(field, max_bytes)
                .await
                .map_err(|e| e.into_response())?,
        }
    }
    let (filename, stored) = file.ok_or_else(|| {
        AppError::invalid_field(
            "file",
            "Attach the file in a multipart/form-data part named \"file\".",
        )
        .into_response()
    })?;
    let content_type = content_type::detect(&filename, &stored.head);
    let meta = service::create(
        &state.pool,
        &p,
        &filename,
        access.unwrap_or(AccessLevel::Tenant),
        content_type,
        stored,
    )
    .await
    .map_err(|e| e.into_response())?;
    Ok(created(meta))
}

/// 201 with `Location` and the metadata.
fn created(meta: FileMeta) -> Response {
    let location = HeaderValue::from_str(&meta.download_url()).ok();
    let mut res = (StatusCode::CREATED, Json(meta)).into_response();
    if let Some(location) = location {
        res.headers_mut().insert(header::LOCATION, location);
    }
    res
}

/// Validates the part's file name, then streams its content to disk.
async fn receive_file(
    state: &AppState,
    p: &Principal,
    mut field: Field<'_>,
) -> Result<(String, StoredFile), AppError> {
    let disposition = field
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .map(HeaderValue::as_bytes)
        .unwrap_or_default();
    let filename = form_data_filename(disposition)
        .and_then(|name| name.ok_or(NameProblem::Missing))
        .and_then(|name| validate_filename(&name).map(|()| name))
        .map_err(|problem| AppError::invalid_field("filename", problem.message()))?;
    let mut writer = UploadWriter::create(&state.files, &p.tenant_id.0).await?;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| multipart_error(e, state.files.max_bytes))?
    {
        writer.write(&chunk).await?;
    }
    Ok((filename, writer.finish().await?))
}

/// A short text part, read with a cap.
async fn small_text(mut field: Field<'_>, max_bytes: u64) -> Result<String, AppError> {
    let name = field.name().unwrap_or_default().to_string();
    let mut value = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| multipart_error(e, max_bytes))?
    {
        value.extend_from_slice(&chunk);
        if value.len() > MAX_TEXT_FIELD {
            return Err(AppError::invalid_field(
                &name,
                &format!("{name} is longer than {MAX_TEXT_FIELD} bytes."),
            ));
        }
    }
    String::from_utf8(value)
        .map_err(|_| AppError::invalid_field(&name, &format!("{name} is not valid UTF-8.")))
}

async fn drain(mut field: Field<'_>, max_bytes: u64) -> Result<(), AppError> {
    while field
        .chunk()
        .await
        .map_err(|e| multipart_error(e, max_bytes))?
        .is_some()
    {}
    Ok(())
}

fn too_large(max_bytes: u64) -> AppError {
    AppError::new(ErrorCode::PayloadTooLarge, too_large_message(max_bytes))
}

/// A failed multipart read: over the body limit is 413; anything else is a malformed body
/// (or a client that went away, which nobody hears about).
fn multipart_error(e: MultipartError, max_bytes: u64) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max_bytes)
    } else {
        AppError::new(
            ErrorCode::BadRequest,
            format!(
                "The multipart/form-data body could not be read: {}.",
                e.body_text()
            ),
        )
    }
}

/// `multipart/form-data` (with any parameters; the boundary is checked by the parser).
fn is_form_data(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("multipart/form-data"))
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// 415 in the error envelope. `ErrorCode` has no 415 code, so the envelope is written here
/// (with the request id the request-id layer put on the request).
fn unsupported_media_type(headers: &HeaderMap) -> Response {
    let request_id = headers
        .get(crate::middleware::REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok());
    let body = serde_json::json!({ "error": {
        "code": "unsupported_media_type",
        "message": "Send the file as multipart/form-data, with the file in a part named \"file\" \
                    (for example: curl -F file=@report.pdf -F access_level=tenant).",
        "details": null,
        "request_id": request_id,
    }});
    (StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(body)).into_response()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with_content_type(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn only_form_data_is_an_upload() {
        assert!(is_form_data(&with_content_type(
            "multipart/form-data; boundary=x"
        )));
        assert!(is_form_data(&with_content_type(
            "Multipart/Form-Data ; boundary=x"
        )));
        assert!(!is_form_data(&with_content_type(
            "multipart/mixed; boundary=x"
        )));
        assert!(!is_form_data(&with_content_type("application/json")));
        assert!(!is_form_data(&HeaderMap::new()));
    }
}
