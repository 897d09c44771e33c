//! Export jobs: a background task per export streams the tenant's filtered orders in keyset pages
//! (on `(created_at, order_id)`) to a file, checkpointing after every page, and picks up where it
//! stopped when the server restarts. See `docs/analytics/export.md`.

use super::export_filter::ExportFilter;
use super::export_model::{ExportFormat, ExportRequest, ExportStatus};
use super::export_store::{self as store, Checkpoint, ExportJob};
use super::export_writer::{sha256_file, write_csv, write_parquet};
use crate::error::{AppError, ErrorCode};
use sqlx::SqlitePool;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncSeekExt;

/// Export settings (from the server's config) and the jobs this process is running.
#[derive(Debug, Default)]
pub struct ExportSettings {
    /// Root folder of export files (one folder per tenant inside).
    pub dir: PathBuf,
    /// Rows per keyset page, i.e. per checkpoint (and per gzip member).
    pub page_rows: i64,
    /// Rows per Parquet row group.
    pub row_group_rows: usize,
    /// Pause after each page (0 in production; lets tests interrupt a running export).
    pub page_pause: Duration,
    /// `tenant/export_id` of the jobs running in this process.
    pub active: Mutex<HashSet<String>>,
}

impl ExportSettings {
    /// The file of an export.
    pub fn path(&self, job: &ExportJob) -> PathBuf {
        let ext = match (job.format(), job.gzip) {
            (ExportFormat::Parquet, _) => "parquet",
            (ExportFormat::Csv, true) => "csv.gz",
            (ExportFormat::Csv, false) => "csv",
        };
        self.dir
            .join(&job.tenant_id)
            .join(format!("{}.{ext}", job.export_id))
    }
}

/// Validates and records a new export, starts it, and returns its status.
pub async fn request(
    settings: &Arc<ExportSettings>,
    pool: &SqlitePool,
    tenant_id: &str,
    req: &ExportRequest,
) -> Result<ExportStatus, AppError> {
    if req.gzip && req.format == ExportFormat::Parquet {
        return Err(AppError::invalid_field(
            "gzip",
            "gzip applies to CSV only (Parquet columns are Snappy-compressed).",
        ));
    }
    ExportFilter::parse(&req.filters)?;
    let export_id = uuid::Uuid::new_v4().to_string();
    let filters = serde_json::to_string(&req.filters).map_err(AppError::internal)?;
    store::insert(pool, tenant_id, &export_id, req.format, req.gzip, &filters).await?;
    spawn(settings, pool, tenant_id, &export_id);
    let job = store::get(pool, tenant_id, &export_id)
        .await?
        .ok_or_else(|| AppError::not_found("Export"))?;
    Ok(job.status())
}

/// The status of a tenant's export; a job left running by an earlier process is resumed.
pub async fn status(
    settings: &Arc<ExportSettings>,
    pool: &SqlitePool,
    tenant_id: &str,
    export_id: &str,
) -> Result<ExportJob, AppError> {
    let job = store::get(pool, tenant_id, export_id)
        .await?
        .ok_or_else(|| AppError::not_found("Export"))?;
    if job.status == "running" {
        spawn(settings, pool, tenant_id, export_id);
    }
    Ok(job)
}

/// Resumes every job an earlier process left running (called at start-up).
pub async fn resume_all(
    settings: &Arc<ExportSettings>,
    pool: &SqlitePool,
) -> Result<usize, AppError> {
    let jobs = store::running(pool).await?;
    for (tenant_id, export_id) in &jobs {
        spawn(settings, pool, tenant_id, export_id);
    }
    Ok(jobs.len())
}

