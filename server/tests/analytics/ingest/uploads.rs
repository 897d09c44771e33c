//! Resumable uploads: chunks, resume after a cut connection, offsets, tenants, auth.

use super::{count, ingest, orders};
use crate::common::{error_code, TestServer};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

const UPLOADS: &str = "/api/v1/ingest/uploads";
const ORDERS: &str = "SELECT COUNT(*) FROM sales_orders WHERE tenant_id = ?";

async fn create(srv: &TestServer, token: &str, body: Value) -> String {
    let res = reqwest::Client::new()
        .post(srv.url(UPLOADS))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["upload-offset"], "0");
    let info: Value = res.json().await.expect("json");
    assert_eq!(info["offset"], 0);
    assert!(info["expires_at"].is_string());
    info["upload_id"].as_str().expect("id").to_string()
}

async fn patch(
    srv: &TestServer,
    token: &str,
    id: &str,
    at: u64,
    bytes: &[u8],
) -> reqwest::Response {
    reqwest::Client::new()
        .patch(srv.url(&format!("{UPLOADS}/{id}")))
        .bearer_auth(token)
        .header("upload-offset", at.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .expect("send")
}

async fn offset(srv: &TestServer, token: &str, id: &str) -> u64 {
    let res = reqwest::Client::new()
        .get(srv.url(&format!("{UPLOADS}/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let header: u64 = res.headers()["upload-offset"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("number");
    let info: Value = res.json().await.expect("json");
    assert_eq!(info["offset"], header);
    header
}

async fn complete(srv: &TestServer, token: &str, id: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(srv.url(&format!("{UPLOADS}/{id}/complete")))
        .bearer_auth(token)
        .send()
        .await
        .expect("send")
}

/// All stored orders and items of a tenant, in key order, as text.
async fn dump(srv: &TestServer, tenant: &str) -> Vec<String> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT o.order_id, o.created_at || o.status || o.customer_email, o.total_cents \
         FROM sales_orders o WHERE o.tenant_id = ? ORDER BY o.order_id",
    )
    .bind(tenant)
    .fetch_all(&srv.state.pool)
    .await
    .expect("orders");
    let items: Vec<(String, i64, String, i64)> = sqlx::query_as(
        "SELECT order_id, line_no, product_id, unit_price_cents FROM sales_order_items \
         WHERE tenant_id = ? ORDER BY order_id, line_no",
    )
    .bind(tenant)
    .fetch_all(&srv.state.pool)
    .await
    .expect("items");
    rows.iter()
        .map(|r| format!("{r:?}"))
        .chain(items.iter().map(|i| format!("{i:?}")))
        .collect()
}

#[tokio::test]
async fn chunks_in_order_store_the_same_rows_as_one_shot() {
    let body = orders(500, "company_a").into_bytes();
    let one_shot = TestServer::start(&[]).await;
    let expected = ingest(&one_shot, "token_admin_a", body.clone()).await;

    let srv = TestServer::start(&[]).await;
    let total = body.len() as u64;
    let id = create(
        &srv,
        "token_admin_a",
        json!({"format": "ndjson", "total_size": total}),
    )
    .await;
    // Chunk borders fall inside lines on purpose.
    let mut at = 0u64;
    for piece in body.chunks(7_777) {
        let res = patch(&srv, "token_admin_a", &id, at, piece).await;
        assert_eq!(res.status(), 204);
        at += piece.len() as u64;
        assert_eq!(res.headers()["upload-offset"], at.to_string().as_str());
    }
    assert_eq!(offset(&srv, "token_admin_a", &id).await, total);
    let res = complete(&srv, "token_admin_a", &id).await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.expect("json");
    for field in ["rows_received", "rows_inserted", "rows_failed"] {
        assert_eq!(report[field], expected[field], "{field}");
    }
    assert_eq!(
        dump(&srv, "company_a").await,
        dump(&one_shot, "company_a").await
    );
    // A second complete replays the report.
    let again = complete(&srv, "token_admin_a", &id).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.expect("json");
    assert_eq!(again, report);
}

/// Sends a PATCH with a full Content-Length but only `part` of the body, then drops the socket.
async fn cut_off_patch(srv: &TestServer, id: &str, full: &[u8], part: usize) {
    let addr = srv.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "PATCH {UPLOADS}/{id} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer token_admin_a\r\n\
         Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        full.len()
    );
    tcp.write_all(head.as_bytes()).await.expect("head");
    tcp.write_all(&full[..part]).await.expect("part");
    tcp.flush().await.expect("flush");
    drop(tcp);
}

#[tokio::test]
async fn a_cut_off_chunk_resumes_from_the_reported_offset_and_rows_land_once() {
    let srv = TestServer::start(&[]).await;
    let body = orders(400, "company_a").into_bytes();
    let id = create(&srv, "token_admin_a", json!({})).await;
    let part = body.len() / 2 + 13; // mid-line
    cut_off_patch(&srv, &id, &body, part).await;
    // The bytes sent before the cut reach the disk (the server reads them after the client left).
    let mut attempts = 0;
    while offset(&srv, "token_admin_a", &id).await == 0 {
        attempts += 1;
        assert!(attempts < 2_000, "no byte of the cut-off chunk was kept");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // The server notices the cut asynchronously: until then the upload is busy (409), after it
    // the offset is what reached the disk. Resume from whatever offset is reported.
    let mut attempts = 0;
    let resumed_at = loop {
        attempts += 1;
        assert!(attempts < 2_000, "the upload never became writable");
        let at = offset(&srv, "token_admin_a", &id).await;
        assert!(at <= part as u64);
        let res = patch(&srv, "token_admin_a", &id, at, &body[at as usize..]).await;
        match res.status().as_u16() {
            204 => break at,
            409 => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            other => panic!("unexpected status {other}"),
        }
    };
    assert!(resumed_at > 0);
    assert_eq!(offset(&srv, "token_admin_a", &id).await, body.len() as u64);
    let res = complete(&srv, "token_admin_a", &id).await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.expect("json");
    assert_eq!(report["rows_inserted"], 400);
    assert_eq!(report["rows_failed"], 0);
    assert_eq!(count(&srv, ORDERS, "company_a").await, 400);
}

#[tokio::test]
async fn a_wrong_offset_is_409_with_the_current_one() {
    let srv = TestServer::start(&[]).await;
    let id = create(&srv, "token_admin_a", json!({})).await;
    assert_eq!(
        patch(&srv, "token_admin_a", &id, 0, b"abc").await.status(),
        204
    );
    let res = patch(&srv, "token_admin_a", &id, 1, b"def").await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.headers()["upload-offset"], "3");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["details"]["offset"], 3);
    // total_size caps the upload; complete refuses an incomplete one.
    let id = create(&srv, "token_admin_a", json!({"total_size": 4})).await;
    assert_eq!(
        patch(&srv, "token_admin_a", &id, 0, b"12345")
            .await
            .status(),
        413
    );
    assert_eq!(offset(&srv, "token_admin_a", &id).await, 0);
    assert_eq!(
        patch(&srv, "token_admin_a", &id, 0, b"12").await.status(),
        204
    );
    let res = complete(&srv, "token_admin_a", &id).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.headers()["upload-offset"], "2");
}

