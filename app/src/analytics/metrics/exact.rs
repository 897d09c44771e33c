//! `precision=exact`: sums from the rollups (they are exact), distinct customers and
//! nearest-rank percentiles from the raw rows, aggregated in SQL (SQLite's sorter spills to
//! disk; only one row per group comes back).

use super::model::SalesBucket;
use super::params::{GroupBy, Params};
use crate::error::AppError;
use sqlx::SqlitePool;
use std::collections::BTreeMap;

/// Rows `(k, order_id, customer_id, total_cents)`, one per key and order, in the range.
fn base(key: Option<GroupBy>) -> &'static str {
    match key {
        None => {
            "SELECT '' AS k, o.order_id, o.customer_id, o.total_cents FROM sales_orders o \
             WHERE o.tenant_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3"
        }
        Some(GroupBy::Day) => {
            "SELECT substr(o.created_at, 1, 10) AS k, o.order_id, o.customer_id, o.total_cents \
             FROM sales_orders o \
             WHERE o.tenant_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3"
        }
        Some(GroupBy::Hour) => {
            "SELECT substr(o.created_at, 1, 13) AS k, o.order_id, o.customer_id, o.total_cents \
             FROM sales_orders o \
             WHERE o.tenant_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3"
        }
        Some(GroupBy::Product) => {
            "SELECT DISTINCT i.product_id AS k, o.order_id, o.customer_id, o.total_cents \
             FROM sales_orders o JOIN sales_order_items i \
               ON i.tenant_id = o.tenant_id AND i.order_id = o.order_id \
             WHERE o.tenant_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3"
        }
        Some(GroupBy::Category) => {
            "SELECT DISTINCT COALESCE(p.category, 'uncategorised') AS k, o.order_id, \
               o.customer_id, o.total_cents \
             FROM sales_orders o JOIN sales_order_items i \
               ON i.tenant_id = o.tenant_id AND i.order_id = o.order_id \
             LEFT JOIN sales_products p \
               ON p.tenant_id = i.tenant_id AND p.product_id = i.product_id \
             WHERE o.tenant_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3"
        }
    }
}

/// Per key: orders, distinct customers, and the nearest-rank p50/p95 (rank ⌈q·n⌉).
pub fn stats_sql(key: Option<GroupBy>) -> String {
    format!(
        "WITH base AS ({}), \
         ranked AS (SELECT k, customer_id, total_cents, \
           ROW_NUMBER() OVER (PARTITION BY k ORDER BY total_cents) AS rn, \
           COUNT(*) OVER (PARTITION BY k) AS n FROM base) \
         SELECT k, COUNT(*), COUNT(DISTINCT customer_id), \
           MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN total_cents END), \
           MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN total_cents END) \
         FROM ranked GROUP BY k",
        base(key)
    )
}

/// Sums per key from the rollups: `(k, orders, units, revenue_cents)`.
pub fn sums_sql(key: Option<GroupBy>) -> &'static str {
    match key {
        None => {
            "SELECT '', SUM(orders), SUM(units), SUM(revenue_cents) FROM sales_rollup_hours \
             WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3 HAVING COUNT(*) > 0"
        }
        Some(GroupBy::Day) => {
            "SELECT substr(hour, 1, 10) AS k, SUM(orders), SUM(units), SUM(revenue_cents) \
             FROM sales_rollup_hours WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3 \
             GROUP BY k"
        }
        Some(GroupBy::Hour) => {
            "SELECT hour, orders, units, revenue_cents FROM sales_rollup_hours \
             WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3"
        }
        Some(GroupBy::Product) => {
            "SELECT product_id, SUM(orders), SUM(units), SUM(revenue_cents) \
             FROM sales_rollup_product_days WHERE tenant_id = ?1 AND day >= ?2 AND day < ?3 \
             GROUP BY product_id"
        }
        Some(GroupBy::Category) => {
            "SELECT category, SUM(orders), SUM(units), SUM(revenue_cents) \
             FROM sales_rollup_category_days WHERE tenant_id = ?1 AND day >= ?2 AND day < ?3 \
             GROUP BY category"
        }
    }
}

/// `(k, orders, distinct customers, p50, p95)` from [`stats_sql`].
type StatsRow = (String, i64, i64, Option<i64>, Option<i64>);

fn empty(key: String) -> SalesBucket {
    SalesBucket {
        key,
        orders: 0,
        units: 0,
        revenue_cents: 0,
        unique_customers: 0,
        p50_order_cents: 0,
        p95_order_cents: 0,
    }
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Buckets for `key` (`None`: the totals, one bucket keyed "").
async fn buckets(
    pool: &SqlitePool,
    tenant_id: &str,
    p: &Params,
    key: Option<GroupBy>,
) -> Result<BTreeMap<String, SalesBucket>, AppError> {
    let mut out: BTreeMap<String, SalesBucket> = BTreeMap::new();
    let sums: Vec<(String, i64, i64, i64)> = sqlx::query_as(sums_sql(key))
        .bind(tenant_id)
        .bind(&p.from_key)
        .bind(&p.to_key)
        .fetch_all(pool)
        .await?;
    for (k, orders, units, revenue) in sums {
        let b = out.entry(k.clone()).or_insert_with(|| empty(k));
        b.orders = count(orders);
        b.units = count(units);
        b.revenue_cents = revenue;
    }
    let stats: Vec<StatsRow> = sqlx::query_as(&stats_sql(key))
        .bind(tenant_id)
        .bind(&p.from_key)
        .bind(&p.to_key)
        .fetch_all(pool)
        .await?;
    for (k, orders, customers, p50, p95) in stats {
        let b = out.entry(k.clone()).or_insert_with(|| empty(k));
        // The same distinct orders as the rollups', counted from the raw rows.
        b.orders = count(orders);
        b.unique_customers = count(customers);
        b.p50_order_cents = p50.unwrap_or(0);
        b.p95_order_cents = p95.unwrap_or(0);
    }
    Ok(out)
}

/// Totals and groups, exactly.
pub async fn compute(
    pool: &SqlitePool,
    tenant_id: &str,
    p: &Params,
) -> Result<(SalesBucket, Vec<SalesBucket>), AppError> {
    let totals = buckets(pool, tenant_id, p, None)
        .await?
        .remove("")
        .unwrap_or_else(|| empty(String::new()));
    let groups = buckets(pool, tenant_id, p, Some(p.group_by)).await?;
    Ok((totals, groups.into_values().collect()))
}
