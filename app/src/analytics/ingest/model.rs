//! The ingest report, as the API answers it.

use serde::{Deserialize, Serialize};

/// Most row errors listed in one report; `rows_failed` still counts them all.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Why one input line was not inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line number in the (decoded) body.
    pub line: u64,
    /// The offending field (`items[2].unit_price`), or `line` for the line as a whole.
    pub field: String,
    pub reason: String,
}

/// The answer to `POST /api/v1/ingest/orders/`.
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
