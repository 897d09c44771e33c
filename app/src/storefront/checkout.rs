//! Checkout: stock is reserved and the order written in one `BEGIN IMMEDIATE` transaction.
//!
//! Per product (quantities summed first, ids in sorted order) one conditional update
//! `stock = stock - n WHERE stock >= n`; if any finds too little, the transaction rolls back and
//! nothing changes. An Idempotency-Key is recorded in the same transaction, so a retry with the
//! same key and cart returns the first order, and the key with another cart is a 409.

use super::cart;
use super::fraud::service::FraudEngine;
use super::fraud::RiskLevel;
use super::model::{CartLine, Order, OrderStatus, CURRENCY};
use super::orders;
use super::pricing::{self, Promo};
use crate::error::{AppError, ErrorCode};
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};

/// Longest Idempotency-Key accepted.
pub const MAX_KEY_LEN: usize = 200;

/// Who checks out what.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub tenant_id: String,
    pub user_id: String,
    pub cart_id: String,
    pub promo: Option<Promo>,
    pub country: String,
    pub idempotency_key: Option<String>,
    pub request_id: String,
}

/// The order, and whether it was placed now or replayed for a repeated key.
#[derive(Debug, Clone)]
pub struct Placed {
    pub order: Order,
    pub replayed: bool,
}

/// Checks an Idempotency-Key header value: printable ASCII, at most 200 characters.
pub fn validate_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(AppError::invalid_field(
            "idempotency_key",
            "Idempotency-Key must be 1–200 printable ASCII characters.",
        ));
    }
    Ok(key.to_string())
}

/// What a key is bound to: the cart, its lines and the promo. Same fingerprint = same request.
pub fn fingerprint(
    cart_id: &str,
    lines: &[(String, i64)],
    promo: Option<Promo>,
    country: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(cart_id.as_bytes());
    for (id, q) in lines {
        h.update(format!("\n{id}:{q}").as_bytes());
    }
    h.update(format!("\npromo:{}", promo.map_or("", |p| p.code)).as_bytes());
    h.update(format!("\ncountry:{country}").as_bytes());
    hex::encode(h.finalize())
}

