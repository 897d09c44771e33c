//! Sales metrics benchmark against the release `atrium` binary on loopback: loads 1,000,000
//! generated orders (~3M items, 50,000 products, 2 years) for company_a over HTTP like
//! `ingest_load` (the rollup refresher runs meanwhile), waits until the rollups are current, then
//! times `GET /api/v1/tenants/company_a/metrics/sales` over the whole range for each `group_by`,
//! exact and approx (median of METRICS_BENCH_RUNS). Also: rollup size, refresher lag after a
//! 2,000-order batch.
//!
//! `cargo bench -p server --bench metrics_load`. Settings: METRICS_BENCH_ORDERS (1000000),
//! METRICS_BENCH_CHUNK (50000), METRICS_BENCH_RUNS (3).

#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

use futures_util::StreamExt;
use orders::OrderGen;
use serde_json::Value;
use sqlx::SqlitePool;
use std::time::{Duration, Instant};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn chunk(first: u64, n: u64) -> Vec<u8> {
    let mut g = OrderGen::new(7, first, "company_a", 50_000).starting_at(first);
    let mut body = Vec::with_capacity(usize::try_from(n).unwrap_or(0) * 400);
    for _ in 0..n {
        g.write_ndjson(&mut body);
    }
    body
}

async fn post(client: &reqwest::Client, url: &str, body: Vec<u8>) -> u64 {
    let res = client
        .post(url)
        .bearer_auth("token_admin_a")
        .header("content-type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.expect("report");
    assert_eq!(report["rows_failed"], 0, "{report}");
    report["rows_inserted"].as_u64().unwrap_or(0)
}

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

/// Seconds until no hour is dirty (the background refresher caught up).
async fn caught_up(pool: &SqlitePool, since: Instant) -> f64 {
    while scalar(pool, "SELECT COUNT(*) FROM sales_rollup_dirty").await > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    since.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let total = setting("METRICS_BENCH_ORDERS", 1_000_000);
    let size = setting("METRICS_BENCH_CHUNK", 50_000).max(1);
    let runs = setting("METRICS_BENCH_RUNS", 3).max(1);
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let cpu_before = process::proc_cpu_seconds(pid);
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/ingest/orders/", server.base);
    let started = Instant::now();
    let starts: Vec<u64> = (0..total)
        .step_by(usize::try_from(size).unwrap_or(1))
        .collect();
    let inserted: u64 = futures_util::stream::iter(starts)
        .map(|first| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let n = size.min(total - first);
                let body = tokio::task::spawn_blocking(move || chunk(first, n))
                    .await
                    .expect("generate");
                post(&client, &url, body).await
            }
        })
        .buffer_unordered(2)
        .fold(0, |a, n| async move { a + n })
        .await;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "ingest: {inserted} orders in {secs:.1}s = {:.0} orders/s (rollup refresher running)",
        inserted as f64 / secs
    );
    let pool = SqlitePool::connect(&server.db).await.expect("db");
    let lag = caught_up(&pool, Instant::now()).await;
    println!("rollups current {lag:.1}s after the last batch");
    // Categories for 90 % of the products (20 categories); the rest stay uncategorised.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999) \
         INSERT INTO sales_products (tenant_id, product_id, name, category, price_cents, updated_at) \
         SELECT 'company_a', 'p-' || i, 'Product ' || i, 'cat-' || (i % 20), 100, \
           '2026-01-01T00:00:00.000Z' FROM n WHERE i % 10 != 0",
    )
    .execute(&pool)
    .await
    .expect("products");
    for table in ["sales_rollup_hours", "sales_rollup_product_days"] {
        let rows = scalar(&pool, &format!("SELECT COUNT(*) FROM {table}")).await;
        let bytes = scalar(
            &pool,
            &format!("SELECT SUM(length(customers) + length(totals_digest)) FROM {table}"),
        )
        .await;
        println!(
            "{table}: {rows} rows, {:.1} MB of sketches",
            bytes as f64 / 1e6
        );
    }
    let metrics = format!("{}/api/v1/tenants/company_a/metrics/sales", server.base);
    println!("| group_by | exact median ms | approx median ms | groups | server elapsed_ms exact / approx |");
    for group in ["day", "hour", "product", "category"] {
        let mut line = format!("| {group} |");
        let mut server_ms = Vec::new();
        let mut groups = 0;
        for precision in ["exact", "approx"] {
            let mut times = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let res = client
                    .get(&metrics)
                    .query(&[
                        ("group_by", group),
                        ("precision", precision),
                        ("start_date", "2024-01-01"),
                        ("end_date", "2025-12-31"),
                    ])
                    .bearer_auth("token_admin_a")
                    .send()
                    .await
                    .expect("send");
                assert_eq!(res.status(), 200);
                let m: Value = res.json().await.expect("json");
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                groups = m["groups"].as_array().map_or(0, Vec::len);
                server_ms.push(m["elapsed_ms"].as_f64().unwrap_or(0.0));
                assert_eq!(m["totals"]["orders"].as_u64(), Some(total));
            }
            times.sort_by(f64::total_cmp);
            line.push_str(&format!(" {:.0} |", times[times.len() / 2]));
        }
        server_ms.sort_by(f64::total_cmp);
        println!(
            "{line} {groups} | {:.0}–{:.0} |",
            server_ms[0],
            server_ms[server_ms.len() - 1]
        );
    }
    // Freshness: one more 2,000-order batch (spread over the two years, so ~2,000 dirty hours).
    let t = Instant::now();
    post(&client, &url, chunk(total, 2_000)).await;
    let posted = t.elapsed().as_secs_f64();
    let lag = caught_up(&pool, t).await;
    println!("2,000-order batch: ingest {posted:.2}s, rollups current after {lag:.2}s");
    println!(
        "server: peak VmHWM {:.1} MB, CPU {:.1} s",
        process::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6,
        process::proc_cpu_seconds(pid) - cpu_before
    );
}
