//! Export settings (`ATRIUM_EXPORT_*`).

use app::analytics::query::export::ExportSettings;
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where and how exports are written.
#[derive(Args, Clone, Debug)]
pub struct ExportConfig {
    /// Exports: root folder of export files (one folder per tenant inside) [default: `exports`
    /// beside the upload folder].
    #[arg(long, env = "ATRIUM_EXPORT_DIR")]
    pub export_dir: Option<PathBuf>,

    /// Exports: rows per keyset page; the job checkpoints after each (one gzip member each).
    #[arg(long, env = "ATRIUM_EXPORT_PAGE_ROWS", default_value_t = 5000)]
    pub export_page_rows: i64,

    /// Exports: rows per Parquet row group (held in memory while it fills).
    #[arg(long, env = "ATRIUM_EXPORT_ROW_GROUP_ROWS", default_value_t = 20_000)]
    pub export_row_group_rows: usize,

    /// Exports: milliseconds to pause after each page (throttling; tests use it to interrupt).
    #[arg(long, env = "ATRIUM_EXPORT_PAGE_PAUSE_MS", default_value_t = 0)]
    pub export_page_pause_ms: u64,
}

impl ExportConfig {
    /// The settings the export jobs read.
    pub fn build_state(&self, upload_dir: &Path) -> ExportSettings {
        let beside_uploads = || upload_dir.parent().unwrap_or(Path::new("")).join("exports");
        ExportSettings {
            dir: self.export_dir.clone().unwrap_or_else(beside_uploads),
            page_rows: self.export_page_rows.max(1),
            row_group_rows: self.export_row_group_rows.max(1),
            page_pause: Duration::from_millis(self.export_page_pause_ms),
            active: Default::default(),
        }
    }
}
