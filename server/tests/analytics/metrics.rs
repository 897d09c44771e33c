//! Sales metrics: exact numbers on a small known dataset, rollup invalidation, errors and auth.

mod approx;
mod category;

use crate::common::{error_code, TestServer};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A sales metrics URL for `tenant` with a query string.
fn url(srv: &TestServer, tenant: &str, query: &str) -> String {
    srv.url(&format!("/api/v1/tenants/{tenant}/metrics/sales?{query}"))
}

/// An order line of NDJSON; items are `(product, quantity, unit price in cents)`.
fn order(id: &str, customer: &str, at: &str, items: &[(&str, u32, u64)]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|(p, q, c)| {
            json!({"product_id": p, "quantity": q,
                   "unit_price": format!("{}.{:02}", c / 100, c % 100)})
        })
        .collect();
    let row = json!({"order_id": id, "tenant_id": "company_a", "customer_id": customer,
        "customer_name": "Ada", "customer_email": "ada@example.com", "status": "paid",
        "created_at": at, "currency": "EUR", "items": items});
    format!("{row}\n")
}

/// Posts NDJSON as company_a's admin and checks every row went in.
async fn ingest(srv: &TestServer, body: String) {
    let res = reqwest::Client::new()
        .post(srv.url("/api/v1/ingest/orders"))
        .bearer_auth("token_admin_a")
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.expect("json");
    assert_eq!(report["rows_failed"], 0, "{report}");
}

/// GETs the metrics as company_a's admin (200 expected).
async fn get(srv: &TestServer, query: &str) -> Value {
    let res = reqwest::Client::new()
        .get(url(srv, "company_a", query))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

/// `[key, orders, units, revenue, customers, p50, p95]` of a bucket.
fn row(b: &Value) -> Value {
    json!([
        b["key"],
        b["orders"],
        b["units"],
        b["revenue_cents"],
        b["unique_customers"],
        b["p50_order_cents"],
        b["p95_order_cents"]
    ])
}

fn rows(m: &Value) -> Vec<Value> {
    m["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(row)
        .collect()
}

async fn known_dataset(srv: &TestServer) {
    let body = [
        order(
            "o-1",
            "c-1",
            "2026-03-01T10:05:00Z",
            &[("p-1", 3, 1000), ("p-2", 1, 500)],
        ),
        order("o-2", "c-2", "2026-03-01T10:30:00Z", &[("p-1", 1, 1000)]),
        order("o-3", "c-1", "2026-03-01T12:00:00Z", &[("p-3", 2, 2000)]),
        order(
            "o-4",
            "c-3",
            "2026-03-02T09:00:00Z",
            &[("p-2", 4, 500), ("p-3", 1, 2000)],
        ),
    ]
    .concat();
    ingest(srv, body).await;
    for p in ["p-1", "p-2"] {
        sqlx::query(
            "INSERT INTO sales_products (tenant_id, product_id, name, category, price_cents, \
             updated_at) VALUES ('company_a', ?, ?, 'tools', 100, '2026-01-01T00:00:00.000Z')",
        )
        .bind(p)
        .bind(p)
        .execute(&srv.state.pool)
        .await
        .expect("product");
    }
}

#[tokio::test]
async fn exact_numbers_for_each_grouping_on_a_known_dataset() {
    let srv = TestServer::start(&[]).await;
    known_dataset(&srv).await;
    let range = "start_date=2026-03-01&end_date=2026-03-02";
    let m = get(&srv, range).await;
    assert_eq!(
        (m["group_by"].as_str(), m["precision"].as_str()),
        (Some("day"), Some("exact"))
    );
    assert!(m["error_bounds"].is_null());
    assert_eq!(m["start_date"], "2026-03-01T00:00:00Z");
    assert_eq!(m["end_date"], "2026-03-03T00:00:00Z");
    assert_eq!(row(&m["totals"]), json!(["", 4, 12, 12500, 3, 3500, 4000]));
    assert_eq!(
        rows(&m),
        [
            json!(["2026-03-01", 3, 7, 8500, 2, 3500, 4000]),
            json!(["2026-03-02", 1, 5, 4000, 1, 4000, 4000])
        ]
    );
    let m = get(&srv, &format!("{range}&group_by=hour")).await;
    assert_eq!(
        rows(&m),
        [
            json!(["2026-03-01T10", 2, 5, 4500, 2, 1000, 3500]),
            json!(["2026-03-01T12", 1, 2, 4000, 1, 4000, 4000]),
            json!(["2026-03-02T09", 1, 5, 4000, 1, 4000, 4000])
        ]
    );
    let m = get(&srv, &format!("{range}&group_by=product")).await;
    assert_eq!(
        rows(&m),
        [
            json!(["p-3", 2, 3, 6000, 2, 4000, 4000]),
            json!(["p-1", 2, 4, 4000, 2, 1000, 3500]),
            json!(["p-2", 2, 5, 2500, 2, 3500, 4000])
        ]
    );
    let m = get(&srv, &format!("{range}&group_by=category")).await;
    assert_eq!(row(&m["totals"]), json!(["", 4, 12, 12500, 3, 3500, 4000]));
    assert_eq!(
        rows(&m),
        [
            json!(["tools", 3, 9, 6500, 3, 3500, 4000]),
            json!(["uncategorised", 2, 3, 6000, 2, 4000, 4000])
        ]
    );
    // A range that ends before the second day leaves it out.
    let m = get(
        &srv,
        "start_date=2026-03-01&end_date=2026-03-01T11:00:00Z&group_by=hour",
    )
    .await;
    assert_eq!(row(&m["totals"]), json!(["", 2, 5, 4500, 2, 1000, 3500]));
}

#[tokio::test]
async fn approx_sums_match_and_sketches_are_near_exact_on_small_data() {
    let srv = TestServer::start(&[]).await;
    known_dataset(&srv).await;
    for g in ["day", "hour", "product", "category"] {
        let q = format!("start_date=2026-03-01&end_date=2026-03-02&group_by={g}");
        let exact = get(&srv, &q).await;
        let approx = get(&srv, &format!("{q}&precision=approx")).await;
        assert_eq!(approx["precision"], "approx");
        assert!(approx["error_bounds"]["unique_customers_relative"].as_f64() > Some(0.0));
        assert!(approx["method"]
            .as_str()
            .expect("method")
            .contains("HyperLogLog"));
        // Sums are exact; the sparse HLL is exact for a handful of ids; the digests keep
        // every value of such small inputs (the percentile may interpolate between them).
        let head = |r: &Value| r.as_array().expect("row")[0..5].to_vec();
        let (e, a) = (rows(&exact), rows(&approx));
        assert_eq!(e.len(), a.len());
        for (e, a) in e.iter().zip(&a) {
            assert_eq!(head(e), head(a), "{g}");
        }
        assert_eq!(head(&row(&exact["totals"])), head(&row(&approx["totals"])));
    }
}

/// Waits (bounded) until the background refresher has no dirty hours left.
async fn refresher_caught_up(srv: &TestServer) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let dirty: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales_rollup_dirty")
            .fetch_one(&srv.state.pool)
            .await
            .expect("dirty");
        if dirty == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "refresher never caught up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn hour_orders(srv: &TestServer) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT hour, orders FROM sales_rollup_hours WHERE tenant_id = 'company_a' ORDER BY hour",
    )
    .fetch_all(&srv.state.pool)
    .await
    .expect("rollups")
}

