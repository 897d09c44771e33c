//! Fraud review of orders: checkout holds high-risk orders for an admin, who approves one (it
//! ships as placed) or rejects it (its stock goes back). Each step is audited.

use super::fraud::service::{assess_and_record_on, FraudEngine};
use super::fraud::{Assessment, Transaction};
use super::model::{CartLine, Decision, Order, OrderStatus, ReviewEntry};
use super::orders;
use crate::error::{AppError, ErrorCode};
use sqlx::{SqliteConnection, SqlitePool};

/// Scores the order as a transaction of its total, in the delivery country, in the category
/// most of its money went to.
pub(super) async fn score_checkout(
    conn: &mut SqliteConnection,
    engine: &FraudEngine,
    req: &super::checkout::CheckoutRequest,
    order_id: &str,
    now: &str,
    total_cents: i64,
    lines: &[CartLine],
) -> Result<Assessment, AppError> {
    let tx = Transaction {
        id: order_id.to_string(),
        user_id: req.user_id.clone(),
        amount: total_cents as f64 / 100.0,
        location: req.country.clone(),
        timestamp: now.to_string(),
        merchant_category: main_category(lines),
    };
    assess_and_record_on(conn, engine, &req.tenant_id, &tx, Some(order_id)).await
}

/// The category with the largest share of the money (lower-cased), or "general".
fn main_category(lines: &[CartLine]) -> String {
    let mut by_category = std::collections::BTreeMap::<&str, i64>::new();
    for l in lines {
        *by_category.entry(l.category.as_str()).or_default() += l.line_total_cents;
    }
    by_category
        .into_iter()
        .max_by_key(|(_, cents)| *cents)
        .map_or_else(|| "general".to_string(), |(c, _)| c.to_ascii_lowercase())
}

/// Appends one step to an order's audit trail.
pub(super) async fn audit(
    conn: &mut sqlx::SqliteConnection,
    tenant: &str,
    order_id: &str,
    action: &str,
    actor: &str,
    note: &str,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO order_reviews (tenant_id, order_id, action, actor, note, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(tenant)
        .bind(order_id)
        .bind(action)
        .bind(actor)
        .bind(note)
        .bind(crate::auth::service::now_rfc3339())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Approves or rejects a held order (admins only; the caller checks). Rejecting returns the
/// stock. Deciding twice is a 409, so two reviewers cannot both act.
pub async fn decide(
    pool: &SqlitePool,
    tenant: &str,
    order_id: &str,
    actor: &str,
    decision: Decision,
    note: &str,
) -> Result<Order, AppError> {
    let note: String = note.trim().chars().take(500).collect();
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM orders WHERE tenant_id = ? AND id = ?")
            .bind(tenant)
            .bind(order_id)
            .fetch_optional(&mut *tx)
            .await?;
    let status = status.ok_or_else(|| AppError::not_found("Order"))?;
    if status != OrderStatus::Held.as_str() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!("This order is {status}, not waiting for review."),
        ));
    }
    let (new_status, action) = match decision {
        Decision::Approve => (OrderStatus::Placed, "approved"),
        Decision::Reject => (OrderStatus::Rejected, "rejected"),
    };
    if decision == Decision::Reject {
        sqlx::query(
            "UPDATE products SET stock = stock + (SELECT quantity FROM order_lines l WHERE l.order_id = ? AND l.product_id = products.id) \
             WHERE tenant_id = ? AND id IN (SELECT product_id FROM order_lines WHERE order_id = ?)",
        )
        .bind(order_id)
        .bind(tenant)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE orders SET status = ? WHERE tenant_id = ? AND id = ?")
        .bind(new_status.as_str())
        .bind(tenant)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, tenant, order_id, action, actor, &note).await?;
    tx.commit().await?;
    orders::get(pool, tenant, order_id).await
}

/// The order's audit trail, oldest first.
pub async fn trail(
    pool: &SqlitePool,
    tenant: &str,
    order_id: &str,
) -> Result<Vec<ReviewEntry>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT action, actor, note, created_at FROM order_reviews WHERE tenant_id = ? AND order_id = ? ORDER BY id",
    )
    .bind(tenant)
    .bind(order_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(action, actor, note, created_at)| ReviewEntry {
            action,
            actor,
            note,
            created_at,
        })
        .collect())
}
