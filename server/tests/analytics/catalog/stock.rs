//! Stock bulk update: the three modes, partial failure, concurrency.

use super::{a, load, product, req};
use crate::common::TestServer;
use reqwest::Method;
use serde_json::{json, Value};

async fn seed(srv: &TestServer) {
    let rows: Vec<Value> = (1..=3)
        .map(|i| json!({"product_id": format!("p-{i}"), "name": "X", "category": "c", "price": 1, "stock": 10}))
        .collect();
    load(srv, &Value::Array(rows)).await;
}

/// PUT a bulk update as admin_a; returns the results array.
async fn bulk(srv: &TestServer, body: Value) -> Vec<Value> {
    let res = req(Method::PUT, srv, "token_admin_a", &a("/stock/bulk_update"))
        .json(&body)
        .send()
        .await
        .expect("bulk");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    body["results"].as_array().expect("results").clone()
}

fn summary(r: &Value) -> (String, i64, i64) {
    (
        r["status"].as_str().unwrap_or_default().to_string(),
        r["stock"].as_i64().unwrap_or(-1),
        r["version"].as_i64().unwrap_or(-1),
    )
}

async fn stock_events(srv: &TestServer, product: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM sales_stock_events WHERE tenant_id = 'company_a' AND product_id = ?",
    )
    .bind(product)
    .fetch_one(&srv.state.pool)
    .await
    .expect("count")
}

#[tokio::test]
async fn each_mode_applies_per_product_with_partial_failure() {
    let srv = TestServer::start(&[]).await;
    seed(&srv).await;
    // Versions start at 0 (the upsert set the initial stock).
    let r = bulk(
        &srv,
        json!({"mode": "last_write_wins", "updates": [
        {"product_id": "p-1", "quantity": 4}, {"product_id": "p-2", "quantity": 7},
        {"product_id": "p-1", "quantity": 5}, {"product_id": "nope", "quantity": 1}]}),
    )
    .await;
    assert_eq!(r.len(), 3);
    assert_eq!(summary(&r[0]), ("applied".into(), 5, 2));
    assert_eq!(summary(&r[1]), ("applied".into(), 7, 1));
    assert_eq!(r[2]["status"], "failed");
    assert_eq!(stock_events(&srv, "p-1").await, 2);
    // Merge: p-1 +3 −1; p-2 −8 would go negative, so none of p-2's updates apply.
    let r = bulk(
        &srv,
        json!({"mode": "merge", "updates": [
        {"product_id": "p-1", "delta": 3}, {"product_id": "p-2", "delta": 1},
        {"product_id": "p-1", "delta": -1}, {"product_id": "p-2", "delta": -9}]}),
    )
    .await;
    assert_eq!(summary(&r[0]), ("applied".into(), 7, 4));
    assert_eq!(summary(&r[1]), ("failed".into(), 7, 1));
    assert!(r[1]["reason"].as_str().is_some_and(|s| s.contains("-1")));
    assert_eq!(product(&srv, "p-2").await["stock"], 7);
    // Reject: a stale version is rejected with the current one; a fresh one applies.
    let r = bulk(
        &srv,
        json!({"mode": "reject", "updates": [
        {"product_id": "p-1", "quantity": 1, "expected_version": 3},
        {"product_id": "p-2", "quantity": 2, "expected_version": 1},
        {"product_id": "p-3", "quantity": 3}]}),
    )
    .await;
    assert_eq!(summary(&r[0]), ("rejected".into(), 7, 4));
    assert_eq!(summary(&r[1]), ("applied".into(), 2, 2));
    assert_eq!(r[2]["status"], "failed");
    let p = product(&srv, "p-1").await;
    assert_eq!(
        (p["stock"].as_i64(), p["version"].as_i64()),
        (Some(7), Some(4))
    );
    let res = req(Method::PUT, &srv, "token_admin_a", &a("/stock/bulk_update"))
        .json(&json!({"mode": "yolo", "updates": []}))
        .send()
        .await
        .expect("bad");
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn twenty_concurrent_merges_of_one_add_exactly_twenty() {
    let srv = TestServer::start(&[]).await;
    seed(&srv).await;
    let body = json!({"mode": "merge", "updates": [{"product_id": "p-1", "delta": 1}, {"product_id": "p-2", "delta": 2}]});
    let tasks: Vec<_> = (0..20).map(|_| bulk(&srv, body.clone())).collect();
    for r in futures_util::future::join_all(tasks).await {
        assert_eq!(r[0]["status"], "applied");
    }
    let p = product(&srv, "p-1").await;
    assert_eq!(
        (p["stock"].as_i64(), p["version"].as_i64()),
        (Some(30), Some(20))
    );
    assert_eq!(product(&srv, "p-2").await["stock"], 50);
    assert_eq!(stock_events(&srv, "p-1").await, 20);
}

#[tokio::test]
async fn of_concurrent_rejects_with_one_expected_version_exactly_one_applies() {
    let srv = TestServer::start(&[]).await;
    seed(&srv).await;
    let tasks: Vec<_> = (0..10)
        .map(|i| bulk(&srv, json!({"mode": "reject", "updates": [{"product_id": "p-1", "quantity": 100 + i, "expected_version": 0}]})))
        .collect();
    let results = futures_util::future::join_all(tasks).await;
    let applied: Vec<&Value> = results
        .iter()
        .map(|r| &r[0])
        .filter(|r| r["status"] == "applied")
        .collect();
    assert_eq!(applied.len(), 1);
    assert!(results
        .iter()
        .all(|r| r[0]["status"] == "applied" || r[0]["status"] == "rejected"));
    let p = product(&srv, "p-1").await;
    assert_eq!(p["stock"], applied[0]["stock"]);
    assert_eq!(p["version"], 1);
}