#[tokio::test]
async fn uploads_are_per_tenant_and_need_credentials() {
    let srv = TestServer::start(&[]).await;
    let id = create(&srv, "token_admin_a", json!({})).await;
    let other = reqwest::Client::new()
        .get(srv.url(&format!("{UPLOADS}/{id}")))
        .bearer_auth("token_admin_b")
        .send()
        .await
        .expect("send");
    assert_eq!(error_code(other).await, "not_found");
    assert_eq!(
        patch(&srv, "token_admin_b", &id, 0, b"x").await.status(),
        404
    );
    assert_eq!(complete(&srv, "token_admin_b", &id).await.status(), 404);
    // A member (not only admins) may upload for their own tenant.
    assert_eq!(offset(&srv, "token_user_a", &id).await, 0);
    let c = reqwest::Client::new();
    let anon = [
        c.post(srv.url(UPLOADS)),
        c.patch(srv.url(&format!("{UPLOADS}/{id}")))
            .header("upload-offset", "0"),
        c.get(srv.url(&format!("{UPLOADS}/{id}"))),
        c.head(srv.url(&format!("{UPLOADS}/{id}"))),
        c.post(srv.url(&format!("{UPLOADS}/{id}/complete"))),
    ];
    for req in anon {
        assert_eq!(req.send().await.expect("send").status(), 401);
    }
    let head = c
        .head(srv.url(&format!("{UPLOADS}/{id}")))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("send");
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["upload-offset"], "0");
}

#[tokio::test]
async fn expired_uploads_are_gone() {
    let srv = TestServer::start(&["--ingest-upload-ttl-secs", "1"]).await;
    let id = create(&srv, "token_admin_a", json!({})).await;
    // Age the upload instead of waiting for it.
    sqlx::query("UPDATE sales_ingest_uploads SET expires_at = '2000-01-01T00:00:00.000Z'")
        .execute(&srv.state.pool)
        .await
        .expect("age");
    assert_eq!(
        patch(&srv, "token_admin_a", &id, 0, b"x").await.status(),
        404
    );
    create(&srv, "token_admin_a", json!({})).await; // sweeps
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sales_ingest_uploads WHERE upload_id = ?")
            .bind(&id)
            .fetch_one(&srv.state.pool)
            .await
            .expect("count");
    assert_eq!(left, 0);
    assert!(!srv.state.ingest.upload_path(&id).exists());
}