/// Starts the job's task unless this process already runs it.
fn spawn(settings: &Arc<ExportSettings>, pool: &SqlitePool, tenant_id: &str, export_id: &str) {
    let key = format!("{tenant_id}/{export_id}");
    let fresh = settings
        .active
        .lock()
        .map(|mut a| a.insert(key.clone()))
        .unwrap_or(false);
    if !fresh {
        return;
    }
    let (settings, pool) = (settings.clone(), pool.clone());
    let (tenant_id, export_id) = (tenant_id.to_string(), export_id.to_string());
    tokio::spawn(async move {
        let outcome = run(&settings, &pool, &tenant_id, &export_id).await;
        if let Ok(mut a) = settings.active.lock() {
            a.remove(&key);
        }
        match outcome {
            Ok(()) => {}
            // The pool closed under the job (the server is stopping): the next one resumes it.
            Err(e) if pool.is_closed() => tracing::info!(export_id, error = %e, "export paused"),
            Err(e) => {
                tracing::warn!(export_id, error = %e, "export failed");
                if let Ok(Some(job)) = store::get(&pool, &tenant_id, &export_id).await {
                    let _ = store::finish(&pool, &job, Err(&e.message)).await;
                }
            }
        }
    });
}

/// A failure writing the file; its message is kept on the job (no paths in it).
pub(super) fn io_err(e: impl std::fmt::Display) -> AppError {
    tracing::warn!(error = %e, "export file");
    AppError::new(
        ErrorCode::Internal,
        format!("Writing the export failed: {e}"),
    )
}

/// Opens (creating) the job's file and takes an exclusive lock on it, waiting for a writer
/// that is still finishing (e.g. the task of a server that is stopping).
async fn open_locked(
    settings: &ExportSettings,
    job: &ExportJob,
) -> Result<tokio::fs::File, AppError> {
    let path = settings.path(job);
    tokio::task::spawn_blocking(move || {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(io_err)?
    .map(tokio::fs::File::from_std)
    .map_err(io_err)
}

/// Runs (or resumes) a job to its end.
async fn run(
    settings: &ExportSettings,
    pool: &SqlitePool,
    tenant_id: &str,
    export_id: &str,
) -> Result<(), AppError> {
    let Some(job) = store::get(pool, tenant_id, export_id).await? else {
        return Ok(());
    };
    if job.status != "running" {
        return Ok(());
    }
    let filter =
        ExportFilter::parse(&serde_json::from_str(&job.filters).map_err(AppError::internal)?)?;
    let mut file = open_locked(settings, &job).await?;
    // Parquet can't be appended to after a crash (no footer yet): it restarts from scratch.
    let mut cp = match job.format() {
        ExportFormat::Csv => job.checkpoint(),
        ExportFormat::Parquet => Checkpoint::default(),
    };
    let on_disk = file.metadata().await.map_err(io_err)?.len();
    if on_disk < cp.bytes as u64 {
        // The file lost checkpointed bytes (deleted or cut): start it again.
        tracing::warn!(
            export_id,
            on_disk,
            checkpoint = cp.bytes,
            "export file short; restarting"
        );
        cp = Checkpoint::default();
    }
    let resumed = job.rows_written > 0 || job.bytes_written > 0;
    file.set_len(cp.bytes as u64).await.map_err(io_err)?;
    file.seek(std::io::SeekFrom::Start(cp.bytes as u64))
        .await
        .map_err(io_err)?;
    if resumed {
        store::save_checkpoint(pool, &job, &cp, true).await?;
        tracing::info!(
            export_id,
            rows = cp.rows,
            bytes = cp.bytes,
            "export resumed"
        );
    }
    let done = match job.format() {
        ExportFormat::Csv => write_csv(settings, pool, &job, &filter, file, &mut cp).await?,
        ExportFormat::Parquet => {
            write_parquet(settings, pool, &job, &filter, file, &mut cp).await?
        }
    };
    let path = settings.path(&job);
    let sha = tokio::task::spawn_blocking(move || sha256_file(&path))
        .await
        .map_err(io_err)?
        .map_err(io_err)?;
    cp.bytes = done as i64;
    store::finish(pool, &job, Ok((&cp, &sha))).await?;
    metrics::counter!("exports_finished_total", "format" => job.format.clone()).increment(1);
    tracing::info!(export_id, rows = cp.rows, bytes = cp.bytes, "export done");
    Ok(())
}

/// A job that is not finished cannot be downloaded yet.
pub fn not_ready(job: &ExportJob) -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        format!(
            "Export {} is {}; download it once it is done.",
            job.export_id, job.status
        ),
    )
}
