//! Price events: idempotency, anomaly threshold, listings, rate limits.

use super::{a, load, product, req};
use crate::common::{error_code, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

async fn seed(srv: &TestServer) {
    load(
        srv,
        &json!([
            {"product_id": "p-1", "name": "Lamp", "category": "home", "price": "100.00"},
            {"product_id": "p-2", "name": "Mug", "category": "kitchen", "price": "10.00"},
        ]),
    )
    .await;
}

/// Posts a price event for `product` as admin_a.
pub async fn event(
    srv: &TestServer,
    product: &str,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut r = req(
        Method::POST,
        srv,
        "token_admin_a",
        &a(&format!("/products/{product}/price-event")),
    )
    .json(body);
    if let Some(k) = key {
        r = r.header("Idempotency-Key", k);
    }
    r.send().await.expect("price event")
}

async fn stored_events(srv: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sales_price_events WHERE tenant_id = 'company_a'")
        .fetch_one(&srv.state.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn retries_replay_the_first_answer_and_a_changed_body_is_a_conflict() {
    let srv = TestServer::start(&[]).await;
    seed(&srv).await;
    let body =
        json!({"event_id": "e-1", "price": "90.00", "observed_at": "2026-03-01T10:00:00+01:00"});
    let first = event(&srv, "p-1", None, &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.expect("json");
    assert_eq!(first["old_price_cents"], 10000);
    assert_eq!(first["new_price_cents"], 9000);
    assert_eq!(first["observed_at"], "2026-03-01T09:00:00.000Z");
    assert_eq!(first["anomaly"], false);
    let again = event(&srv, "p-1", None, &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.expect("json"), first);
    let changed = event(
        &srv,
        "p-1",
        None,
        &json!({"event_id": "e-1", "price": "80.00"}),
    )
    .await;
    assert_eq!(changed.status(), 409);
    assert_eq!(error_code(changed).await, "conflict");
    // With an Idempotency-Key header the key decides; reusing the event_id under a new key is 409.
    let keyed = json!({"event_id": "e-2", "price": "91.00"});
    assert_eq!(event(&srv, "p-1", Some("k-1"), &keyed).await.status(), 201);
    let replay = event(&srv, "p-1", Some("k-1"), &keyed).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(event(&srv, "p-1", Some("k-2"), &keyed).await.status(), 409);
    assert_eq!(stored_events(&srv).await, 2);
    assert_eq!(product(&srv, "p-1").await["price_cents"], 9100);
    let history: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sales_price_history WHERE product_id = 'p-1'")
            .fetch_one(&srv.state.pool)
            .await
            .expect("history");
    assert_eq!(history, 2);
    // Unknown products and bad bodies are refused and store nothing.
    assert_eq!(
        event(&srv, "nope", None, &json!({"event_id": "e-9", "price": 1}))
            .await
            .status(),
        404
    );
    assert_eq!(
        event(
            &srv,
            "p-1",
            None,
            &json!({"event_id": "e-9", "price": "1.001"})
        )
        .await
        .status(),
        422
    );
    assert_eq!(
        event(&srv, "p-1", None, &json!({"price": 1}))
            .await
            .status(),
        422
    );
    assert_eq!(stored_events(&srv).await, 2);
}

#[tokio::test]
async fn concurrent_replays_store_one_event() {
    let srv = TestServer::start(&[]).await;
    seed(&srv).await;
    let body = json!({"event_id": "e-c", "price": "50.00"});
    let tasks: Vec<_> = (0..10).map(|_| event(&srv, "p-1", None, &body)).collect();
    let results = futures_util::future::join_all(tasks).await;
    let mut replayed = 0;
    for r in results {
        assert_eq!(r.status(), 201);
        replayed += usize::from(r.headers().get("idempotent-replayed").is_some());
    }
    assert_eq!(replayed, 9);
    assert_eq!(stored_events(&srv).await, 1);
    let anomalies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales_price_anomalies")
        .fetch_one(&srv.state.pool)
        .await
        .expect("count");
    assert_eq!(anomalies, 1);
}

#[tokio::test]
async fn changes_at_the_threshold_are_anomalies_listed_newest_first() {
    let srv = TestServer::start(&[]).await;
    seed(&srv).await;
    // 100.00 → 80.01 is −19.99 %: not an anomaly; → 64.00 is −20.0 %: one.
    let r: Value = event(
        &srv,
        "p-1",
        None,
        &json!({"event_id": "e-1", "price": "80.01"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(r["anomaly"], false);
    let r: Value = event(
        &srv,
        "p-1",
        None,
        &json!({"event_id": "e-2", "price": "64.008"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(r["error"]["code"], "validation");
    let r: Value = event(
        &srv,
        "p-1",
        None,
        &json!({"event_id": "e-2", "price": "64.00"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(r["anomaly"], true, "{r}");
    assert_eq!(r["review_status"], "pending");
    assert!((r["change_pct"].as_f64().expect("pct") + 20.0).abs() < 0.05);
    // Rises count too; the other product's anomaly is in the tenant-wide list only.
    event(
        &srv,
        "p-1",
        None,
        &json!({"event_id": "e-3", "price": "128.00"}),
    )
    .await;
    event(
        &srv,
        "p-2",
        None,
        &json!({"event_id": "e-4", "price": "20.00"}),
    )
    .await;
    let status: String = sqlx::query_scalar(
        "SELECT review_status FROM sales_price_anomalies WHERE event_id = 'e-2'",
    )
    .fetch_one(&srv.state.pool)
    .await
    .expect("status");
    assert_eq!(status, "pending");
    let srv = &srv;
    let page = |path: String| async move {
        let res = req(Method::GET, srv, "token_user_a", &path)
            .send()
            .await
            .expect("list");
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.expect("json")
    };
    let p1 = page(a("/products/p-1/price-anomalies")).await;
    let ids: Vec<&str> = p1["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["event_id"].as_str())
        .collect();
    assert_eq!(ids, ["e-3", "e-2"]);
    let first = page(a("/price-anomalies?limit=2")).await;
    let ids: Vec<&str> = first["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["event_id"].as_str())
        .collect();
    assert_eq!(ids, ["e-4", "e-3"]);
    let cursor = first["next_cursor"].as_str().expect("cursor");
    let second = page(a(&format!("/price-anomalies?limit=2&cursor={cursor}"))).await;
    assert_eq!(second["items"][0]["event_id"], "e-2");
    assert_eq!(second["items"][0]["old_price_cents"], 8001);
    assert!(second["next_cursor"].is_null());
    let bad = req(
        Method::GET,
        &srv,
        "token_user_a",
        &a("/price-anomalies?cursor=x"),
    )
    .send()
    .await
    .expect("bad");
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after_per_product_and_per_tenant() {
    let srv = TestServer::start(&[
        "--price-events-per-product-per-minute",
        "2",
        "--price-events-per-tenant-per-minute",
        "3",
    ])
    .await;
    seed(&srv).await;
    for i in 0..2 {
        let r = event(
            &srv,
            "p-1",
            None,
            &json!({"event_id": format!("e-{i}"), "price": 100}),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let limited = event(&srv, "p-1", None, &json!({"event_id": "e-x", "price": 100})).await;
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("secs");
    assert!(retry >= 1);
    assert_eq!(error_code(limited).await, "rate_limited");
    // Another product still has its own allowance, until the tenant's (3) is spent.
    assert_eq!(
        event(&srv, "p-2", None, &json!({"event_id": "e-3", "price": 10}))
            .await
            .status(),
        201
    );
    let limited = event(&srv, "p-2", None, &json!({"event_id": "e-4", "price": 10})).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(stored_events(&srv).await, 3);
}
