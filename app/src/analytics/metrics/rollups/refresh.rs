//! Finding dirty hours and recomputing them (and their days) a few per transaction.

use super::recompute::{refresh_day, refresh_hour};
use crate::analytics::ingest::store::WriteGate;
use crate::error::AppError;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::collections::BTreeSet;

/// Pause of the background refresher between its transactions. Writers on other connections
/// wait for the write lock in SQLite's busy handler, which sleeps up to 100 ms between tries:
/// back-to-back transactions would starve them.
const BACKGROUND_GAP: std::time::Duration = std::time::Duration::from_millis(100);

/// Which dirty hours to refresh.
pub enum DirtyScope<'a> {
    /// Every tenant's (the background refresher).
    All,
    /// One tenant's hours in `[from, to)` (hour or day keys, compared as text).
    Range {
        tenant_id: &'a str,
        from: &'a str,
        to: &'a str,
    },
}

/// Recomputes the rollups of the dirty hours in scope (and the product-day and category-day
/// rollups of their days), a few hours per transaction on the gate's writer; returns the number of hours
/// refreshed. The background scope ([`DirtyScope::All`]) stops early while an ingest batch
/// waits, so bulk loads are not slowed by rollups they will dirty again.
pub async fn refresh_dirty(
    pool: &SqlitePool,
    gate: &WriteGate,
    scope: &DirtyScope<'_>,
) -> Result<usize, AppError> {
    let (tenant, from, to) = match scope {
        DirtyScope::All => (None, "", "~"),
        DirtyScope::Range {
            tenant_id,
            from,
            to,
        } => (Some(*tenant_id), *from, *to),
    };
    let background = matches!(scope, DirtyScope::All);
    let mut done = 0;
    loop {
        if background && gate.ingest_waiting() {
            return Ok(done);
        }
        let mut writer = gate.acquire(pool).await?;
        let refreshed = refresh_some(writer.conn()?, tenant, from, to).await;
        match refreshed {
            Ok(0) => return Ok(done),
            Ok(n) => done += n,
            Err(e) => {
                writer.discard();
                return Err(e);
            }
        }
        drop(writer);
        if background {
            tokio::time::sleep(BACKGROUND_GAP).await;
        } else {
            tokio::task::yield_now().await;
        }
    }
}

/// One transaction: the dirty hours in scope of the first dirty (tenant, day), so each day's
/// product and category rollups are recomputed once; returns how many hours.
async fn refresh_some(
    conn: &mut SqliteConnection,
    tenant: Option<&str>,
    from: &str,
    to: &str,
) -> Result<usize, AppError> {
    {
        // IMMEDIATE: the dirty set read is the one cleared, with no other commit in between.
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        let first: Option<(String, String)> = sqlx::query_as(
            "SELECT tenant_id, hour FROM sales_rollup_dirty \
             WHERE (?1 IS NULL OR tenant_id = ?1) AND hour >= ?2 AND hour < ?3 \
             ORDER BY tenant_id, hour LIMIT 1",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_optional(&mut *tx)
        .await?;
        let dirty: Vec<(String, String)> = match &first {
            None => Vec::new(),
            Some((t, hour)) => {
                let day = hour.get(..10).unwrap_or(hour);
                sqlx::query_as(
                    "SELECT tenant_id, hour FROM sales_rollup_dirty \
                     WHERE tenant_id = ?1 AND hour >= max(?2, ?3) AND hour < min(?4, ?3 || '~') \
                     ORDER BY hour",
                )
                .bind(t)
                .bind(from)
                .bind(day)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?
            }
        };
        if dirty.is_empty() {
            tx.commit().await?;
            return Ok(0);
        }
        let mut days: BTreeSet<(&str, &str)> = BTreeSet::new();
        for (t, hour) in &dirty {
            refresh_hour(&mut tx, t, hour).await?;
            days.insert((t.as_str(), hour.get(..10).unwrap_or(hour)));
            sqlx::query("DELETE FROM sales_rollup_dirty WHERE tenant_id = ? AND hour = ?")
                .bind(t)
                .bind(hour)
                .execute(&mut *tx)
                .await?;
        }
        for (t, day) in days {
            refresh_day(&mut tx, t, day).await?;
        }
        tx.commit().await?;
        Ok(dirty.len())
    }
}
