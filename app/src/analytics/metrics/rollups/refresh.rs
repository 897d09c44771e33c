//! Recomputing the rollups of dirty hours from the raw rows.

use crate::analytics::ingest::store::WriteGate;
use crate::analytics::metrics::sketch;
use crate::error::AppError;
use futures::TryStreamExt;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// Recomputes the rollups of the dirty hours in scope (and the product-day rollups of their
/// days), a few hours per transaction on the gate's writer; returns the number of hours
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
/// product rollup is recomputed once; returns how many hours.
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
            refresh_product_day(&mut tx, t, day).await?;
        }
        tx.commit().await?;
        Ok(dirty.len())
    }
}

/// `(orders, units, revenue_cents, customers, totals_digest)` of a rollup row.
type RowValues = (i64, i64, i64, Vec<u8>, Vec<u8>);

/// Running sums and sketches of one rollup row.
struct Acc {
    orders: i64,
    units: i64,
    revenue: i64,
    customers: Vec<u64>,
    totals: Vec<f64>,
}

impl Acc {
    fn new() -> Self {
        Self {
            orders: 0,
            units: 0,
            revenue: 0,
            customers: Vec::new(),
            totals: Vec::new(),
        }
    }

    fn blobs(self) -> Result<RowValues, AppError> {
        let hll = sketch::customers_encode(self.customers)?;
        let digest = sketch::digest_encode(&sketch::digest_of(self.totals));
        Ok((self.orders, self.units, self.revenue, hll, digest))
    }
}

async fn refresh_hour(
    tx: &mut SqliteConnection,
    tenant_id: &str,
    hour: &str,
) -> Result<(), AppError> {
    let end = format!("{hour}~");
    let mut acc = Acc::new();
    {
        let mut rows = sqlx::query_as::<_, (String, i64, i64)>(
            "SELECT o.customer_id, o.total_cents, \
             (SELECT COALESCE(SUM(i.quantity), 0) FROM sales_order_items i \
              WHERE i.tenant_id = o.tenant_id AND i.order_id = o.order_id) \
             FROM sales_orders o WHERE o.tenant_id = ? AND o.created_at >= ? AND o.created_at < ?",
        )
        .bind(tenant_id)
        .bind(hour)
        .bind(&end)
        .fetch(&mut *tx);
        while let Some((customer, total, units)) = rows.try_next().await? {
            acc.orders += 1;
            acc.units += units;
            acc.revenue += total;
            acc.customers.push(sketch::customer_key(&customer));
            acc.totals.push(total as f64);
        }
    }
    let rows = if acc.orders == 0 {
        Vec::new()
    } else {
        vec![(None, acc)]
    };
    replace_rows(tx, true, tenant_id, hour, rows).await
}

async fn refresh_product_day(
    tx: &mut SqliteConnection,
    tenant_id: &str,
    day: &str,
) -> Result<(), AppError> {
    let end = format!("{day}~");
    let mut by_product: HashMap<String, Acc> = HashMap::new();
    {
        let mut rows = sqlx::query_as::<_, (String, String, i64, i64, i64)>(
            "SELECT i.product_id, o.customer_id, o.total_cents, SUM(i.quantity), \
             SUM(i.quantity * i.unit_price_cents) \
             FROM sales_orders o JOIN sales_order_items i \
               ON i.tenant_id = o.tenant_id AND i.order_id = o.order_id \
             WHERE o.tenant_id = ? AND o.created_at >= ? AND o.created_at < ? \
             GROUP BY i.product_id, o.order_id",
        )
        .bind(tenant_id)
        .bind(day)
        .bind(&end)
        .fetch(&mut *tx);
        while let Some((product, customer, total, units, revenue)) = rows.try_next().await? {
            let acc = by_product.entry(product).or_insert_with(Acc::new);
            acc.orders += 1;
            acc.units += units;
            acc.revenue += revenue;
            acc.customers.push(sketch::customer_key(&customer));
            acc.totals.push(total as f64);
        }
    }
    let sorted: BTreeMap<String, Acc> = by_product.into_iter().collect();
    let rows = sorted.into_iter().map(|(p, acc)| (Some(p), acc)).collect();
    replace_rows(tx, false, tenant_id, day, rows).await
}

/// Replaces one period's rollup rows: an hour's row in `sales_rollup_hours` (`hourly`; rows
/// without a product) or a day's product rows in `sales_rollup_product_days`.
async fn replace_rows(
    tx: &mut SqliteConnection,
    hourly: bool,
    tenant_id: &str,
    period: &str,
    rows: Vec<(Option<String>, Acc)>,
) -> Result<(), AppError> {
    let delete = if hourly {
        "DELETE FROM sales_rollup_hours WHERE tenant_id = ? AND hour = ?"
    } else {
        "DELETE FROM sales_rollup_product_days WHERE tenant_id = ? AND day = ?"
    };
    sqlx::query(delete)
        .bind(tenant_id)
        .bind(period)
        .execute(&mut *tx)
        .await?;
    for (product, acc) in rows {
        let (orders, units, revenue, hll, digest) = acc.blobs()?;
        let insert = match product {
            None => sqlx::query(
                "INSERT INTO sales_rollup_hours (tenant_id, hour, orders, units, revenue_cents, \
                 customers, totals_digest) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(tenant_id)
            .bind(period),
            Some(product) => sqlx::query(
                "INSERT INTO sales_rollup_product_days (tenant_id, day, product_id, orders, \
                 units, revenue_cents, customers, totals_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(tenant_id)
            .bind(period)
            .bind(product),
        };
        insert
            .bind(orders)
            .bind(units)
            .bind(revenue)
            .bind(hll)
            .bind(digest)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
