//! Wire types of the export API (wasm-safe).

use serde::{Deserialize, Serialize};

/// The file format of an export.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Parquet,
}

impl ExportFormat {
    /// The stored name (`csv` / `parquet`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Parquet => "parquet",
        }
    }
}

/// `POST /api/v1/tenants/{tenant_id}/reports/export` body.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// gzip the CSV (one gzip member per checkpointed page). Not allowed with Parquet, which is
    /// compressed per column (Snappy).
    #[serde(default)]
    pub gzip: bool,
    /// The order search's filters, by the same names as its query parameters.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub filters: serde_json::Value,
}

/// An export job, as the status endpoint (and the 202 of the request) return it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportStatus {
    pub export_id: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub format: ExportFormat,
    pub gzip: bool,
    /// Rows in the file so far (as of the last checkpoint while running).
    pub rows_written: i64,
    /// The file's length so far (as of the last checkpoint while running).
    pub bytes_written: i64,
    /// Times the job was picked up again after the server stopped mid-export.
    pub resumes: i64,
    /// Hex SHA-256 of the finished file (also its ETag).
    pub sha256: Option<String>,
    pub error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    /// Where to download the finished file.
    pub download_url: String,
}