#[tokio::test]
async fn rollups_follow_ingest_and_a_reingest_that_moves_an_order() {
    let srv = TestServer::start(&[]).await;
    ingest(
        &srv,
        order("o-1", "c-1", "2026-03-01T10:05:00Z", &[("p-1", 1, 100)]),
    )
    .await;
    refresher_caught_up(&srv).await;
    assert_eq!(hour_orders(&srv).await, [("2026-03-01T10".to_string(), 1)]);
    // Re-ingest moves the order to 15:00: the old hour must be emptied, not left stale.
    ingest(
        &srv,
        order("o-1", "c-1", "2026-03-01T15:00:00Z", &[("p-2", 2, 100)]),
    )
    .await;
    refresher_caught_up(&srv).await;
    assert_eq!(hour_orders(&srv).await, [("2026-03-01T15".to_string(), 1)]);
    let days: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, product_id, units FROM sales_rollup_product_days WHERE tenant_id = 'company_a'",
    )
    .fetch_all(&srv.state.pool)
    .await
    .expect("product days");
    assert_eq!(days, [("2026-03-01".to_string(), "p-2".to_string(), 2)]);
    // The endpoint reads its own writes without waiting for the refresher.
    ingest(
        &srv,
        order("o-1", "c-1", "2026-03-01T16:00:00Z", &[("p-2", 3, 100)]),
    )
    .await;
    let m = get(
        &srv,
        "start_date=2026-03-01&end_date=2026-03-01&group_by=hour",
    )
    .await;
    assert_eq!(rows(&m), [json!(["2026-03-01T16", 1, 3, 300, 1, 300, 300])]);
}

#[tokio::test]
async fn bad_parameters_are_422_naming_the_field() {
    let srv = TestServer::start(&[]).await;
    for (q, field) in [
        ("group_by=week", "group_by"),
        ("precision=fast", "precision"),
        ("start_date=yesterday", "start_date"),
        ("end_date=2026-02-30", "end_date"),
        ("start_date=2026-03-02&end_date=2026-03-01", "start_date"),
    ] {
        let res = reqwest::Client::new()
            .get(url(&srv, "company_a", q))
            .bearer_auth("token_user_a")
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 422, "{q}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "validation", "{q}");
        assert!(body["error"]["details"].get(field).is_some(), "{q}: {body}");
    }
}

#[tokio::test]
async fn another_tenant_is_404_and_no_credentials_401() {
    let srv = TestServer::start(&[]).await;
    let res = reqwest::Client::new()
        .get(url(&srv, "company_b", ""))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
    assert_eq!(error_code(res).await, "not_found");
    let res = reqwest::Client::new()
        .get(url(&srv, "company_a", ""))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);
    // A session works as well as a token.
    let client = srv.signed_in("user_a").await;
    let res = client
        .get(url(&srv, "company_a", ""))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
}
