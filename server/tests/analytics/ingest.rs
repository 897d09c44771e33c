//! Order ingest: streaming, validation, idempotency, tenant isolation; resumable uploads and
//! the ingest queue in submodules.

mod formats;
mod queue;
mod uploads;

use crate::common::{error_code, TestServer};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;

const URL: &str = "/api/v1/ingest/orders/";

pub(crate) fn order(id: &str, tenant: &str) -> Value {
    json!({"order_id": id, "tenant_id": tenant, "customer_id": "c-1", "customer_name": "Ada",
           "customer_email": "ada@example.com", "status": "paid",
           "created_at": "2026-03-01T10:00:00Z", "currency": "EUR",
           "items": [{"product_id": "p-1", "quantity": 3, "unit_price": 10.5},
                     {"product_id": "p-2", "quantity": 1, "unit_price": "0.99"}]})
}

pub(crate) fn ndjson(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

pub(crate) fn orders(n: usize, tenant: &str) -> String {
    let rows: Vec<Value> = (0..n).map(|i| order(&format!("o-{i}"), tenant)).collect();
    ndjson(&rows)
}

fn post(srv: &TestServer, token: &str, body: Vec<u8>) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(srv.url(URL))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(body)
}

async fn report(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

/// Posts `body` as `token` and returns the 200 report.
pub(crate) async fn ingest(srv: &TestServer, token: &str, body: impl Into<Vec<u8>>) -> Value {
    report(post(srv, token, body.into()).send().await.expect("send")).await
}

pub(crate) async fn count(srv: &TestServer, sql: &str, tenant: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(tenant)
        .fetch_one(&srv.state.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn good_rows_are_stored_with_totals_computed_from_the_items() {
    let srv = TestServer::start(&[]).await;
    let mut first = order("o-1", "company_a");
    first["total_cents"] = json!(1); // ignored: totals come from the items
    let body = ndjson(&[first, order("o-2", "company_a")]);
    let r = ingest(&srv, "token_admin_a", body).await;
    assert_eq!(r["rows_received"], 2);
    assert_eq!(r["rows_inserted"], 2);
    assert_eq!(r["rows_failed"], 0);
    let total: i64 = sqlx::query_scalar(
        "SELECT total_cents FROM sales_orders WHERE tenant_id = 'company_a' AND order_id = 'o-1'",
    )
    .fetch_one(&srv.state.pool)
    .await
    .expect("total");
    assert_eq!(total, 3 * 1050 + 99);
    let items = "SELECT COUNT(*) FROM sales_order_items WHERE tenant_id = ?";
    assert_eq!(count(&srv, items, "company_a").await, 4);
    // Re-sending an order replaces it and its items (upsert), without the trailing slash too.
    let mut again = order("o-1", "company_a");
    again["items"] = json!([{"product_id": "p-9", "quantity": 1, "unit_price": 5}]);
    let res = reqwest::Client::new()
        .post(srv.url("/api/v1/ingest/orders"))
        .bearer_auth("token_admin_a")
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(ndjson(&[again]))
        .send()
        .await
        .expect("send");
    assert_eq!(report(res).await["rows_inserted"], 1);
    assert_eq!(count(&srv, items, "company_a").await, 3);
    let orders = "SELECT COUNT(*) FROM sales_orders WHERE tenant_id = ?";
    assert_eq!(count(&srv, orders, "company_a").await, 2);
}

#[tokio::test]
async fn bad_rows_are_reported_by_line_and_good_rows_still_inserted() {
    let srv = TestServer::start(&[]).await;
    let mut bad_price = order("o-3", "company_a");
    bad_price["items"][1]["unit_price"] = json!(1.234);
    let mut bad_status = order("o-4", "company_a");
    bad_status["status"] = json!("lost");
    let body = format!(
        "{}\n{{not json\n{}\n\n{}\n{}\n",
        order("o-1", "company_a"),
        bad_price,
        bad_status,
        order("o-2", "company_a"),
    );
    let r = ingest(&srv, "token_admin_a", body).await;
    assert_eq!(r["rows_received"], 5);
    assert_eq!(r["rows_inserted"], 2);
    assert_eq!(r["rows_failed"], 3);
    let errors = r["errors"].as_array().expect("errors");
    let at: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["field"].as_str().expect("field"),
            )
        })
        .collect();
    assert_eq!(at, [(2, "line"), (3, "items[1].unit_price"), (5, "status")]);
    assert!(r["processing_time_ms"].is_u64());
}

