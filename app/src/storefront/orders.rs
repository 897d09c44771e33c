//! Order SQL: one order with its lines, a user's orders, and the tenant's orders for admins.

use super::model::{Order, OrderLine, OrderStatus, Totals};
use crate::error::AppError;
use sqlx::SqlitePool;

const COLUMNS: &str = "o.id, o.user_id, u.username, o.status, o.currency, o.subtotal_cents, \
    o.discount_cents, o.vat_cents, o.total_cents, o.promo_code, o.country, o.risk_level, \
    o.risk_score, o.risk_reasons, o.created_at";

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    user_id: String,
    username: String,
    status: String,
    currency: String,
    subtotal_cents: i64,
    discount_cents: i64,
    vat_cents: i64,
    total_cents: i64,
    promo_code: Option<String>,
    country: String,
    risk_level: String,
    risk_score: f64,
    risk_reasons: String,
    created_at: String,
}

impl OrderRow {
    fn into_order(self, lines: Vec<OrderLine>) -> Order {
        Order {
            id: self.id,
            user_id: self.user_id,
            username: self.username,
            status: OrderStatus::parse(&self.status),
            currency: self.currency,
            totals: Totals {
                subtotal_cents: self.subtotal_cents,
                discount_cents: self.discount_cents,
                vat_cents: self.vat_cents,
                total_cents: self.total_cents,
            },
            promo_code: self.promo_code,
            country: self.country,
            risk_level: self.risk_level,
            risk_score: self.risk_score,
            risk_reasons: serde_json::from_str(&self.risk_reasons).unwrap_or_default(),
            created_at: self.created_at,
            lines,
        }
    }
}

/// One order of the tenant with its lines (no viewer check: see [`get_for`]).
pub async fn get(pool: &SqlitePool, tenant: &str, id: &str) -> Result<Order, AppError> {
    let row: OrderRow = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders o JOIN users u ON u.id = o.user_id WHERE o.tenant_id = ? AND o.id = ?"
    ))
    .bind(tenant)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::not_found("Order"))?;
    let mut lines = lines_of(pool, std::slice::from_ref(&row.id)).await?;
    let lines = lines.remove(&row.id).unwrap_or_default();
    Ok(row.into_order(lines))
}

/// One order if the viewer may see it: their own, or any of the tenant's for an admin.
/// Someone else's order is "not found", so ids leak nothing.
pub async fn get_for(
    pool: &SqlitePool,
    tenant: &str,
    id: &str,
    viewer: &str,
    admin: bool,
) -> Result<Order, AppError> {
    let order = get(pool, tenant, id).await?;
    if !admin && order.user_id != viewer {
        return Err(AppError::not_found("Order"));
    }
    Ok(order)
}

/// Which orders a listing shows.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only this user's orders (None: the whole tenant, for admins).
    pub user_id: Option<String>,
    pub status: Option<OrderStatus>,
    /// Orders created before this one (keyset pagination by created_at, id).
    pub before: Option<(String, String)>,
    pub limit: u32,
}

/// Newest first, with lines.
pub async fn list(
    pool: &SqlitePool,
    tenant: &str,
    f: &OrderFilter,
) -> Result<Vec<Order>, AppError> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM orders o JOIN users u ON u.id = o.user_id WHERE o.tenant_id = ?"
    );
    if f.user_id.is_some() {
        sql.push_str(" AND o.user_id = ?");
    }
    if f.status.is_some() {
        sql.push_str(" AND o.status = ?");
    }
    if f.before.is_some() {
        sql.push_str(" AND (o.created_at, o.id) < (?, ?)");
    }
    sql.push_str(" ORDER BY o.created_at DESC, o.id DESC LIMIT ?");
    let mut q = sqlx::query_as::<_, OrderRow>(&sql).bind(tenant);
    if let Some(u) = &f.user_id {
        q = q.bind(u);
    }
    if let Some(s) = f.status {
        q = q.bind(s.as_str());
    }
    if let Some((at, id)) = &f.before {
        q = q.bind(at).bind(id);
    }
    // One more than a page of 100, so callers can tell whether there is a next page.
    let rows = q
        .bind(i64::from(f.limit.clamp(1, 101)))
        .fetch_all(pool)
        .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut lines = lines_of(pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let own = lines.remove(&row.id).unwrap_or_default();
            row.into_order(own)
        })
        .collect())
}

/// The lines of several orders in one query, by order id.
async fn lines_of(
    pool: &SqlitePool,
    order_ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<OrderLine>>, AppError> {
    let mut by_order = std::collections::HashMap::<String, Vec<OrderLine>>::new();
    if order_ids.is_empty() {
        return Ok(by_order);
    }
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT order_id, product_id, name, category, unit_price_cents, quantity, \
         line_total_cents FROM order_lines WHERE order_id IN (",
    );
    let mut ids = q.separated(", ");
    for id in order_ids {
        ids.push_bind(id);
    }
    q.push(") ORDER BY order_id, name, product_id");
    let rows: Vec<(String, String, String, String, i64, i64, i64)> =
        q.build_query_as().fetch_all(pool).await?;
    for (order_id, product_id, name, category, unit_price_cents, quantity, line_total_cents) in rows
    {
        by_order.entry(order_id).or_default().push(OrderLine {
            product_id,
            name,
            category,
            unit_price_cents,
            quantity,
            line_total_cents,
        });
    }
    Ok(by_order)
}
