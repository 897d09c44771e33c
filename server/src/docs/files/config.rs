//! File storage settings: upload folder and size limit.

use app::docs::files::state::FilesState;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Clone, Debug)]
pub struct FilesConfig {
    /// Files: root folder of uploads (one folder per tenant inside).
    #[arg(long, env = "ATRIUM_UPLOAD_DIR", default_value = "uploads")]
    pub upload_dir: PathBuf,

    /// Files: largest accepted upload, in bytes.
    #[arg(long, env = "ATRIUM_UPLOAD_MAX_BYTES", default_value_t = 25 * 1024 * 1024)]
    pub upload_max_bytes: u64,
}

impl FilesConfig {
    /// The state the file handlers read. Also sweeps partial uploads an earlier process left
    /// when it stopped mid-upload (older than an hour, so another instance's live ones stay).
    pub fn build_state(&self) -> FilesState {
        let swept = app::docs::files::storage::remove_stale_parts(
            &self.upload_dir,
            std::time::Duration::from_secs(3600),
        );
        if swept > 0 {
            tracing::info!(swept, "removed partial uploads left by an earlier run");
        }
        FilesState {
            root: self.upload_dir.clone(),
            max_bytes: self.upload_max_bytes,
        }
    }
}
