//! CSV, multipart/form-data and gzip'd octet-stream bodies.

use super::count;
use crate::common::TestServer;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;
use tokio::io::AsyncReadExt;

const URL: &str = "/api/v1/ingest/orders/";
const HEADER: &str = "order_id,tenant_id,customer_id,customer_name,customer_email,status,\
                      created_at,currency,product_id,quantity,unit_price\n";

/// Two good orders (o-1 with two items, o-2 with one) and one bad (o-3: a bad price), a short
/// row, and a quoted name with a comma.
fn csv() -> String {
    let row = |id: &str, p: &str, q: &str, price: &str| {
        format!(
            "{id},company_a,c-1,\"Lovelace, Ada\",ada@example.com,paid,2026-03-01T10:00:00Z,EUR,{p},{q},{price}\n"
        )
    };
    [
        HEADER.to_string(),
        row("o-1", "p-1", "3", "10.50"),
        row("o-1", "p-2", "1", "0.99"),
        row("o-2", "p-1", "2", "5"),
        row("o-3", "p-1", "1", "1.234"),
        "o-4,company_a\n".to_string(),
    ]
    .concat()
}

async fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    async_compression::tokio::bufread::GzipEncoder::new(bytes)
        .read_to_end(&mut out)
        .await
        .expect("gzip");
    out
}

async fn send(srv: &TestServer, content_type: &str, body: Vec<u8>) -> Value {
    let res = reqwest::Client::new()
        .post(srv.url(URL))
        .bearer_auth("token_admin_a")
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

fn check_csv_report(r: &Value) {
    assert_eq!(r["rows_received"], 4);
    assert_eq!(r["rows_inserted"], 2);
    assert_eq!(r["rows_failed"], 2);
    assert_eq!(r["errors"][0]["line"], 5);
    assert_eq!(r["errors"][0]["field"], "items[0].unit_price");
    assert_eq!(r["errors"][1]["line"], 6);
}

#[tokio::test]
async fn csv_rows_of_one_order_id_form_one_order() {
    let srv = TestServer::start(&[]).await;
    let r = send(&srv, "text/csv; charset=utf-8", csv().into_bytes()).await;
    check_csv_report(&r);
    let (total, name): (i64, String) = sqlx::query_as(
        "SELECT total_cents, customer_name FROM sales_orders \
         WHERE tenant_id = 'company_a' AND order_id = 'o-1'",
    )
    .fetch_one(&srv.state.pool)
    .await
    .expect("order");
    assert_eq!((total, name.as_str()), (3 * 1050 + 99, "Lovelace, Ada"));
    let items = "SELECT COUNT(*) FROM sales_order_items WHERE tenant_id = ?";
    assert_eq!(count(&srv, items, "company_a").await, 3);
}

fn multipart(file_name: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----atrium-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_multipart_file_part_may_be_csv_ndjson_or_gzip() {
    let srv = TestServer::start(&[]).await;
    let (ct, body) = multipart(
        "orders.csv.gz",
        "application/octet-stream",
        &gzip(csv().as_bytes()).await,
    );
    check_csv_report(&send(&srv, &ct, body).await);
    let ndjson = super::orders(5, "company_a");
    let (ct, body) = multipart("orders.ndjson", "application/x-ndjson", ndjson.as_bytes());
    assert_eq!(send(&srv, &ct, body).await["rows_inserted"], 5);
    // A form without a `file` part is refused.
    let boundary = "b";
    let res = reqwest::Client::new()
        .post(srv.url(URL))
        .bearer_auth("token_admin_a")
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn octet_stream_is_gzipped_ndjson() {
    let srv = TestServer::start(&[]).await;
    let body = gzip(super::orders(7, "company_a").as_bytes()).await;
    assert_eq!(
        send(&srv, "application/octet-stream", body).await["rows_inserted"],
        7
    );
    let orders = "SELECT COUNT(*) FROM sales_orders WHERE tenant_id = ?";
    assert_eq!(count(&srv, orders, "company_a").await, 7);
}

#[tokio::test]
async fn a_csv_upload_completes_like_a_csv_body() {
    let srv = TestServer::start(&[]).await;
    let c = reqwest::Client::new();
    let info: Value = c
        .post(srv.url("/api/v1/ingest/uploads"))
        .bearer_auth("token_admin_a")
        .json(&serde_json::json!({"format": "csv", "gzip": true}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = info["upload_id"].as_str().expect("id");
    let bytes = gzip(csv().as_bytes()).await;
    let res = c
        .patch(srv.url(&format!("/api/v1/ingest/uploads/{id}")))
        .bearer_auth("token_admin_a")
        .header("upload-offset", "0")
        .body(bytes)
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), 204);
    let res = c
        .post(srv.url(&format!("/api/v1/ingest/uploads/{id}/complete")))
        .bearer_auth("token_admin_a")
        .header("idempotency-key", "csv-upload-1")
        .send()
        .await
        .expect("complete");
    assert_eq!(res.status(), 200);
    check_csv_report(&res.json().await.expect("json"));
}
