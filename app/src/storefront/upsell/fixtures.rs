//! Test fixtures: an in-memory database with two shops, their products and past orders.
//!
//! shop_a's laptop was bought with the mouse in 3 orders and with the bag in 2, with the
//! out-of-stock case in 3; the pen only in a rejected order. shop_b's orders pair shop_a's
//! laptop id with the pen and with its own cable many times: none of that may leak into shop_a.

use crate::storefront::model::CartLine;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::SqlitePool;

/// (id, tenant, name, category, price_cents, stock)
pub const PRODUCTS: &[(&str, &str, &str, &str, i64, i64)] = &[
    ("a_laptop", "shop_a", "Laptop Pro", "Laptops", 129_900, 5),
    ("a_laptop2", "shop_a", "Laptop Air", "Laptops", 99_900, 2),
    ("a_mouse", "shop_a", "Mouse", "Accessories", 2_500, 10),
    ("a_bag", "shop_a", "Bag", "Accessories", 4_900, 4),
    ("a_case", "shop_a", "Case", "Accessories", 1_900, 0),
    ("a_monitor", "shop_a", "Monitor", "Monitors", 19_900, 3),
    ("a_pen", "shop_a", "Pen", "Stationery", 300, 50),
    ("b_cable", "shop_b", "Cable", "Accessories", 900, 9),
];

/// (order id, tenant, status, product ids)
const ORDERS: &[(&str, &str, &str, &[&str])] = &[
    ("o1", "shop_a", "placed", &["a_laptop", "a_mouse"]),
    ("o2", "shop_a", "placed", &["a_laptop", "a_mouse", "a_case"]),
    ("o3", "shop_a", "held", &["a_laptop", "a_mouse", "a_bag"]),
    ("o4", "shop_a", "placed", &["a_laptop", "a_bag", "a_case"]),
    ("o5", "shop_a", "placed", &["a_laptop", "a_case"]),
    ("o6", "shop_a", "rejected", &["a_laptop", "a_pen"]),
    ("o7", "shop_a", "placed", &["a_monitor", "a_pen"]),
    ("b1", "shop_b", "placed", &["a_laptop", "a_pen", "b_cable"]),
    ("b2", "shop_b", "placed", &["a_laptop", "a_pen", "b_cable"]),
    ("b3", "shop_b", "placed", &["a_laptop", "a_pen", "b_cable"]),
    ("b4", "shop_b", "placed", &["a_laptop", "a_pen", "b_cable"]),
];

/// A migrated in-memory database (one connection: each would have its own memory).
pub async fn empty_pool() -> SqlitePool {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("memory db");
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .expect("migrate");
    for tenant in ["shop_a", "shop_b"] {
        sqlx::query("INSERT INTO tenants (id, name) VALUES (?, ?)")
            .bind(tenant)
            .bind(tenant)
            .execute(&pool)
            .await
            .expect("tenant");
    }
    sqlx::query("INSERT INTO users (id, username, display_name, password_hash) VALUES ('u1', 'u1', 'U1', 'x')")
        .execute(&pool)
        .await
        .expect("user");
    pool
}

/// [`empty_pool`] with [`PRODUCTS`] and the past orders.
pub async fn seeded_pool() -> SqlitePool {
    let pool = empty_pool().await;
    for (id, tenant, name, category, price, stock) in PRODUCTS {
        sqlx::query(
            "INSERT INTO products (id, tenant_id, sku, name, category, price_cents, stock, image_url, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'now', 'now')",
        )
        .bind(id)
        .bind(tenant)
        .bind(format!("sku-{id}"))
        .bind(name)
        .bind(category)
        .bind(price)
        .bind(stock)
        .bind(format!("/img/{id}.png"))
        .execute(&pool)
        .await
        .expect("product");
    }
    for (id, tenant, status, lines) in ORDERS {
        sqlx::query(
            "INSERT INTO orders (id, tenant_id, user_id, cart_id, status, currency, subtotal_cents, \
             discount_cents, vat_cents, total_cents, country, risk_level, risk_score, created_at) \
             VALUES (?, ?, 'u1', ?, ?, 'GBP', 0, 0, 0, 0, 'GB', 'low', 0, 'now')",
        )
        .bind(id)
        .bind(tenant)
        .bind(format!("cart-{id}"))
        .bind(status)
        .execute(&pool)
        .await
        .expect("order");
        for product in *lines {
            sqlx::query(
                "INSERT INTO order_lines (order_id, product_id, name, category, unit_price_cents, quantity, line_total_cents) \
                 VALUES (?, ?, ?, ?, 100, 1, 100)",
            )
            .bind(id)
            .bind(product)
            .bind(product)
            .bind(category_of(product))
            .execute(&pool)
            .await
            .expect("order line");
        }
    }
    pool
}

fn category_of(id: &str) -> &'static str {
    PRODUCTS
        .iter()
        .find(|p| p.0 == id)
        .map(|p| p.3)
        .unwrap_or("Other")
}

/// A cart with one of each of `ids` (from [`PRODUCTS`]).
pub fn cart_of(ids: &[&str]) -> Vec<CartLine> {
    ids.iter()
        .filter_map(|id| PRODUCTS.iter().find(|p| p.0 == *id))
        .map(|(id, _, name, category, price, stock)| CartLine {
            product_id: id.to_string(),
            name: name.to_string(),
            category: category.to_string(),
            image_url: String::new(),
            unit_price_cents: *price,
            quantity: 1,
            line_total_cents: *price,
            stock: *stock,
        })
        .collect()
}
