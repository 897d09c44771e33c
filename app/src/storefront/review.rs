//! Fraud review of orders: every placed order is scored; high risk is held for an admin, who
//! approves it (it ships as placed) or rejects it (its stock goes back). Each step is audited.

use super::fraud::service::{assess_and_record, FraudEngine};
use super::fraud::{Assessment, RiskLevel, Transaction};
use super::model::{Decision, Order, OrderStatus, ReviewEntry};
use super::orders;
use crate::error::{AppError, ErrorCode};
use sqlx::SqlitePool;

/// The category most of the order's money went to (the fraud model's merchant category).
fn main_category(order: &Order) -> String {
    let mut by_category = std::collections::BTreeMap::<&str, i64>::new();
    for l in &order.lines {
        *by_category.entry(l.category.as_str()).or_default() += l.line_total_cents;
    }
    by_category
        .into_iter()
        .max_by_key(|(_, cents)| *cents)
        .map_or_else(|| "general".to_string(), |(c, _)| c.to_ascii_lowercase())
}

/// Scores a just-placed order and stores the result on it; high risk holds it for review.
pub async fn score_order(
    pool: &SqlitePool,
    engine: &FraudEngine,
    tenant: &str,
    order: Order,
) -> Result<Order, AppError> {
    let tx = Transaction {
        id: order.id.clone(),
        user_id: order.user_id.clone(),
        amount: order.totals.total_cents as f64 / 100.0,
        location: order.country.clone(),
        timestamp: order.created_at.clone(),
        merchant_category: main_category(&order),
    };
    let assessment: Assessment =
        assess_and_record(pool, engine, tenant, &tx, Some(&order.id)).await?;
    let reasons: Vec<String> = assessment
        .reasons
        .iter()
        .map(|r| r.message.clone())
        .collect();
    let held = assessment.risk == RiskLevel::High;
    let mut db = pool.begin().await?;
    sqlx::query("UPDATE orders SET risk_level = ?, risk_score = ?, risk_reasons = ?, status = ? WHERE tenant_id = ? AND id = ?")
        .bind(assessment.risk.as_str())
        .bind(assessment.score)
        .bind(serde_json::to_string(&reasons).map_err(AppError::internal)?)
        .bind(if held { OrderStatus::Held } else { OrderStatus::Placed }.as_str())
        .bind(tenant)
        .bind(&order.id)
        .execute(&mut *db)
        .await?;
    if held {
        audit(
            &mut db,
            tenant,
            &order.id,
            "held",
            "fraud-scoring",
            &reasons.join("; "),
        )
        .await?;
    }
    db.commit().await?;
    orders::get(pool, tenant, &order.id).await
}

async fn audit(
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
