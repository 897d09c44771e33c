//! Sales metrics benchmark against the release `atrium` binary on loopback: loads 1,000,000
//! generated orders (~3M items, 50,000 products, 2 years) for company_a over HTTP like
//! `ingest_load` (the rollup refresher runs meanwhile), waits until the rollups are current,
//! restarts the server on the same database (so its peak RSS covers the queries, not the load),
//! then times `GET /api/v1/tenants/company_a/metrics/sales` over the whole range for each
//! `group_by`, exact and approx (median of METRICS_BENCH_RUNS), sampling the server's RSS during
//! each. Also: rollup size, refresher lag after a 2,000-order batch.
//!
//! `cargo bench -p server --bench metrics_load`. Settings: METRICS_BENCH_ORDERS (1000000),
//! METRICS_BENCH_CHUNK (50000), METRICS_BENCH_RUNS (3), METRICS_BENCH_GROUPS
//! (`day,hour,product,category`), METRICS_BENCH_PRECISIONS (`exact,approx`), METRICS_BENCH_DB
//! (a path: if the file exists, a copy of it is used instead of loading; if not, the loaded
//! database is saved there with `VACUUM INTO` for later runs), METRICS_BENCH_EXE (the `atrium`
//! binary serving the queries, e.g. a copy of an older build to compare on the same database).

#[path = "support/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

