//! Products upsert (per-row validation, one transaction) and lookup.

use super::format_cents;
use super::model::{Product, ProductRowError, UpsertReport};
use crate::analytics::ingest::money::price_from_json;
use crate::auth::service::now_rfc3339;
use crate::error::AppError;
use serde_json::Value;
use sqlx::SqlitePool;

/// Most products in one upsert request.
pub const MAX_PRODUCTS: usize = 10_000;
const MAX_REPORTED_ERRORS: usize = 100;

/// A validated upsert row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub product_id: String,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    pub currency: Option<String>,
    pub stock: Option<i64>,
}

/// A required non-empty text field of at most `max` characters.
fn text(row: &Value, field: &str, max: usize) -> Result<String, (String, String)> {
    let err = |m: &str| (field.to_string(), m.to_string());
    match row.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= max => {
            Ok(s.trim().to_string())
        }
        Some(Value::String(_)) => Err(err(&format!("must be 1–{max} characters"))),
        None | Some(Value::Null) => Err(err("is required")),
        _ => Err(err("must be a string")),
    }
}

/// An optional ISO 4217-style code (three letters, upper-cased).
pub fn currency(value: Option<&Value>) -> Result<Option<String>, &'static str> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Ok(Some(s.to_ascii_uppercase()))
        }
        _ => Err("must be a three-letter currency code"),
    }
}

/// Validates one element of the upsert array.
pub fn parse_row(row: &Value) -> Result<ProductRow, (String, String)> {
    if !row.is_object() {
        return Err(("row".into(), "must be an object".into()));
    }
    let product_id = text(row, "product_id", 200)?;
    let name = text(row, "name", 500)?;
    let category = text(row, "category", 200)?;
    let price_cents = match row.get("price") {
        None | Some(Value::Null) => return Err(("price".into(), "is required".into())),
        Some(v) => price_from_json(v).map_err(|m| ("price".to_string(), m.to_string()))?,
    };
    let currency =
        currency(row.get("currency")).map_err(|m| ("currency".to_string(), m.to_string()))?;
    let stock = match row.get("stock") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if n >= 0 => Some(n),
            _ => return Err(("stock".into(), "must be a non-negative integer".into())),
        },
    };
    Ok(ProductRow {
        product_id,
        name,
        category,
        price_cents,
        currency,
        stock,
    })
}

/// Upserts the valid rows in one transaction; invalid ones are reported by index. A row that
/// gives `stock` different from the stored one counts as a stock change (version + 1, logged).
pub async fn upsert(
    pool: &SqlitePool,
    tenant_id: &str,
    rows: &[Value],
) -> Result<UpsertReport, AppError> {
    let started = std::time::Instant::now();
    let mut report = UpsertReport {
        rows_received: rows.len() as u64,
        rows_upserted: 0,
        rows_failed: 0,
        errors: Vec::new(),
    };
    let now = now_rfc3339();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for (index, row) in rows.iter().enumerate() {
        let row = match parse_row(row) {
            Ok(r) => r,
            Err((field, reason)) => {
                report.rows_failed += 1;
                if report.errors.len() < MAX_REPORTED_ERRORS {
                    report.errors.push(ProductRowError {
                        index: index as u64,
                        field,
                        reason,
                    });
                }
                continue;
            }
        };
        let before: Option<i64> = sqlx::query_scalar(
            "SELECT stock FROM sales_products WHERE tenant_id = ? AND product_id = ?",
        )
        .bind(tenant_id)
        .bind(&row.product_id)
        .fetch_optional(&mut *tx)
        .await?;
        // The version moves only when the stock actually changes.
        let changed = matches!((row.stock, before), (Some(s), Some(b)) if s != b);
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO sales_products (tenant_id, product_id, name, category, price_cents, \
             currency, stock, stock_version, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, 'USD'), COALESCE(?7, 0), 0, ?8) \
             ON CONFLICT (tenant_id, product_id) DO UPDATE SET name = excluded.name, \
             category = excluded.category, price_cents = excluded.price_cents, \
             currency = COALESCE(?6, sales_products.currency), \
             stock_version = sales_products.stock_version + ?9, \
             stock = COALESCE(?7, sales_products.stock), updated_at = excluded.updated_at \
             RETURNING stock_version",
        )
        .bind(tenant_id)
        .bind(&row.product_id)
        .bind(&row.name)
        .bind(&row.category)
        .bind(row.price_cents)
        .bind(&row.currency)
        .bind(row.stock)
        .bind(&now)
        .bind(i64::from(changed))
        .fetch_one(&mut *tx)
        .await?;
        if let (true, Some(stock), Some(old)) = (changed, row.stock, before) {
            let change = StockChange {
                source: "upsert",
                delta: stock - old,
                stock_after: stock,
                version_after: version,
            };
            log_stock_change(&mut tx, tenant_id, &row.product_id, &change).await?;
        }
        report.rows_upserted += 1;
    }
    tx.commit().await?;
    metrics::histogram!("db_query_duration_seconds", "query" => "catalog_upsert")
        .record(started.elapsed().as_secs_f64());
    Ok(report)
}

/// An applied stock change, for the log.
#[derive(Debug, Clone, Copy)]
pub struct StockChange {
    /// `upsert`, `last_write_wins`, `merge` or `reject`.
    pub source: &'static str,
    pub delta: i64,
    pub stock_after: i64,
    pub version_after: i64,
}

/// Appends a `sales_stock_events` row for an applied change.
pub async fn log_stock_change(
    conn: &mut sqlx::SqliteConnection,
    tenant_id: &str,
    product_id: &str,
    change: &StockChange,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO sales_stock_events (tenant_id, product_id, source, delta, stock_after, \
         version_after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(tenant_id)
    .bind(product_id)
    .bind(change.source)
    .bind(change.delta)
    .bind(change.stock_after)
    .bind(change.version_after)
    .bind(now_rfc3339())
    .execute(conn)
    .await?;
    Ok(())
}

/// One product, or 404.
pub async fn get(
    pool: &SqlitePool,
    tenant_id: &str,
    product_id: &str,
) -> Result<Product, AppError> {
    let row: Option<(String, String, String, i64, String, i64, i64, String)> = sqlx::query_as(
        "SELECT product_id, name, category, price_cents, currency, stock, stock_version, \
         updated_at FROM sales_products WHERE tenant_id = ? AND product_id = ?",
    )
    .bind(tenant_id)
    .bind(product_id)
    .fetch_optional(pool)
    .await?;
    let (product_id, name, category, price_cents, currency, stock, version, updated_at) =
        row.ok_or_else(|| AppError::not_found("Product"))?;
    Ok(Product {
        product_id,
        name,
        category,
        price: format_cents(price_cents),
        price_cents,
        currency,
        stock,
        version,
        updated_at,
    })
}
