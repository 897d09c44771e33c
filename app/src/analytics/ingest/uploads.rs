//! Resumable uploads: a row per upload (tenant, format, status, report) and its bytes in a file
//! whose length is the offset. Chunks are appended as they stream; bytes of a chunk cut off by a
//! dropped connection stay on disk, and the client resumes from the offset the server reports.

use super::model::{IngestFormat, IngestReport, NewUpload, UploadInfo};
use super::state::IngestState;
use crate::error::{AppError, ErrorCode};
use futures::{Stream, StreamExt};
use sqlx::SqlitePool;
use tokio::io::AsyncWriteExt;

/// A stored upload.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Upload {
    pub upload_id: String,
    pub format: String,
    pub gzip: bool,
    pub total_size: Option<i64>,
    pub status: String,
    pub report: Option<String>,
    pub expires_at: String,
}

impl Upload {
    /// The body layout.
    pub fn format(&self) -> IngestFormat {
        if self.format == "csv" {
            IngestFormat::Csv
        } else {
            IngestFormat::Ndjson
        }
    }

    fn limit(&self, state: &IngestState) -> u64 {
        let declared = self.total_size.and_then(|t| u64::try_from(t).ok());
        declared.map_or(state.upload_max_bytes, |t| t.min(state.upload_max_bytes))
    }
}

fn now() -> String {
    crate::auth::service::now_rfc3339()
}

/// Creates an upload (after sweeping expired ones) with an empty file.
pub async fn create(
    pool: &SqlitePool,
    state: &IngestState,
    tenant_id: &str,
    new: &NewUpload,
) -> Result<UploadInfo, AppError> {
    sweep(pool, state).await?;
    if new.total_size.is_some_and(|t| t > state.upload_max_bytes) {
        return Err(too_large(state.upload_max_bytes));
    }
    let total_size = match new.total_size {
        Some(t) => Some(i64::try_from(t).map_err(|_| too_large(state.upload_max_bytes))?),
        None => None,
    };
    let id = uuid::Uuid::new_v4().simple().to_string();
    tokio::fs::create_dir_all(&state.dir)
        .await
        .map_err(AppError::internal)?;
    tokio::fs::File::create(state.upload_path(&id))
        .await
        .map_err(AppError::internal)?;
    let ttl = chrono::Duration::from_std(state.upload_ttl).unwrap_or(chrono::Duration::days(1));
    let expires_at =
        (chrono::Utc::now() + ttl).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let format = new.format.unwrap_or_default();
    sqlx::query(
        "INSERT INTO sales_ingest_uploads (upload_id, tenant_id, format, gzip, total_size, \
         created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(tenant_id)
    .bind(format.as_str())
    .bind(new.gzip.unwrap_or(false))
    .bind(total_size)
    .bind(now())
    .bind(&expires_at)
    .execute(pool)
    .await?;
    Ok(UploadInfo {
        upload_id: id,
        offset: 0,
        expires_at,
        format,
        gzip: new.gzip.unwrap_or(false),
        total_size: new.total_size,
        status: "open".into(),
    })
}

/// The tenant's unexpired upload, else 404 (another tenant's id looks the same as none).
pub async fn find(pool: &SqlitePool, tenant_id: &str, id: &str) -> Result<Upload, AppError> {
    sqlx::query_as(
        "SELECT upload_id, format, gzip, total_size, status, report, expires_at \
         FROM sales_ingest_uploads WHERE upload_id = ? AND tenant_id = ? AND expires_at > ?",
    )
    .bind(id)
    .bind(tenant_id)
    .bind(now())
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::not_found("Upload"))
}

/// Bytes on disk so far (0 once a completed upload's file is gone).
pub async fn offset(state: &IngestState, id: &str) -> u64 {
    tokio::fs::metadata(state.upload_path(id))
        .await
        .map(|m| m.len())
        .unwrap_or(0)
}

/// The upload as the API shows it.
pub async fn info(state: &IngestState, up: &Upload) -> UploadInfo {
    UploadInfo {
        upload_id: up.upload_id.clone(),
        offset: offset(state, &up.upload_id).await,
        expires_at: up.expires_at.clone(),
        format: up.format(),
        gzip: up.gzip,
        total_size: up.total_size.and_then(|t| u64::try_from(t).ok()),
        status: up.status.clone(),
    }
}

