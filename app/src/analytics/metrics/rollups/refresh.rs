//! Recomputing the rollups of dirty hours from the raw rows.

use crate::analytics::metrics::sketch;
use crate::error::AppError;
use futures::TryStreamExt;
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Dirty hours taken per transaction: bounds how long ingest waits for the write lock.
const HOURS_PER_TX: i64 = 12;

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
/// days), a few days per transaction; returns the number of hours refreshed.
pub async fn refresh_dirty(pool: &SqlitePool, scope: &DirtyScope<'_>) -> Result<usize, AppError> {
    let (tenant, from, to) = match scope {
        DirtyScope::All => (None, "", "~"),
        DirtyScope::Range {
            tenant_id,
            from,
            to,
        } => (Some(*tenant_id), *from, *to),
    };
    let mut done = 0;
    loop {
        // IMMEDIATE: the dirty set read is the one cleared, with no ingest commit in between.
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let dirty: Vec<(String, String)> = sqlx::query_as(
            "SELECT tenant_id, hour FROM sales_rollup_dirty \
             WHERE (?1 IS NULL OR tenant_id = ?1) AND hour >= ?2 AND hour < ?3 \
             ORDER BY tenant_id, hour LIMIT ?4",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .bind(HOURS_PER_TX)
        .fetch_all(&mut *tx)
        .await?;
        if dirty.is_empty() {
            tx.commit().await?;
            return Ok(done);
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
        done += dirty.len();
        tokio::task::yield_now().await;
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
    tx: &mut Transaction<'static, Sqlite>,
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
        .fetch(&mut **tx);
        while let Some((customer, total, units)) = rows.try_next().await? {
            acc.orders += 1;
            acc.units += units;
            acc.revenue += total;
            acc.customers.push(sketch::customer_key(&customer));
            acc.totals.push(total as f64);
        }
    }
    sqlx::query("DELETE FROM sales_rollup_hours WHERE tenant_id = ? AND hour = ?")
        .bind(tenant_id)
        .bind(hour)
        .execute(&mut **tx)
        .await?;
    if acc.orders == 0 {
        return Ok(());
    }
    let (orders, units, revenue, hll, digest) = acc.blobs()?;
    sqlx::query(
        "INSERT INTO sales_rollup_hours (tenant_id, hour, orders, units, revenue_cents, \
         customers, totals_digest) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(tenant_id)
    .bind(hour)
    .bind(orders)
    .bind(units)
    .bind(revenue)
    .bind(hll)
    .bind(digest)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn refresh_product_day(
    tx: &mut Transaction<'static, Sqlite>,
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
        .fetch(&mut **tx);
        while let Some((product, customer, total, units, revenue)) = rows.try_next().await? {
            let acc = by_product.entry(product).or_insert_with(Acc::new);
            acc.orders += 1;
            acc.units += units;
            acc.revenue += revenue;
            acc.customers.push(sketch::customer_key(&customer));
            acc.totals.push(total as f64);
        }
    }
    sqlx::query("DELETE FROM sales_rollup_product_days WHERE tenant_id = ? AND day = ?")
        .bind(tenant_id)
        .bind(day)
        .execute(&mut **tx)
        .await?;
    let sorted: BTreeMap<String, Acc> = by_product.into_iter().collect();
    for (product, acc) in sorted {
        let (orders, units, revenue, hll, digest) = acc.blobs()?;
        sqlx::query(
            "INSERT INTO sales_rollup_product_days (tenant_id, day, product_id, orders, units, \
             revenue_cents, customers, totals_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(tenant_id)
        .bind(day)
        .bind(&product)
        .bind(orders)
        .bind(units)
        .bind(revenue)
        .bind(hll)
        .bind(digest)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
