//! The `sales_exports` table: jobs and their checkpoints.

use super::export_model::{ExportFormat, ExportStatus};
use crate::auth::service::now_rfc3339;
use crate::error::AppError;
use sqlx::SqlitePool;

/// A stored export job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportJob {
    pub tenant_id: String,
    pub export_id: String,
    pub format: String,
    pub gzip: bool,
    pub filters: String,
    pub status: String,
    pub rows_written: i64,
    pub bytes_written: i64,
    pub last_created_at: Option<String>,
    pub last_order_id: Option<String>,
    pub resumes: i64,
    pub sha256: Option<String>,
    pub error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// Where a job stands after a page: what the file holds up to `bytes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checkpoint {
    pub rows: i64,
    pub bytes: i64,
    /// `(created_at, order_id)` of the last row written.
    pub last: Option<(String, String)>,
}

impl ExportJob {
    /// The job's format.
    pub fn format(&self) -> ExportFormat {
        if self.format == "parquet" {
            ExportFormat::Parquet
        } else {
            ExportFormat::Csv
        }
    }

    /// The checkpoint recorded last.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            rows: self.rows_written,
            bytes: self.bytes_written,
            last: self.last_created_at.clone().zip(self.last_order_id.clone()),
        }
    }

    /// The wire view.
    pub fn status(&self) -> ExportStatus {
        ExportStatus {
            export_id: self.export_id.clone(),
            status: self.status.clone(),
            format: self.format(),
            gzip: self.gzip,
            rows_written: self.rows_written,
            bytes_written: self.bytes_written,
            resumes: self.resumes,
            sha256: self.sha256.clone(),
            error: self.error.clone(),
            created_at: self.created_at.clone(),
            finished_at: self.finished_at.clone(),
            download_url: format!(
                "/api/v1/tenants/{}/reports/exports/{}/download",
                self.tenant_id, self.export_id
            ),
        }
    }
}

/// Records a new running job.
pub async fn insert(
    pool: &SqlitePool,
    tenant_id: &str,
    export_id: &str,
    format: ExportFormat,
    gzip: bool,
    filters: &str,
) -> Result<(), AppError> {
    let now = now_rfc3339();
    sqlx::query(
        "INSERT INTO sales_exports (tenant_id, export_id, format, gzip, filters, status, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'running', ?, ?)",
    )
    .bind(tenant_id)
    .bind(export_id)
    .bind(format.as_str())
    .bind(gzip)
    .bind(filters)
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await?;
    Ok(())
}

/// The job, if this tenant has it.
pub async fn get(
    pool: &SqlitePool,
    tenant_id: &str,
    export_id: &str,
) -> Result<Option<ExportJob>, AppError> {
    Ok(sqlx::query_as(
        "SELECT tenant_id, export_id, format, gzip, filters, status, rows_written, bytes_written, \
         last_created_at, last_order_id, resumes, sha256, error, created_at, finished_at \
         FROM sales_exports WHERE tenant_id = ? AND export_id = ?",
    )
    .bind(tenant_id)
    .bind(export_id)
    .fetch_optional(pool)
    .await?)
}

/// `(tenant_id, export_id)` of every job still marked running (interrupted ones, at start-up).
pub async fn running(pool: &SqlitePool) -> Result<Vec<(String, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT tenant_id, export_id FROM sales_exports WHERE status = 'running'")
            .fetch_all(pool)
            .await?,
    )
}

/// Records a checkpoint (`resumed` also counts a restart of the job).
pub async fn save_checkpoint(
    pool: &SqlitePool,
    job: &ExportJob,
    cp: &Checkpoint,
    resumed: bool,
) -> Result<(), AppError> {
    let (created_at, order_id) = cp.last.clone().unzip();
    sqlx::query(
        "UPDATE sales_exports SET rows_written = ?, bytes_written = ?, last_created_at = ?, \
         last_order_id = ?, resumes = resumes + ?, updated_at = ? \
         WHERE tenant_id = ? AND export_id = ? AND status = 'running'",
    )
    .bind(cp.rows)
    .bind(cp.bytes)
    .bind(created_at)
    .bind(order_id)
    .bind(i64::from(resumed))
    .bind(now_rfc3339())
    .bind(&job.tenant_id)
    .bind(&job.export_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks the job done (with its final size and digest) or failed (with `error`).
pub async fn finish(
    pool: &SqlitePool,
    job: &ExportJob,
    outcome: Result<(&Checkpoint, &str), &str>,
) -> Result<(), AppError> {
    let now = now_rfc3339();
    let q = match outcome {
        Ok((cp, sha)) => sqlx::query(
            "UPDATE sales_exports SET status = 'done', rows_written = ?, bytes_written = ?, \
             sha256 = ?, updated_at = ?, finished_at = ? WHERE tenant_id = ? AND export_id = ?",
        )
        .bind(cp.rows)
        .bind(cp.bytes)
        .bind(sha.to_string()),
        Err(msg) => sqlx::query(
            "UPDATE sales_exports SET status = 'failed', error = ?, updated_at = ?, \
             finished_at = ? WHERE tenant_id = ? AND export_id = ?",
        )
        .bind(msg.to_string()),
    };
    q.bind(&now)
        .bind(&now)
        .bind(&job.tenant_id)
        .bind(&job.export_id)
        .execute(pool)
        .await?;
    Ok(())
}
