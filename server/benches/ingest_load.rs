//! Order ingest load benchmark against the release `atrium` binary on loopback: 1,000,000
//! generated orders (~3M items) for company_a, POSTed as NDJSON in chunks (50,000 rows per
//! request, 2 at a time), each chunk generated just before it is sent. Prints rows/s (orders, and
//! orders + items), the server's peak RSS (VmHWM) and CPU, and checks the stored row count.
//!
//! `cargo bench -p server --bench ingest_load`. Settings by environment: INGEST_BENCH_ORDERS
//! (1000000), INGEST_BENCH_CHUNK (50000), INGEST_BENCH_CONCURRENCY (2).
//! Targets (brief 001): ≥ 200,000 rows/s and ≤ 200 MB peak RSS.

// The bench uses only the order stream, not the tenant naming.
#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

use futures_util::StreamExt;
use orders::OrderGen;
use serde_json::Value;
use std::time::Instant;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One chunk's NDJSON body: orders `first..first + n` of company_a.
fn chunk(first: u64, n: u64) -> (Vec<u8>, u64) {
    let mut g = OrderGen::new(7, first, "company_a", 50_000).starting_at(first);
    let mut body = Vec::with_capacity(usize::try_from(n).unwrap_or(0) * 400);
    for _ in 0..n {
        g.write_ndjson(&mut body);
    }
    let items = body.windows(12).filter(|w| w == b"\"product_id\"").count() as u64;
    (body, items)
}

#[tokio::main]
async fn main() {
    let total = setting("INGEST_BENCH_ORDERS", 1_000_000);
    let size = setting("INGEST_BENCH_CHUNK", 50_000).max(1);
    let concurrency = setting("INGEST_BENCH_CONCURRENCY", 2).max(1) as usize;
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let idle_rss = process::proc_status_bytes(pid, "VmRSS:");
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/ingest/orders/", server.base);
    let cpu_before = process::proc_cpu_seconds(pid);
    let started = Instant::now();
    let starts: Vec<u64> = (0..total)
        .step_by(usize::try_from(size).unwrap_or(1))
        .collect();
    let results: Vec<(u64, u64, u64)> = futures_util::stream::iter(starts)
        .map(|first| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let n = size.min(total - first);
                let (body, items) = tokio::task::spawn_blocking(move || chunk(first, n))
                    .await
                    .expect("generate");
                let res = client
                    .post(&url)
                    .bearer_auth("token_admin_a")
                    .header("content-type", "application/x-ndjson")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                let status = res.status();
                if status != 200 {
                    let body = res.text().await.unwrap_or_default();
                    panic!("chunk at {first}: {status} {body}");
                }
                let report: Value = res.json().await.expect("report");
                let inserted = report["rows_inserted"].as_u64().unwrap_or(0);
                (inserted, report["rows_failed"].as_u64().unwrap_or(0), items)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let inserted: u64 = results.iter().map(|r| r.0).sum();
    let failed: u64 = results.iter().map(|r| r.1).sum();
    let items: u64 = results.iter().map(|r| r.2).sum();
    println!(
        "ingest: {inserted} orders + {items} items in {secs:.1}s ({} requests of ≤{size}, {concurrency} at a time, generation included)",
        results.len()
    );
    println!(
        "throughput: {:.0} orders/s, {:.0} rows/s counting items; {failed} rows failed",
        inserted as f64 / secs,
        (inserted + items) as f64 / secs
    );
    println!(
        "server memory: idle {:.1} MB, peak VmHWM {:.1} MB; server CPU {:.1} s",
        idle_rss as f64 / 1e6,
        process::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6,
        process::proc_cpu_seconds(pid) - cpu_before
    );
    let pool = sqlx::SqlitePool::connect(&server.db).await.expect("db");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sales_orders WHERE tenant_id = 'company_a'")
            .fetch_one(&pool)
            .await
            .expect("count");
    println!("stored: {stored} orders");
    if u64::try_from(stored).unwrap_or(0) != total || failed != 0 {
        eprintln!("expected {total} stored orders and no failures");
        std::process::exit(1);
    }
}
