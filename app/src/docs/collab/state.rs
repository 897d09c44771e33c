//! Collaborative documents' server state held in `AppState`.

use crate::error::AppError;
use sqlx::SqlitePool;

/// Live rooms and their limits; built by the server from its config.
#[derive(Debug, Default)]
pub struct CollabState {}

impl CollabState {
    /// Closes a deleted document's room and drops its stored content.
    pub async fn forget(&self, _pool: &SqlitePool, _doc_id: &str) -> Result<(), AppError> {
        Ok(())
    }
}