#[tokio::test]
async fn a_gzip_body_is_decoded_while_streaming() {
    let srv = TestServer::start(&[]).await;
    let plain = orders(300, "company_a");
    let mut gz = Vec::new();
    async_compression::tokio::bufread::GzipEncoder::new(plain.as_bytes())
        .read_to_end(&mut gz)
        .await
        .expect("gzip");
    let res = post(&srv, "token_admin_a", gz)
        .header("content-encoding", "gzip")
        .send()
        .await
        .expect("send");
    assert_eq!(report(res).await["rows_inserted"], 300);
    let res = post(&srv, "token_admin_a", b"garbage".to_vec())
        .header("content-encoding", "gzip")
        .send()
        .await
        .expect("send");
    assert_eq!(error_code(res).await, "bad_request");
}

#[tokio::test]
async fn a_key_replays_the_same_body_and_refuses_another() {
    let srv = TestServer::start(&[]).await;
    let body = orders(3, "company_a");
    let send = |body: String| {
        post(&srv, "token_admin_a", body.into_bytes())
            .header("idempotency-key", "batch-1")
            .send()
    };
    let first = send(body.clone()).await.expect("send");
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = report(first).await;
    assert_eq!(first["idempotency_key"], "batch-1");
    let again = send(body.clone()).await.expect("send");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(report(again).await, first);
    let other = send(orders(4, "company_a")).await.expect("send");
    assert_eq!(other.status(), 409);
    // Keys are per tenant: company_b may use the same key for its own body.
    let b = post(&srv, "token_admin_b", orders(1, "company_b").into_bytes())
        .header("idempotency-key", "batch-1")
        .send()
        .await
        .expect("send");
    assert_eq!(report(b).await["rows_inserted"], 1);
}

#[tokio::test]
async fn concurrent_requests_with_one_key_insert_once() {
    let srv = TestServer::start(&[]).await;
    let body = orders(3000, "company_a");
    let sends = (0..4).map(|_| {
        post(&srv, "token_admin_a", body.clone().into_bytes())
            .header("idempotency-key", "same")
            .send()
    });
    let results = futures_util::future::join_all(sends).await;
    let mut fresh = 0;
    for res in results {
        let res = res.expect("send");
        match res.status().as_u16() {
            200 if res.headers().get("idempotent-replayed").is_none() => fresh += 1,
            200 => {}
            409 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(fresh, 1, "exactly one request processed the body");
    let orders = "SELECT COUNT(*) FROM sales_orders WHERE tenant_id = ?";
    assert_eq!(count(&srv, orders, "company_a").await, 3000);
}

#[tokio::test]
async fn other_tenants_rows_are_refused_and_invisible() {
    let srv = TestServer::start(&[]).await;
    let body = ndjson(&[order("o-1", "company_a"), order("o-2", "company_b")]);
    let r = ingest(&srv, "token_user_a", body).await;
    assert_eq!(r["rows_inserted"], 1);
    assert_eq!(r["errors"][0]["line"], 2);
    assert_eq!(r["errors"][0]["field"], "tenant_id");
    let orders = "SELECT COUNT(*) FROM sales_orders WHERE tenant_id = ?";
    assert_eq!(count(&srv, orders, "company_b").await, 0);
    // company_b ingesting the same order id gets its own row; company_a's is untouched.
    let body = ndjson(&[order("o-1", "company_b")]);
    ingest(&srv, "token_admin_b", body).await;
    assert_eq!(count(&srv, orders, "company_a").await, 1);
    assert_eq!(count(&srv, orders, "company_b").await, 1);
}

#[tokio::test]
async fn auth_and_content_type_are_required() {
    let srv = TestServer::start(&[]).await;
    let anon = reqwest::Client::new()
        .post(srv.url(URL))
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(orders(1, "company_a"))
        .send()
        .await
        .expect("send");
    assert_eq!(anon.status(), 401);
    let json = reqwest::Client::new()
        .post(srv.url(URL))
        .bearer_auth("token_admin_a")
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(json.status(), 415);
}
