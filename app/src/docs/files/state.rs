//! File storage settings held in `AppState`.

use std::path::PathBuf;

/// Where uploads go and how large they may be; built by the server from its config.
#[derive(Clone, Debug)]
pub struct FilesState {
    /// Root of the per-tenant upload folders (`<root>/<tenant_id>/`).
    pub root: PathBuf,
    /// Largest accepted file, in bytes.
    pub max_bytes: u64,
}
