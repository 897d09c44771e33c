//! Ingest settings and shared state: the resumable-upload folder and limits, the queue.

use super::queue::IngestQueue;
use super::store::WriteGate;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the ingest handlers share; built by the server from its config.
#[derive(Debug)]
pub struct IngestState {
    /// Folder holding the bytes of resumable uploads (one file per upload).
    pub dir: PathBuf,
    /// Largest resumable upload, in bytes.
    pub upload_max_bytes: u64,
    /// How long an upload lives after its creation.
    pub upload_ttl: Duration,
    pub queue: IngestQueue,
    /// One batch transaction at a time.
    pub gate: WriteGate,
    /// Uploads with a PATCH or complete running: one writer per upload.
    busy: Arc<Mutex<HashSet<String>>>,
}

/// Holds an upload exclusively until dropped.
#[derive(Debug)]
pub struct UploadLock {
    busy: Arc<Mutex<HashSet<String>>>,
    id: String,
}

impl Drop for UploadLock {
    fn drop(&mut self) {
        if let Ok(mut busy) = self.busy.lock() {
            busy.remove(&self.id);
        }
    }
}

impl IngestState {
    /// State with the given folder, limits, queue and writer.
    pub fn new(
        dir: PathBuf,
        upload_max_bytes: u64,
        upload_ttl: Duration,
        queue: IngestQueue,
        gate: WriteGate,
    ) -> Self {
        Self {
            dir,
            upload_max_bytes,
            upload_ttl,
            queue,
            gate,
            busy: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// The upload for this request alone, or None while another request holds it.
    pub fn lock_upload(&self, id: &str) -> Option<UploadLock> {
        let mut busy = self.busy.lock().ok()?;
        busy.insert(id.to_string()).then(|| UploadLock {
            busy: self.busy.clone(),
            id: id.to_string(),
        })
    }

    /// Whether a request holds the upload now.
    pub fn upload_busy(&self, id: &str) -> bool {
        self.busy.lock().map(|b| b.contains(id)).unwrap_or(false)
    }

    /// The file of an upload (ids are server-made UUIDs, never client paths).
    pub fn upload_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.upload"))
    }
}
