//! `POST /documents`: the multipart upload, streamed to disk with every refusal leaving
//! nothing behind.

use app::auth::service::Principal;
use app::docs::files::content_type;
use app::docs::files::model::{too_large_message, AccessLevel, FileMeta};
use app::docs::files::name::{form_data_filename, validate_filename, NameProblem};
use app::docs::files::service;
use app::docs::files::storage::{StoredFile, UploadWriter};
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Room for the multipart framing and the `access_level` part on top of the file itself.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;
/// Longest accepted `access_level` value, in bytes.
const MAX_TEXT_FIELD: usize = 64;

/// `POST /documents` → 201 with the file's metadata.
pub(super) async fn upload(
    State(state): State<AppState>,
    p: Principal,
    mut req: Request,
) -> Result<Response, AppError> {
    if !is_form_data(req.headers()) {
        return Err(unsupported_media_type());
    }
    let max_bytes = state.files.max_bytes;
    let body_limit = max_bytes.saturating_add(MULTIPART_OVERHEAD);
    // A declared length over the limit is refused before a byte is read.
    if declared_length(req.headers()).is_some_and(|len| len > body_limit) {
        return Err(too_large(max_bytes));
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
    })?;

    let mut file: Option<(String, StoredFile)> = None;
    let mut access: Option<AccessLevel> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, max_bytes))?
    {
        match field.name() {
            Some("file") => {
                if file.is_some() {
                    return Err(AppError::invalid_field(
                        "file",
                        "Send one file per request.",
                    ));
                }
                file = Some(receive_file(&state, &p, field).await?);
            }
            Some("access_level") => {
                let value = small_text(field, max_bytes).await?;
                access = Some(AccessLevel::parse(value.trim()).ok_or_else(|| {
                    AppError::invalid_field(
                        "access_level",
                        "access_level must be \"tenant\" or \"private\".",
                    )
                })?);
            }
            // Unknown parts are read past (the body limit bounds them) and ignored.
            _ => drain(field, max_bytes).await?,
        }
    }
    let (filename, stored) = file.ok_or_else(|| {
        AppError::invalid_field(
            "file",
            "Attach the file in a multipart/form-data part named \"file\".",
        )
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
    .await?;
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

/// 415 for a body that is not multipart/form-data.
fn unsupported_media_type() -> AppError {
    AppError::new(
        ErrorCode::UnsupportedMediaType,
        "Send the file as multipart/form-data, with the file in a part named \"file\" \
         (for example: curl -F file=@report.pdf -F access_level=tenant).",
    )
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
