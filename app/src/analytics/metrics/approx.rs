//! `precision=approx`: everything from the rollups, merging the stored sketches across the
//! range (rows are streamed; one accumulator per group).

use super::model::SalesBucket;
use super::params::{GroupBy, Params};
use super::sketch::{self, Hll};
use crate::error::AppError;
use futures::TryStreamExt;
use sqlx::SqlitePool;
use std::collections::BTreeMap;
use tdigest::TDigest;

/// Rollup rows `(k, orders, units, revenue_cents, customers_hll, totals_digest)` in the range.
fn rows_sql(key: GroupBy) -> &'static str {
    match key {
        GroupBy::Day => {
            "SELECT substr(hour, 1, 10), orders, units, revenue_cents, customers_hll, \
             totals_digest FROM sales_rollup_hours \
             WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3"
        }
        GroupBy::Hour => {
            "SELECT hour, orders, units, revenue_cents, customers_hll, totals_digest \
             FROM sales_rollup_hours WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3"
        }
        GroupBy::Product => {
            "SELECT product_id, orders, units, revenue_cents, customers_hll, totals_digest \
             FROM sales_rollup_product_days WHERE tenant_id = ?1 AND day >= ?2 AND day < ?3"
        }
        GroupBy::Category => {
            "SELECT COALESCE(p.category, 'uncategorised'), r.orders, r.units, r.revenue_cents, \
               r.customers_hll, r.totals_digest \
             FROM sales_rollup_product_days r LEFT JOIN sales_products p \
               ON p.tenant_id = r.tenant_id AND p.product_id = r.product_id \
             WHERE r.tenant_id = ?1 AND r.day >= ?2 AND r.day < ?3"
        }
    }
}

/// One group being merged.
struct Acc {
    orders: i64,
    units: i64,
    revenue: i64,
    customers: Hll,
    digests: Vec<TDigest>,
}

impl Acc {
    fn new() -> Self {
        Self {
            orders: 0,
            units: 0,
            revenue: 0,
            customers: sketch::new_hll(),
            digests: Vec::new(),
        }
    }

    fn add(
        &mut self,
        orders: i64,
        units: i64,
        revenue: i64,
        hll: &Hll,
        d: &TDigest,
    ) -> Result<(), AppError> {
        self.orders += orders;
        self.units += units;
        self.revenue += revenue;
        sketch::hll_merge(&mut self.customers, hll)?;
        self.digests.push(d.clone());
        // Fold as we go so memory stays bounded by the digest size, not the row count.
        if self.digests.len() >= 256 {
            let merged = TDigest::merge_digests(std::mem::take(&mut self.digests));
            self.digests.push(merged);
        }
        Ok(())
    }

    fn finish(mut self, key: String) -> SalesBucket {
        let digest = TDigest::merge_digests(self.digests);
        SalesBucket {
            key,
            orders: u64::try_from(self.orders).unwrap_or(0),
            units: u64::try_from(self.units).unwrap_or(0),
            revenue_cents: self.revenue,
            unique_customers: sketch::hll_count(&mut self.customers),
            p50_order_cents: sketch::digest_quantile(&digest, 0.5),
            p95_order_cents: sketch::digest_quantile(&digest, 0.95),
        }
    }
}

type Row = (String, i64, i64, i64, Vec<u8>, Vec<u8>);

/// Merges the rollup rows for `key` into per-key groups (if `group`) and into `total` (if given).
async fn merge(
    pool: &SqlitePool,
    tenant_id: &str,
    p: &Params,
    key: GroupBy,
    group: bool,
    mut total: Option<&mut Acc>,
) -> Result<BTreeMap<String, Acc>, AppError> {
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    let mut rows = sqlx::query_as::<_, Row>(rows_sql(key))
        .bind(tenant_id)
        .bind(&p.from_key)
        .bind(&p.to_key)
        .fetch(pool);
    while let Some((k, orders, units, revenue, hll, digest)) = rows.try_next().await? {
        let hll = sketch::hll_decode(&hll)?;
        let digest = sketch::digest_decode(&digest)?;
        if let Some(t) = total.as_deref_mut() {
            t.add(orders, units, revenue, &hll, &digest)?;
        }
        if group {
            groups
                .entry(k)
                .or_insert_with(Acc::new)
                .add(orders, units, revenue, &hll, &digest)?;
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
    let mut total = Acc::new();
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
    let groups = groups.into_iter().map(|(k, a)| a.finish(k)).collect();
    Ok((total.finish(String::new()), groups))
}
