//! Cart SQL. A cart belongs to one tenant and, once someone signed in touches it, to that user;
//! anyone else gets "not found". Lines are priced at the catalogue's current price.

use super::model::{Cart, CartLine, CURRENCY, MAX_QUANTITY};
use super::pricing;
use crate::error::{AppError, ErrorCode};
use sqlx::{SqliteConnection, SqlitePool};

/// A cart row: owner and whether it became an order.
#[derive(Debug, Clone)]
pub struct CartRow {
    pub id: String,
    pub user_id: Option<String>,
    pub checked_out_order: Option<String>,
}

/// Creates an empty cart for the tenant (owned by `user_id` when signed in).
pub async fn create(
    pool: &SqlitePool,
    tenant: &str,
    user_id: Option<&str>,
) -> Result<Cart, AppError> {
    let id = uuid::Uuid::new_v4().to_string();
    let now = crate::auth::service::now_rfc3339();
    sqlx::query(
        "INSERT INTO carts (id, tenant_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(tenant)
    .bind(user_id)
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await?;
    Ok(empty(id))
}

fn empty(id: String) -> Cart {
    Cart {
        id,
        lines: Vec::new(),
        item_count: 0,
        totals: pricing::totals(0, None),
        currency: CURRENCY.to_string(),
    }
}

/// The cart row if `viewer` may use it: same tenant, and the cart is anonymous or theirs.
pub async fn row(
    conn: &mut SqliteConnection,
    tenant: &str,
    cart_id: &str,
    viewer: Option<&str>,
) -> Result<CartRow, AppError> {
    let found: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, user_id, checked_out_order FROM carts WHERE tenant_id = ? AND id = ?",
    )
    .bind(tenant)
    .bind(cart_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, user_id, checked_out_order) = found.ok_or_else(|| AppError::not_found("Cart"))?;
    if user_id.is_some() && user_id.as_deref() != viewer {
        return Err(AppError::not_found("Cart"));
    }
    Ok(CartRow {
        id,
        user_id,
        checked_out_order,
    })
}

/// The cart's lines at current prices, by name.
pub async fn lines(
    conn: &mut SqliteConnection,
    tenant: &str,
    cart_id: &str,
) -> Result<Vec<CartLine>, AppError> {
    let rows: Vec<(String, String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.name, p.category, p.image_url, p.price_cents, i.quantity, p.stock \
         FROM cart_items i JOIN products p ON p.id = i.product_id AND p.tenant_id = ? \
         WHERE i.cart_id = ? ORDER BY p.name, p.id",
    )
    .bind(tenant)
    .bind(cart_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(
            |(product_id, name, category, image_url, unit_price_cents, quantity, stock)| {
                Ok(CartLine {
                    line_total_cents: pricing::line_total(unit_price_cents, quantity)?,
                    product_id,
                    name,
                    category,
                    image_url,
                    unit_price_cents,
                    quantity,
                    stock,
                })
            },
        )
        .collect()
}

/// A cart with lines and totals (no promo), if `viewer` may see it.
pub async fn load(
    pool: &SqlitePool,
    tenant: &str,
    cart_id: &str,
    viewer: Option<&str>,
) -> Result<Cart, AppError> {
    let mut conn = pool.acquire().await?;
    let row = row(&mut conn, tenant, cart_id, viewer).await?;
    let lines = lines(&mut conn, tenant, &row.id).await?;
    Ok(summarise(row.id, lines))
}

/// Cart from its lines: item count and totals without a promo.
pub fn summarise(id: String, lines: Vec<CartLine>) -> Cart {
    let subtotal: i64 = lines.iter().map(|l| l.line_total_cents).sum();
    Cart {
        id,
        item_count: lines.iter().map(|l| l.quantity).sum(),
        totals: pricing::totals(subtotal, None),
        currency: CURRENCY.to_string(),
        lines,
    }
}

/// How a change names the quantity: the new total, or units to add to what is there.
#[derive(Debug, Clone, Copy)]
pub enum QuantityChange {
    Set(i64),
    Add(i64),
}

/// Sets or adds to a product's quantity (a total of 0 removes it). The product must be the
/// tenant's and in stock for the wanted amount; a checked-out cart cannot change.
pub async fn change(
    pool: &SqlitePool,
    tenant: &str,
    cart_id: &str,
    viewer: Option<&str>,
    product_id: &str,
    change: QuantityChange,
) -> Result<Cart, AppError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let cart = row(&mut tx, tenant, cart_id, viewer).await?;
    if cart.checked_out_order.is_some() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "This cart has already been checked out.",
        ));
    }
    let product: Option<(String, i64)> =
        sqlx::query_as("SELECT name, stock FROM products WHERE tenant_id = ? AND id = ?")
            .bind(tenant)
            .bind(product_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (name, stock) = product.ok_or_else(|| AppError::not_found("Product"))?;
    let current: i64 =
        sqlx::query_scalar("SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ?")
            .bind(cart_id)
            .bind(product_id)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0);
    let wanted = match change {
        QuantityChange::Set(q) => q,
        QuantityChange::Add(q) => current.saturating_add(q),
    };
    if !(0..=MAX_QUANTITY).contains(&wanted) {
        return Err(AppError::invalid_field(
            "quantity",
            &format!("quantity must be between 0 and {MAX_QUANTITY}."),
        ));
    }
    if wanted > stock && wanted > current {
        let msg = match stock {
            0 => format!("{name} is out of stock."),
            n => format!("Only {n} of {name} left in stock."),
        };
        return Err(AppError::invalid_field("quantity", &msg));
    }
    let now = crate::auth::service::now_rfc3339();
    if wanted == 0 {
        sqlx::query("DELETE FROM cart_items WHERE cart_id = ? AND product_id = ?")
            .bind(cart_id)
            .bind(product_id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO cart_items (cart_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity",
        )
        .bind(cart_id)
        .bind(product_id)
        .bind(wanted)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    // The first signed-in user to touch an anonymous cart owns it from then on.
    sqlx::query("UPDATE carts SET updated_at = ?, user_id = COALESCE(user_id, ?) WHERE id = ?")
        .bind(&now)
        .bind(viewer)
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;
    let lines = lines(&mut tx, tenant, cart_id).await?;
    tx.commit().await?;
    Ok(summarise(cart.id, lines))
}