/// Appends a streamed chunk at `at`, which must be the current offset (else 409 with the
/// offset). Returns the new offset. The caller holds the upload's lock.
pub async fn append<S, B, E>(
    state: &IngestState,
    up: &Upload,
    at: u64,
    mut body: S,
) -> Result<u64, AppError>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    if up.status != "open" {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This upload is already completed.",
        ));
    }
    let current = offset(state, &up.upload_id).await;
    if at != current {
        return Err(offset_conflict(
            current,
            "Upload-Offset is not the current offset.",
        ));
    }
    let limit = up.limit(state);
    let path = state.upload_path(&up.upload_id);
    let mut file = tokio::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .await
        .map_err(AppError::internal)?;
    let mut end = current;
    while let Some(chunk) = body.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                // Keep what reached the file: the client resumes from the reported offset.
                file.flush().await.map_err(AppError::internal)?;
                let mut err = offset_conflict(end, "The chunk was cut off; resume from offset.");
                err.code = ErrorCode::BadRequest;
                tracing::info!(upload = %up.upload_id, offset = end, error = %e, "chunk cut off");
                return Err(err);
            }
        };
        let chunk = chunk.as_ref();
        if end + chunk.len() as u64 > limit {
            // Refuse the whole chunk: the file goes back to where this request started.
            file.flush().await.map_err(AppError::internal)?;
            file.set_len(current).await.map_err(AppError::internal)?;
            let mut err = too_large(limit);
            err.details = Some(serde_json::json!({ "offset": current }));
            return Err(err);
        }
        file.write_all(chunk).await.map_err(AppError::internal)?;
        end += chunk.len() as u64;
    }
    file.flush().await.map_err(AppError::internal)?;
    Ok(end)
}

/// What a complete request finds.
#[derive(Debug)]
pub enum Completion {
    /// This request now completes the upload.
    Claimed,
    /// Completed earlier: the report to replay.
    Done(IngestReport),
    /// Another complete is running.
    InProgress,
}

/// Moves an open upload to `completing`, or says why not.
pub async fn claim_completion(
    pool: &SqlitePool,
    tenant_id: &str,
    up: &Upload,
) -> Result<Completion, AppError> {
    let claimed = sqlx::query(
        "UPDATE sales_ingest_uploads SET status = 'completing' \
         WHERE upload_id = ? AND tenant_id = ? AND status = 'open'",
    )
    .bind(&up.upload_id)
    .bind(tenant_id)
    .execute(pool)
    .await?
    .rows_affected();
    if claimed == 1 {
        return Ok(Completion::Claimed);
    }
    let now = find(pool, tenant_id, &up.upload_id).await?;
    match (now.status.as_str(), now.report) {
        ("done", Some(report)) => Ok(Completion::Done(
            serde_json::from_str(&report).map_err(AppError::internal)?,
        )),
        _ => Ok(Completion::InProgress),
    }
}

/// Stores the report and removes the bytes.
pub async fn finish(
    pool: &SqlitePool,
    state: &IngestState,
    up: &Upload,
    report: &IngestReport,
) -> Result<(), AppError> {
    let report = serde_json::to_string(report).map_err(AppError::internal)?;
    sqlx::query("UPDATE sales_ingest_uploads SET status = 'done', report = ? WHERE upload_id = ?")
        .bind(report)
        .bind(&up.upload_id)
        .execute(pool)
        .await?;
    let _ = tokio::fs::remove_file(state.upload_path(&up.upload_id)).await;
    Ok(())
}

/// Reopens an upload whose completion failed, so it can be completed again.
pub async fn reopen(pool: &SqlitePool, up: &Upload) -> Result<(), AppError> {
    sqlx::query("UPDATE sales_ingest_uploads SET status = 'open' WHERE upload_id = ?")
        .bind(&up.upload_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Removes expired uploads and their files; returns how many.
pub async fn sweep(pool: &SqlitePool, state: &IngestState) -> Result<usize, AppError> {
    let gone: Vec<String> = sqlx::query_scalar(
        "DELETE FROM sales_ingest_uploads WHERE expires_at <= ? RETURNING upload_id",
    )
    .bind(now())
    .fetch_all(pool)
    .await?;
    for id in &gone {
        if !state.upload_busy(id) {
            let _ = tokio::fs::remove_file(state.upload_path(id)).await;
        }
    }
    Ok(gone.len())
}

/// 409 carrying the current offset (the handler copies it into `Upload-Offset`).
pub fn offset_conflict(current: u64, message: &str) -> AppError {
    let mut err = AppError::new(ErrorCode::Conflict, message);
    err.details = Some(serde_json::json!({ "offset": current }));
    err
}

fn too_large(limit: u64) -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        format!("An upload may hold at most {limit} bytes."),
    )
}
