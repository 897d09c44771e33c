//! `precision=approx`: everything from the rollups, merging the stored sketches across the
//! range (rows are streamed; one small accumulator per group, see `accumulate`).

use super::accumulate::Acc;
use super::model::SalesBucket;
use super::params::{GroupBy, Params};
use crate::error::AppError;
use futures::TryStreamExt;
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;

/// Rollup rows `(k, orders, units, revenue_cents, customers, totals_digest)` in the range.
fn rows_sql(key: GroupBy) -> &'static str {
    match key {
        GroupBy::Day => {
            "SELECT substr(hour, 1, 10), orders, units, revenue_cents, customers, \
             totals_digest FROM sales_rollup_hours \
             WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3"
        }
        GroupBy::Hour => {
            "SELECT hour, orders, units, revenue_cents, customers, totals_digest \
             FROM sales_rollup_hours WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3"
        }
        GroupBy::Product => {
            "SELECT product_id, orders, units, revenue_cents, customers, totals_digest \
             FROM sales_rollup_product_days WHERE tenant_id = ?1 AND day >= ?2 AND day < ?3"
        }
        GroupBy::Category => {
            "SELECT category, orders, units, revenue_cents, customers, totals_digest \
             FROM sales_rollup_category_days WHERE tenant_id = ?1 AND day >= ?2 AND day < ?3"
        }
    }
}

/// Merges the rollup rows for `key` into per-key groups (if `group`) and into `total` (if given).
/// Rows are read in place (key, BLOBs borrowed from the row); a group's key is allocated once.
async fn merge(
    pool: &SqlitePool,
    tenant_id: &str,
    p: &Params,
    key: GroupBy,
    group: bool,
    mut total: Option<&mut Acc>,
) -> Result<HashMap<Box<str>, Acc>, AppError> {
    let mut groups: HashMap<Box<str>, Acc> = HashMap::new();
    let mut rows = sqlx::query(rows_sql(key))
        .bind(tenant_id)
        .bind(&p.from_key)
        .bind(&p.to_key)
        .fetch(pool);
    while let Some(row) = rows.try_next().await? {
        let k: &str = row.try_get(0)?;
        let (orders, units, revenue): (i64, i64, i64) =
            (row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        let (customers, digest): (&[u8], &[u8]) = (row.try_get(4)?, row.try_get(5)?);
        if let Some(t) = total.as_deref_mut() {
            t.add(orders, units, revenue, customers, digest)?;
        }
        if group {
            if let Some(acc) = groups.get_mut(k) {
                acc.add(orders, units, revenue, customers, digest)?;
            } else {
                let acc = groups.entry(k.into()).or_default();
                acc.add(orders, units, revenue, customers, digest)?;
            }
        }
    }
    Ok(groups)
}

/// Totals and groups from the rollups' sketches.
pub async fn compute(
    pool: &SqlitePool,
    tenant_id: &str,
    p: &Params,
) -> Result<(SalesBucket, Vec<SalesBucket>), AppError> {
    let mut total = Acc::default();
    let groups = match p.group_by {
        // Day and hour read the hourly rows once for groups and totals.
        GroupBy::Day | GroupBy::Hour => {
            merge(pool, tenant_id, p, p.group_by, true, Some(&mut total)).await?
        }
        // Totals need distinct orders: from the hourly rows, not the product rows.
        GroupBy::Product | GroupBy::Category => {
            merge(pool, tenant_id, p, GroupBy::Hour, false, Some(&mut total)).await?;
            merge(pool, tenant_id, p, p.group_by, true, None).await?
        }
    };
    let mut groups: Vec<SalesBucket> = groups
        .into_iter()
        .map(|(k, a)| a.finish(k.into()))
        .collect();
    groups.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    Ok((total.finish(String::new()), groups))
}
