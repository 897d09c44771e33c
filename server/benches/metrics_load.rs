//! Sales metrics benchmark against the release `atrium` binary on loopback: loads 1,000,000
//! generated orders (~3M items, 50,000 products, 2 years) for company_a over HTTP like
//! `ingest_load` (the rollup refresher runs meanwhile), waits until the rollups are current, then
//! times `GET /api/v1/tenants/company_a/metrics/sales` over the whole range for each `group_by`,
//! exact and approx (median of METRICS_BENCH_RUNS). Also: rollup size, refresher lag after a
//! 2,000-order batch.
//!
//! `cargo bench -p server --bench metrics_load`. Settings: METRICS_BENCH_ORDERS (1000000),
//! METRICS_BENCH_CHUNK (50000), METRICS_BENCH_RUNS (3).

#[path = "support/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

use serde_json::Value;
use sqlx::SqlitePool;
use std::time::{Duration, Instant};

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
    let total = process::setting("METRICS_BENCH_ORDERS", 1_000_000);
    let size = process::setting("METRICS_BENCH_CHUNK", 50_000).max(1);
    let runs = process::setting("METRICS_BENCH_RUNS", 3).max(1);
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let cpu_before = process::proc_cpu_seconds(pid);
    let client = reqwest::Client::new();
    let loaded = load::load_orders(&server.base, total, size, 2, 50_000).await;
    assert_eq!(loaded.failed, 0, "rows failed");
    let (secs, inserted) = (loaded.secs, loaded.inserted);
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
    load::post_orders(
        &client,
        &server.base,
        load::ndjson_chunk(total, 2_000, 50_000).0,
    )
    .await;
    let posted = t.elapsed().as_secs_f64();
    let lag = caught_up(&pool, t).await;
    println!("2,000-order batch: ingest {posted:.2}s, rollups current after {lag:.2}s");
    println!(
        "server: peak VmHWM {:.1} MB, CPU {:.1} s",
        process::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6,
        process::proc_cpu_seconds(pid) - cpu_before
    );
}
