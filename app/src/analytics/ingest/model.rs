//! The ingest wire types: the report, and the resumable upload resources.

use serde::{Deserialize, Serialize};

/// Most row errors listed in one report; `rows_failed` still counts them all.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Why one input line was not inserted.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line number in the (decoded) body.
    pub line: u64,
    /// The offending field (`items[2].unit_price`), or `line` for the line as a whole.
    pub field: String,
    pub reason: String,
}

/// The answer to `POST /api/v1/ingest/orders/`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Non-blank lines read.
    pub rows_received: u64,
    /// Orders written (inserted or replaced).
    pub rows_inserted: u64,
    pub rows_failed: u64,
    /// The first [`MAX_REPORTED_ERRORS`] row errors, in line order.
    pub errors: Vec<RowError>,
    pub processing_time_ms: u64,
    pub idempotency_key: Option<String>,
}

/// The layout of an ingest body.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IngestFormat {
    /// One JSON order per line.
    #[default]
    Ndjson,
    /// A header row, then one row per order item (see `csv` in the ingest service).
    Csv,
}

impl IngestFormat {
    /// The name stored and shown (`ndjson`, `csv`).
    pub fn as_str(self) -> &'static str {
        match self {
            IngestFormat::Ndjson => "ndjson",
            IngestFormat::Csv => "csv",
        }
    }
}

/// `POST /api/v1/ingest/uploads`: what the assembled file will hold.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUpload {
    #[serde(default)]
    pub format: Option<IngestFormat>,
    /// The chunks together are one gzip stream (or several members).
    #[serde(default)]
    pub gzip: Option<bool>,
    /// The full size in bytes, when known: complete then requires exactly this many.
    #[serde(default)]
    pub total_size: Option<u64>,
}

/// A resumable upload's state.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadInfo {
    pub upload_id: String,
    /// Bytes received so far: the next chunk's `Upload-Offset`.
    pub offset: u64,
    /// RFC 3339; the upload and its bytes are removed after this.
    pub expires_at: String,
    pub format: IngestFormat,
    pub gzip: bool,
    pub total_size: Option<u64>,
    /// `open`, `completing` or `done`.
    pub status: String,
}
