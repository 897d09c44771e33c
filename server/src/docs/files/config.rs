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
    /// The state the file handlers read.
    pub fn build_state(&self) -> FilesState {
        FilesState {
            root: self.upload_dir.clone(),
            max_bytes: self.upload_max_bytes,
        }
    }
}
