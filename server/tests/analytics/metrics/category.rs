//! `group_by=category`: an order counts once per category in both precisions, and a product
//! that changes category moves its sales at the next read.

use super::{get, known_dataset, refresher_caught_up, rows};
use crate::analytics::catalog::load;
use crate::common::TestServer;
use serde_json::{json, Value};

/// `[key, orders, units, revenue, customers]` of each group (percentiles left out: approx may
/// interpolate them).
fn heads(m: &Value) -> Vec<Value> {
    rows(m)
        .iter()
        .map(|r| Value::from(r.as_array().expect("row")[0..5].to_vec()))
        .collect()
}

async fn both(srv: &TestServer) -> (Vec<Value>, Vec<Value>) {
    let q = "start_date=2026-03-01&end_date=2026-03-02&group_by=category";
    let exact = get(srv, q).await;
    let approx = get(srv, &format!("{q}&precision=approx")).await;
    (heads(&exact), heads(&approx))
}

/// Runs `update` in `tx` and counts the dirty hours it can see.
async fn dirty_after(tx: &mut sqlx::SqliteConnection, update: &str) -> i64 {
    sqlx::query(update).execute(&mut *tx).await.expect("update");
    sqlx::query_scalar("SELECT COUNT(*) FROM sales_rollup_dirty")
        .fetch_one(&mut *tx)
        .await
        .expect("dirty")
}

#[tokio::test]
async fn an_order_counts_once_per_category_and_a_category_change_moves_its_sales() {
    let srv = TestServer::start(&[]).await;
    known_dataset(&srv).await;
    // o-1 holds p-1 and p-2, both tools: one order of tools, not two.
    let (exact, approx) = both(&srv).await;
    let tools = json!(["tools", 3, 9, 6500, 3]);
    assert_eq!(exact[0], tools);
    assert_eq!(approx, exact);

    // The trigger marks each day p-2 was sold on, and only for a category change (checked in
    // a transaction the refresher cannot commit into, then rolled back).
    refresher_caught_up(&srv).await;
    let mut tx = srv.state.pool.begin().await.expect("begin");
    let renamed = "UPDATE sales_products SET name = 'Big brush' WHERE product_id = 'p-2'";
    assert_eq!(dirty_after(&mut tx, renamed).await, 0);
    let moved = "UPDATE sales_products SET category = 'paint' WHERE product_id = 'p-2'";
    assert_eq!(dirty_after(&mut tx, moved).await, 2);
    tx.rollback().await.expect("rollback");

    let r = load(
        &srv,
        &json!([{"product_id": "p-2", "name": "Brush", "category": "paint", "price": "5.00"}]),
    )
    .await;
    assert_eq!(r["rows_upserted"], 1, "{r}");
    // The endpoint refreshes its range before reading: the change shows at once.
    let (exact, approx) = both(&srv).await;
    // Sorted by revenue: p-3's 6,000 uncategorised, p-1's 4,000 tools, p-2's 2,500 paint.
    let moved = [
        json!(["uncategorised", 2, 3, 6000, 2]),
        json!(["tools", 2, 4, 4000, 2]),
        json!(["paint", 2, 5, 2500, 2]),
    ];
    assert_eq!(exact, moved);
    assert_eq!(approx, moved);
}