/// Places the order, or replays the key's order. The order is scored for fraud in the same
/// transaction: high risk is stored as `held`, with the hold in the audit trail, so no crash or
/// race can leave a risky order looking placed.
pub async fn place(
    pool: &SqlitePool,
    engine: &FraudEngine,
    req: &CheckoutRequest,
) -> Result<Placed, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let cart = cart::row(&mut tx, &req.tenant_id, &req.cart_id, Some(&req.user_id)).await?;
    let lines = cart::lines(&mut tx, &req.tenant_id, &cart.id).await?;
    let merged =
        pricing::merge_quantities(lines.iter().map(|l| (l.product_id.as_str(), l.quantity)));
    let print = fingerprint(&cart.id, &merged, req.promo, &req.country);

    if let Some(key) = &req.idempotency_key {
        let seen: Option<(String, String)> = sqlx::query_as(
            "SELECT fingerprint, order_id FROM checkout_keys WHERE tenant_id = ? AND key = ?",
        )
        .bind(&req.tenant_id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((seen_print, order_id)) = seen {
            tx.rollback().await?;
            if seen_print != print {
                return Err(AppError::new(
                    ErrorCode::Conflict,
                    "This Idempotency-Key was already used for a different cart or promo code.",
                ));
            }
            let order = orders::get(pool, &req.tenant_id, &order_id).await?;
            return Ok(Placed {
                order,
                replayed: true,
            });
        }
    }
    if let Some(order_id) = &cart.checked_out_order {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!("This cart was already checked out as order {order_id}."),
        ));
    }
    if lines.is_empty() {
        return Err(AppError::new(ErrorCode::Validation, "Your cart is empty."));
    }
    reserve_stock(&mut tx, &req.tenant_id, &merged, &lines).await?;

    let subtotal: i64 = lines.iter().map(|l| l.line_total_cents).sum();
    let totals = pricing::totals(subtotal, req.promo);
    let order_id = uuid::Uuid::new_v4().to_string();
    let now = crate::auth::service::now_rfc3339();
    let scored = super::review::score_checkout(
        &mut tx,
        engine,
        req,
        &order_id,
        &now,
        totals.total_cents,
        &lines,
    )
    .await?;
    let held = scored.risk == RiskLevel::High;
    let reasons: Vec<String> = scored.reasons.iter().map(|r| r.message.clone()).collect();
    let status = if held {
        OrderStatus::Held
    } else {
        OrderStatus::Placed
    };
    sqlx::query(
        "INSERT INTO orders (id, tenant_id, user_id, cart_id, status, currency, subtotal_cents, \
         discount_cents, vat_cents, total_cents, promo_code, country, risk_level, risk_score, \
         risk_reasons, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&order_id)
    .bind(&req.tenant_id)
    .bind(&req.user_id)
    .bind(&cart.id)
    .bind(status.as_str())
    .bind(CURRENCY)
    .bind(totals.subtotal_cents)
    .bind(totals.discount_cents)
    .bind(totals.vat_cents)
    .bind(totals.total_cents)
    .bind(req.promo.map(|p| p.code))
    .bind(&req.country)
    .bind(scored.risk.as_str())
    .bind(scored.score)
    .bind(serde_json::to_string(&reasons).map_err(AppError::internal)?)
    .bind(&req.request_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    if held {
        let note = reasons.join("; ");
        super::review::audit(
            &mut tx,
            &req.tenant_id,
            &order_id,
            "held",
            "fraud-scoring",
            &note,
        )
        .await?;
    }
    for l in &lines {
        sqlx::query(
            "INSERT INTO order_lines (order_id, product_id, name, category, unit_price_cents, \
             quantity, line_total_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&order_id)
        .bind(&l.product_id)
        .bind(&l.name)
        .bind(&l.category)
        .bind(l.unit_price_cents)
        .bind(l.quantity)
        .bind(l.line_total_cents)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(key) = &req.idempotency_key {
        sqlx::query(
            "INSERT INTO checkout_keys (tenant_id, key, fingerprint, order_id, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&req.tenant_id)
        .bind(key)
        .bind(&print)
        .bind(&order_id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE carts SET checked_out_order = ?, user_id = COALESCE(user_id, ?), updated_at = ? WHERE id = ?")
        .bind(&order_id)
        .bind(&req.user_id)
        .bind(&now)
        .bind(&cart.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let order = orders::get(pool, &req.tenant_id, &order_id).await?;
    Ok(Placed {
        order,
        replayed: false,
    })
}

/// One conditional update per product; the first shortfall aborts with a message naming it.
async fn reserve_stock(
    conn: &mut SqliteConnection,
    tenant: &str,
    merged: &[(String, i64)],
    lines: &[CartLine],
) -> Result<(), AppError> {
    for (product_id, wanted) in merged {
        let done = sqlx::query(
            "UPDATE products SET stock = stock - ? WHERE tenant_id = ? AND id = ? AND stock >= ?",
        )
        .bind(wanted)
        .bind(tenant)
        .bind(product_id)
        .bind(wanted)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            let line = lines.iter().find(|l| &l.product_id == product_id);
            let name = line.map_or("A product", |l| l.name.as_str());
            let left = line.map_or(0, |l| l.stock);
            let mut err = AppError::new(
                ErrorCode::Conflict,
                match left {
                    0 => format!("{name} is out of stock. Remove it to check out."),
                    n => format!("Only {n} of {name} left. Lower the quantity to check out."),
                },
            );
            err.details = Some(serde_json::json!({ "product_id": product_id, "available": left }));
            return Err(err);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_be_printable_and_bounded() {
        assert_eq!(validate_key(" abc-123 ").expect("ok"), "abc-123");
        assert!(validate_key("").is_err());
        assert!(validate_key("has space").is_err());
        assert!(validate_key(&"k".repeat(201)).is_err());
    }

    #[test]
    fn fingerprints_change_with_cart_lines_promo_and_country() {
        let lines = vec![("a".to_string(), 1)];
        let base = fingerprint("c1", &lines, None, "GB");
        assert_eq!(base, fingerprint("c1", &lines, None, "GB"));
        assert_ne!(base, fingerprint("c2", &lines, None, "GB"));
        assert_ne!(base, fingerprint("c1", &[("a".to_string(), 2)], None, "GB"));
        let promo = pricing::find_promo(Some("SUMMER10")).expect("known");
        assert_ne!(base, fingerprint("c1", &lines, promo, "GB"));
        assert_ne!(base, fingerprint("c1", &lines, None, "FR"));
    }
}
