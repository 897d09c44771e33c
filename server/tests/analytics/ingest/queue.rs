//! Backpressure (a full ingest queue is 429 with an estimate) and the ingest metrics.

use super::{ingest, orders};
use crate::common::TestServer;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn a_full_queue_is_429_with_retry_after_and_queue_length() {
    let srv = TestServer::start(&["--ingest-max-running", "1", "--ingest-max-queued", "0"]).await;
    // Hold the only slot: a request whose body never finishes arriving.
    let body = orders(2, "company_a");
    let addr = srv.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/ingest/orders/ HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer token_admin_a\r\n\
         Content-Type: application/x-ndjson\r\nContent-Length: {}\r\n\r\n",
        body.len() + 100
    );
    tcp.write_all(head.as_bytes()).await.expect("head");
    tcp.write_all(body.as_bytes()).await.expect("body");
    tcp.flush().await.expect("flush");
    let mut polls = 0;
    while srv.state.ingest.queue.running() == 0 {
        polls += 1;
        assert!(polls < 2_000, "the first ingest never started");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let res = reqwest::Client::new()
        .post(srv.url("/api/v1/ingest/orders/"))
        .bearer_auth("token_admin_a")
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(orders(1, "company_a"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry >= 1);
    let err: Value = res.json().await.expect("json");
    assert_eq!(err["error"]["code"], "rate_limited");
    assert_eq!(err["error"]["details"]["queue_length"], 1);
    assert!(
        err["error"]["details"]["expected_delay_secs"]
            .as_f64()
            .expect("delay")
            > 0.0
    );
    // Once the held request ends, ingest works again.
    drop(tcp);
    let mut polls = 0;
    while srv.state.ingest.queue.running() != 0 {
        polls += 1;
        assert!(polls < 2_000, "the held ingest never ended");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(
        ingest(&srv, "token_admin_a", orders(1, "company_a")).await["rows_inserted"],
        1
    );
}

#[tokio::test]
async fn metrics_show_the_ingest_series() {
    let srv = TestServer::start(&[]).await;
    ingest(&srv, "token_admin_a", orders(10, "company_a")).await;
    let text = reqwest::get(srv.url("/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    for series in [
        "ingest_rows_total{result=\"inserted\"}",
        "ingest_rows_total{result=\"failed\"}",
        "ingest_requests_total{",
        "ingest_processing_seconds_bucket{",
        "ingest_queue_length",
        "ingest_rows_per_second",
        "db_query_duration_seconds_bucket{query=\"ingest_batch\"",
    ] {
        assert!(text.contains(series), "/metrics lacks {series}");
    }
}
