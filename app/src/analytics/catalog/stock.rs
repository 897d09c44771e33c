//! Stock bulk update with conflict modes. Each product's updates run in one `BEGIN IMMEDIATE`
//! transaction (SQLite's write lock is taken before the read), so the read-check-write of one
//! product cannot interleave with another request's: concurrent merges add up, and of concurrent
//! `reject` updates with one expected version exactly one applies. Products are independent:
//! some may apply while others are rejected or fail.

use super::model::{StockBulkResult, StockResult};
use super::products::{log_stock_change, StockChange};
use crate::error::AppError;
use serde::Deserialize;
use sqlx::SqlitePool;

/// Most updates in one request.
pub const MAX_UPDATES: usize = 10_000;

/// How updates meet concurrent changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// `quantity` replaces the stock, whatever happened before.
    LastWriteWins,
    /// `delta` is added to the current stock.
    Merge,
    /// `quantity` replaces the stock only if the version is still `expected_version`.
    Reject,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::LastWriteWins => "last_write_wins",
            Mode::Merge => "merge",
            Mode::Reject => "reject",
        }
    }
}

/// One requested change.
#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    pub product_id: String,
    pub quantity: Option<i64>,
    pub delta: Option<i64>,
    pub expected_version: Option<i64>,
}

/// The request body.
#[derive(Debug, Clone, Deserialize)]
pub struct BulkRequest {
    pub mode: Mode,
    pub updates: Vec<Update>,
}

/// Why a product's updates did not apply.
enum Stop {
    Rejected(String),
    Failed(String),
}

/// The new stock after one update, or why it cannot apply.
fn apply(mode: Mode, u: &Update, stock: i64, version: i64) -> Result<i64, Stop> {
    let next = match mode {
        Mode::LastWriteWins => u
            .quantity
            .ok_or_else(|| Stop::Failed("quantity is required in last_write_wins mode".into()))?,
        Mode::Merge => {
            let delta = u
                .delta
                .ok_or_else(|| Stop::Failed("delta is required in merge mode".into()))?;
            stock
                .checked_add(delta)
                .ok_or_else(|| Stop::Failed("stock out of range".into()))?
        }
        Mode::Reject => {
            let (Some(q), Some(expected)) = (u.quantity, u.expected_version) else {
                return Err(Stop::Failed(
                    "quantity and expected_version are required in reject mode".into(),
                ));
            };
            if expected != version {
                return Err(Stop::Rejected(format!(
                    "version is {version}, not {expected}"
                )));
            }
            q
        }
    };
    if next < 0 {
        return Err(Stop::Failed(format!("stock would become {next}")));
    }
    Ok(next)
}

/// Applies the request, product by product, in order of first mention.
pub async fn bulk_update(
    pool: &SqlitePool,
    tenant_id: &str,
    req: &BulkRequest,
) -> Result<StockBulkResult, AppError> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: std::collections::HashMap<&str, Vec<&Update>> = Default::default();
    for u in &req.updates {
        let list = groups.entry(u.product_id.as_str()).or_default();
        if list.is_empty() {
            order.push(u.product_id.as_str());
        }
        list.push(u);
    }
    let started = std::time::Instant::now();
    let mut results = Vec::with_capacity(order.len());
    for product_id in order {
        let updates = groups.get(product_id).map(Vec::as_slice).unwrap_or(&[]);
        results.push(update_product(pool, tenant_id, req.mode, product_id, updates).await?);
    }
    metrics::histogram!("db_query_duration_seconds", "query" => "catalog_stock_bulk")
        .record(started.elapsed().as_secs_f64());
    Ok(StockBulkResult { results })
}

async fn update_product(
    pool: &SqlitePool,
    tenant_id: &str,
    mode: Mode,
    product_id: &str,
    updates: &[&Update],
) -> Result<StockResult, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let current: Option<(i64, i64)> = sqlx::query_as(
        "SELECT stock, stock_version FROM sales_products WHERE tenant_id = ? AND product_id = ?",
    )
    .bind(tenant_id)
    .bind(product_id)
    .fetch_optional(&mut *tx)
    .await?;
    let result = |status: &str, stock, version, reason: Option<String>| StockResult {
        product_id: product_id.to_string(),
        status: status.to_string(),
        stock,
        version,
        reason,
    };
    let Some((start_stock, start_version)) = current else {
        return Ok(result("failed", 0, 0, Some("unknown product".into())));
    };
    let (mut stock, mut version) = (start_stock, start_version);
    let mut changes = Vec::with_capacity(updates.len());
    for u in updates {
        match apply(mode, u, stock, version) {
            Ok(next) => {
                version += 1;
                changes.push(StockChange {
                    source: mode.name(),
                    delta: next - stock,
                    stock_after: next,
                    version_after: version,
                });
                stock = next;
            }
            // Dropping the transaction rolls back: none of this product's updates apply.
            Err(Stop::Rejected(why)) => {
                return Ok(result("rejected", start_stock, start_version, Some(why)))
            }
            Err(Stop::Failed(why)) => {
                return Ok(result("failed", start_stock, start_version, Some(why)))
            }
        }
    }
    sqlx::query(
        "UPDATE sales_products SET stock = ?, stock_version = ?, updated_at = ? \
         WHERE tenant_id = ? AND product_id = ?",
    )
    .bind(stock)
    .bind(version)
    .bind(crate::auth::service::now_rfc3339())
    .bind(tenant_id)
    .bind(product_id)
    .execute(&mut *tx)
    .await?;
    for change in &changes {
        log_stock_change(&mut tx, tenant_id, product_id, change).await?;
    }
    tx.commit().await?;
    Ok(result("applied", stock, version, None))
}