use serde_json::Value;
use sqlx::SqlitePool;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
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

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn list(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Stops the server process and starts a fresh one on the same database and port.
async fn restart(server: &mut process::Server) {
    let _ = server.child.kill();
    let _ = server.child.wait();
    let path = server.db.trim_start_matches("sqlite://").to_string();
    let dir = std::path::Path::new(&path)
        .parent()
        .expect("db dir")
        .to_path_buf();
    let addr = server.base.trim_start_matches("http://").to_string();
    let exe = std::env::var("METRICS_BENCH_EXE").unwrap_or(env!("CARGO_BIN_EXE_atrium").into());
    server.child = Command::new(exe)
        .env("ATRIUM_ADDR", &addr)
        .env("ATRIUM_DATABASE_URL", &server.db)
        .env("ATRIUM_SITE_ROOT", &dir)
        .env("ATRIUM_LOG", "warn")
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("restart atrium");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        let ready = client.get(format!("{}/readyz", server.base)).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become ready after the restart");
}

/// Replaces the server's database with a copy of `saved` and restarts it.
async fn use_saved(server: &mut process::Server, saved: &str) {
    let _ = server.child.kill();
    let _ = server.child.wait();
    let path = server.db.trim_start_matches("sqlite://").to_string();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    std::fs::copy(saved, &path).expect("copy the saved database");
    restart(server).await;
}

/// Loads the orders, waits for the rollups, adds categories, waits again; returns how many
/// orders.
async fn load(server: &process::Server, total: u64, size: u64) -> u64 {
    let loaded = load::load_orders(&server.base, total, size, 2, 50_000).await;
    assert_eq!(loaded.failed, 0, "rows failed");
    let (secs, inserted) = (loaded.secs, loaded.inserted);
    println!(
        "ingest: {inserted} orders in {secs:.1}s = {:.0} orders/s (rollup refresher running); \
         server VmHWM {:.1} MB",
        inserted as f64 / secs,
        mb(process::proc_status_bytes(server.child.id(), "VmHWM:"))
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
    // Each categorised product marks the days it was sold on (migration 0019's triggers).
    let dirty = scalar(&pool, "SELECT COUNT(*) FROM sales_rollup_dirty").await;
    let lag = caught_up(&pool, Instant::now()).await;
    println!("categories added: {dirty} days marked, category rollups current after {lag:.1}s");
    pool.close().await;
    inserted
}

/// Samples the process's VmRSS every 10 ms until stopped; the highest value seen.
fn sample_rss(pid: u32) -> (Arc<AtomicBool>, tokio::task::JoinHandle<u64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let (s, p) = (stop.clone(), peak.clone());
    let handle = tokio::spawn(async move {
        while !s.load(Ordering::Relaxed) {
            p.fetch_max(process::proc_status_bytes(pid, "VmRSS:"), Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        p.load(Ordering::Relaxed)
    });
    (stop, handle)
}

#[tokio::main]
async fn main() {
    let total = process::setting("METRICS_BENCH_ORDERS", 1_000_000);
    let size = process::setting("METRICS_BENCH_CHUNK", 50_000).max(1);
    let runs = process::setting("METRICS_BENCH_RUNS", 3).max(1);
    let groups_wanted = list("METRICS_BENCH_GROUPS", "day,hour,product,category");
    let precisions = list("METRICS_BENCH_PRECISIONS", "exact,approx");
    let saved = std::env::var("METRICS_BENCH_DB").ok();
    let mut server = process::start(&[], &[]).await;
    let client = reqwest::Client::new();
    let orders = match saved.as_deref() {
        Some(path) if std::path::Path::new(path).exists() => {
            use_saved(&mut server, path).await;
            println!("reusing the database saved at {path}");
            let pool = SqlitePool::connect(&server.db).await.expect("db");
            let dirty = scalar(&pool, "SELECT COUNT(*) FROM sales_rollup_dirty").await;
            let lag = caught_up(&pool, Instant::now()).await;
            println!("{dirty} dirty hours in it; rollups current after {lag:.1}s");
            pool.close().await;
            total
        }
        _ => {
            let n = load(&server, total, size).await;
            if let Some(path) = saved.as_deref() {
                let pool = SqlitePool::connect(&server.db).await.expect("db");
                sqlx::query("VACUUM INTO ?")
                    .bind(path)
                    .execute(&pool)
                    .await
                    .expect("save the database");
                pool.close().await;
                println!("database saved at {path}");
            }
            restart(&mut server).await;
            n
        }
    };
    let pid = server.child.id();
    let cpu_before = process::proc_cpu_seconds(pid);
    println!(
        "fresh server process: VmRSS {:.1} MB",
        mb(process::proc_status_bytes(pid, "VmRSS:"))
    );
    let pool = SqlitePool::connect(&server.db).await.expect("db");
    for table in [
        "sales_rollup_hours",
        "sales_rollup_product_days",
        "sales_rollup_category_days",
    ] {
        let rows = scalar(&pool, &format!("SELECT COUNT(*) FROM {table}")).await;
        let bytes = scalar(
            &pool,
            &format!("SELECT SUM(length(customers) + length(totals_digest)) FROM {table}"),
        )
        .await;
        println!(
            "{table}: {rows} rows, {:.1} MB of sketches",
            mb(bytes as u64)
        );
    }
    let metrics = format!("{}/api/v1/tenants/company_a/metrics/sales", server.base);
    println!(
        "| group_by | precision | median ms | groups | server elapsed_ms min–max | peak VmRSS MB |"
    );
    for group in &groups_wanted {
        for precision in &precisions {
            let (mut times, mut server_ms, mut groups) = (Vec::new(), Vec::new(), 0);
            let (stop, sampler) = sample_rss(pid);
            for _ in 0..runs {
                let t = Instant::now();
                let res = client
                    .get(&metrics)
                    .query(&[
                        ("group_by", group.as_str()),
                        ("precision", precision.as_str()),
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
                assert_eq!(m["totals"]["orders"].as_u64(), Some(orders));
            }
            stop.store(true, Ordering::Relaxed);
            let peak = sampler.await.expect("sampler");
            times.sort_by(f64::total_cmp);
            server_ms.sort_by(f64::total_cmp);
            println!(
                "| {group} | {precision} | {:.0} | {groups} | {:.0}–{:.0} | {:.1} |",
                times[times.len() / 2],
                server_ms[0],
                server_ms[server_ms.len() - 1],
                mb(peak)
            );
        }
    }
    println!(
        "server after the queries: VmHWM {:.1} MB, VmRSS {:.1} MB, CPU {:.1} s",
        mb(process::proc_status_bytes(pid, "VmHWM:")),
        mb(process::proc_status_bytes(pid, "VmRSS:")),
        process::proc_cpu_seconds(pid) - cpu_before
    );
    // Freshness: one more 2,000-order batch (spread over the two years, so ~2,000 dirty hours).
    let t = Instant::now();
    load::post_orders(
        &client,
        &server.base,
        load::ndjson_chunk(orders, 2_000, 50_000).0,
    )
    .await;
    let posted = t.elapsed().as_secs_f64();
    let lag = caught_up(&pool, t).await;
    println!("2,000-order batch: ingest {posted:.2}s, rollups current after {lag:.2}s");
}
