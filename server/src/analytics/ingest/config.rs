//! Ingest settings: the resumable-upload folder, size cap and lifetime; the ingest queue.

use crate::docs::files::config::FilesConfig;
use app::analytics::ingest::queue::IngestQueue;
use app::analytics::ingest::state::IngestState;
use app::analytics::ingest::store::{self, WriteGate};
use clap::Args;
use sqlx::SqlitePool;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Clone, Debug)]
pub struct IngestConfig {
    /// Ingest: folder for resumable upload bytes [default: `ingest` next to ATRIUM_UPLOAD_DIR].
    #[arg(long, env = "ATRIUM_INGEST_DIR")]
    pub ingest_dir: Option<PathBuf>,

    /// Ingest: largest resumable upload, in bytes.
    #[arg(long, env = "ATRIUM_INGEST_UPLOAD_MAX_BYTES", default_value_t = 4 * 1024 * 1024 * 1024)]
    pub ingest_upload_max_bytes: u64,

    /// Ingest: seconds a resumable upload lives after its creation.
    #[arg(long, env = "ATRIUM_INGEST_UPLOAD_TTL_SECS", default_value_t = 24 * 3600)]
    pub ingest_upload_ttl_secs: u64,

    /// Ingest: requests ingesting at once (the rest wait in the queue).
    #[arg(long, env = "ATRIUM_INGEST_MAX_RUNNING", default_value_t = 2)]
    pub ingest_max_running: usize,

    /// Ingest: requests allowed to wait for a slot; more get 429 with Retry-After.
    #[arg(long, env = "ATRIUM_INGEST_MAX_QUEUED", default_value_t = 8)]
    pub ingest_max_queued: usize,

    /// Ingest: orders written per transaction (larger: faster bulk loads, more memory).
    #[arg(long, env = "ATRIUM_INGEST_BATCH_ORDERS", default_value_t = store::DEFAULT_BATCH_ORDERS)]
    pub ingest_batch_orders: usize,

    /// Ingest: page cache of the bulk writer's SQLite connection, in MiB (the pool's connections
    /// keep SQLite's 2 MiB default).
    #[arg(long, env = "ATRIUM_INGEST_WRITER_CACHE_MB", default_value_t = 24)]
    pub ingest_writer_cache_mb: u32,
}

impl IngestConfig {
    /// The folder for upload bytes.
    pub fn dir(&self, files: &FilesConfig) -> PathBuf {
        self.ingest_dir.clone().unwrap_or_else(|| {
            let uploads = &files.upload_dir;
            match uploads.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.join("ingest"),
                _ => PathBuf::from("ingest"),
            }
        })
    }

    /// The shared ingest state; sweeps expired uploads first.
    pub async fn build_state(
        &self,
        files: &FilesConfig,
        pool: &SqlitePool,
    ) -> Result<IngestState, Box<dyn std::error::Error>> {
        let dir = self.dir(files);
        std::fs::create_dir_all(&dir)?;
        let state = IngestState::new(
            dir,
            self.ingest_upload_max_bytes,
            Duration::from_secs(self.ingest_upload_ttl_secs.max(1)),
            IngestQueue::new(self.ingest_max_running, self.ingest_max_queued),
            WriteGate::new(
                self.ingest_writer_cache_mb.saturating_mul(1024),
                self.ingest_batch_orders,
            ),
        );
        let swept = app::analytics::ingest::uploads::sweep(pool, &state)
            .await
            .map_err(|e| e.message)?;
        if swept > 0 {
            tracing::info!(swept, "removed expired ingest uploads");
        }
        Ok(state)
    }
}
