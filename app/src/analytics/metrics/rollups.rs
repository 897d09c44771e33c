//! Pre-aggregated sales rollups (the brief's "materialized view"), kept current by ingest.

use crate::analytics::ingest::row::ValidOrder;
use crate::error::AppError;
use sqlx::SqliteConnection;

/// Called by ingest inside each batch's transaction, before any of the batch's rows are written,
/// with the orders about to be written (one per order id), so rows they replace can still be read.
pub async fn record_batch(
    _tx: &mut SqliteConnection,
    _tenant_id: &str,
    _orders: &[&ValidOrder],
) -> Result<(), AppError> {
    Ok(())
}
