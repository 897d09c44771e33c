//! Pre-aggregated sales rollups (the brief's "materialized view"), kept current by ingest.
//!
//! Ingest only marks hours dirty ([`record_batch`], cheap, in the batch's transaction); the
//! rollups of dirty hours are recomputed from the raw rows by the background refresher (about
//! every second) and by the metrics endpoint for its own range before it reads.

mod recompute;
mod refresh;

pub use refresh::{refresh_dirty, DirtyScope};

use crate::analytics::ingest::row::ValidOrder;
use crate::error::AppError;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use std::collections::BTreeSet;
use std::time::Duration;

/// Order ids per lookup of replaced rows, and hours per dirty-marking INSERT.
const CHUNK: usize = 500;
/// How often the background refresher looks for dirty hours.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// The hour key (`YYYY-MM-DDTHH`) of an RFC 3339 UTC timestamp.
pub fn hour_of(created_at: &str) -> &str {
    created_at.get(..13).unwrap_or(created_at)
}

/// Called by ingest inside each batch's transaction, before any of the batch's rows are written,
/// with the orders about to be written (one per order id), so rows they replace can still be read.
/// Marks dirty every hour the new rows fall in and every hour a replaced row was in.
pub async fn record_batch(
    tx: &mut SqliteConnection,
    tenant_id: &str,
    orders: &[&ValidOrder],
) -> Result<(), AppError> {
    // Write first: the batch's (deferred) transaction then holds the write lock before it
    // reads, so a refresh committing in between cannot make it fail with a stale snapshot.
    let new: BTreeSet<&str> = orders.iter().map(|o| hour_of(&o.created_at)).collect();
    mark_dirty(tx, tenant_id, new.into_iter()).await?;
    let mut old: BTreeSet<String> = BTreeSet::new();
    for chunk in orders.chunks(CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT DISTINCT substr(created_at, 1, 13) FROM sales_orders WHERE tenant_id = ",
        );
        q.push_bind(tenant_id).push(" AND order_id IN (");
        let mut ids = q.separated(", ");
        for o in chunk {
            ids.push_bind(&o.order_id);
        }
        q.push(")");
        let hours: Vec<String> = q
            .build_query_scalar()
            .persistent(true)
            .fetch_all(&mut *tx)
            .await?;
        old.extend(hours);
    }
    mark_dirty(tx, tenant_id, old.iter().map(String::as_str)).await
}

async fn mark_dirty<'a>(
    tx: &mut SqliteConnection,
    tenant_id: &str,
    hours: impl Iterator<Item = &'a str>,
) -> Result<(), AppError> {
    let hours: Vec<&str> = hours.collect();
    for chunk in hours.chunks(CHUNK) {
        let mut ins: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT OR IGNORE INTO sales_rollup_dirty (tenant_id, hour) ");
        ins.push_values(chunk, |mut b, h| {
            b.push_bind(tenant_id).push_bind(*h);
        });
        ins.build().persistent(true).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Starts the background refresher: every [`REFRESH_EVERY`] it recomputes all dirty hours, so
/// dashboards lag ingest by at most about two seconds.
pub fn spawn_refresher(pool: SqlitePool, gate: crate::analytics::ingest::store::WriteGate) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(REFRESH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = refresh_dirty(&pool, &gate, &DirtyScope::All).await {
                tracing::warn!(error = %e.message, "sales rollup refresh failed");
            }
        }
    });
}
