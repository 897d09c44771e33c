//! Recomputing one hour's or one day's rollup rows from the raw rows, inside the refresher's
//! transaction.

use crate::analytics::metrics::sketch;
use crate::error::AppError;
use futures::TryStreamExt;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap};

/// Category of an item whose product is not in the catalogue (the literal in exact's SQL too).
const UNCATEGORISED: &str = "uncategorised";

/// `(orders, units, revenue_cents, customers, totals_digest)` of a rollup row.
type RowValues = (i64, i64, i64, Vec<u8>, Vec<u8>);

/// Running sums and sketch input of one rollup row.
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

    /// Counts one order in this row (its customer and total go into the sketches).
    fn add_order(&mut self, customer: u64, total_cents: i64) {
        self.orders += 1;
        self.customers.push(customer);
        self.totals.push(total_cents as f64);
    }

    fn blobs(self) -> Result<RowValues, AppError> {
        let hll = sketch::customers_encode(self.customers)?;
        let digest = sketch::digest_encode(&sketch::digest_of(self.totals));
        Ok((self.orders, self.units, self.revenue, hll, digest))
    }
}

/// Which rollup table a period's rows go to.
#[derive(Clone, Copy)]
enum Table {
    Hours,
    ProductDays,
    CategoryDays,
}

/// Recomputes an hour's row of `sales_rollup_hours`.
pub async fn refresh_hour(
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
            acc.add_order(sketch::customer_key(&customer), total);
            acc.units += units;
            acc.revenue += total;
        }
    }
    let rows = if acc.orders == 0 {
        Vec::new()
    } else {
        vec![(String::new(), acc)]
    };
    replace_rows(tx, Table::Hours, tenant_id, hour, rows).await
}

/// `(order_id, product_id, category, customer_id, total_cents, units, line revenue)`, one per
/// order and product, an order's rows together.
type DayRow = (String, String, String, String, i64, i64, i64);

/// Recomputes a day's rows of `sales_rollup_product_days` and `sales_rollup_category_days` in
/// one pass over the day's items. An order counts once per product and once per category.
pub async fn refresh_day(
    tx: &mut SqliteConnection,
    tenant_id: &str,
    day: &str,
) -> Result<(), AppError> {
    let end = format!("{day}~");
    let mut by_product: HashMap<String, Acc> = HashMap::new();
    let mut by_category: HashMap<String, Acc> = HashMap::new();
    {
        let mut rows = sqlx::query_as::<_, DayRow>(
            "SELECT o.order_id, i.product_id, COALESCE(p.category, ?4), o.customer_id, \
             o.total_cents, SUM(i.quantity), SUM(i.quantity * i.unit_price_cents) \
             FROM sales_orders o JOIN sales_order_items i \
               ON i.tenant_id = o.tenant_id AND i.order_id = o.order_id \
             LEFT JOIN sales_products p \
               ON p.tenant_id = i.tenant_id AND p.product_id = i.product_id \
             WHERE o.tenant_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3 \
             GROUP BY o.order_id, i.product_id ORDER BY o.order_id, i.product_id",
        )
        .bind(tenant_id)
        .bind(day)
        .bind(&end)
        .bind(UNCATEGORISED)
        .fetch(&mut *tx);
        let mut order = String::new();
        // Categories the current order has already been counted in (an order has few items).
        let mut counted: Vec<String> = Vec::new();
        while let Some((order_id, product, category, customer, total, units, revenue)) =
            rows.try_next().await?
        {
            if order_id != order {
                order = order_id;
                counted.clear();
            }
            let customer = sketch::customer_key(&customer);
            let acc = by_product.entry(product).or_insert_with(Acc::new);
            acc.add_order(customer, total);
            acc.units += units;
            acc.revenue += revenue;
            let first_in_order = !counted.contains(&category);
            if first_in_order {
                counted.push(category.clone());
            }
            let acc = by_category.entry(category).or_insert_with(Acc::new);
            if first_in_order {
                acc.add_order(customer, total);
            }
            acc.units += units;
            acc.revenue += revenue;
        }
    }
    let sorted = |m: HashMap<String, Acc>| m.into_iter().collect::<BTreeMap<_, _>>();
    let products = sorted(by_product).into_iter().collect();
    replace_rows(tx, Table::ProductDays, tenant_id, day, products).await?;
    let categories = sorted(by_category).into_iter().collect();
    replace_rows(tx, Table::CategoryDays, tenant_id, day, categories).await
}

/// Replaces one period's rows of `table` with `rows` (keyed by product or category; the key is
/// unused for hours).
async fn replace_rows(
    tx: &mut SqliteConnection,
    table: Table,
    tenant_id: &str,
    period: &str,
    rows: Vec<(String, Acc)>,
) -> Result<(), AppError> {
    let (delete, insert) = match table {
        Table::Hours => (
            "DELETE FROM sales_rollup_hours WHERE tenant_id = ?1 AND hour = ?2",
            "INSERT INTO sales_rollup_hours (tenant_id, hour, orders, units, revenue_cents, \
             customers, totals_digest) VALUES (?1, ?2, ?4, ?5, ?6, ?7, ?8)",
        ),
        Table::ProductDays => (
            "DELETE FROM sales_rollup_product_days WHERE tenant_id = ?1 AND day = ?2",
            "INSERT INTO sales_rollup_product_days (tenant_id, day, product_id, orders, units, \
             revenue_cents, customers, totals_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        ),
        Table::CategoryDays => (
            "DELETE FROM sales_rollup_category_days WHERE tenant_id = ?1 AND day = ?2",
            "INSERT INTO sales_rollup_category_days (tenant_id, day, category, orders, units, \
             revenue_cents, customers, totals_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        ),
    };
    sqlx::query(delete)
        .bind(tenant_id)
        .bind(period)
        .execute(&mut *tx)
        .await?;
    for (key, acc) in rows {
        let (orders, units, revenue, hll, digest) = acc.blobs()?;
        sqlx::query(insert)
            .bind(tenant_id)
            .bind(period)
            .bind(key)
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
