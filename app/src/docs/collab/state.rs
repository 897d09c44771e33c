//! Collaborative documents' server state held in `AppState`.

use super::hub::{CollabLimits, Hub};
use super::store;
use crate::error::AppError;

/// Live rooms and their limits; built by the server from its config.
#[derive(Debug)]
pub struct CollabState {
    /// The live rooms of this process.
    pub hub: Hub,
}

impl CollabState {
    /// State over `pool` with `limits`.
    pub fn new(pool: sqlx::SqlitePool, limits: CollabLimits) -> Self {
        Self {
            hub: Hub::new(pool, limits),
        }
    }

    /// For deleting a document: closes its room (dropping every connection) and deletes its
    /// stored updates, snapshot and revisions. Call it before or after deleting the `docs` row.
    pub async fn forget(&self, pool: &sqlx::SqlitePool, doc_id: &str) -> Result<(), AppError> {
        self.hub.close(doc_id).await;
        store::forget(pool, doc_id).await?;
        Ok(())
    }
}
