//! Order search load benchmark against the release `atrium` binary on loopback: ingests
//! SEARCH_BENCH_ORDERS (120,000) generated orders for company_a over HTTP, then streams 100,000
//! results in single requests (all fields with items as NDJSON; a JSON-array projection; a text +
//! status filter). Prints time to first byte, total time, bytes, and the server's RSS before and
//! at its highest while streaming (sampled every 10 ms).
//!
//! `cargo bench -p server --bench search_load`. Target: RSS growth ≤ 50 MB while streaming.

#[path = "support/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Streams one search; returns (ttfb, total, bytes, orders, peak RSS while streaming).
async fn stream(base: &str, pid: u32, query: &str) -> (Duration, Duration, u64, u64, u64) {
    let peak = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(process::proc_status_bytes(pid, "VmRSS:"), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let started = Instant::now();
    let res = reqwest::Client::new()
        .get(format!(
            "{base}/api/v1/tenants/company_a/orders/search?{query}"
        ))
        .bearer_auth("token_user_a")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200, "{query}");
    let mut res = res;
    let mut ttfb = None;
    let (mut bytes, mut lines) = (0u64, 0u64);
    while let Some(chunk) = res.chunk().await.expect("chunk") {
        ttfb.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len() as u64;
        // NDJSON: one line per order plus the cursor line. JSON (no items): one `{` per order
        // plus the envelope's.
        let mark = if query.contains("format=json") {
            b'{'
        } else {
            b'\n'
        };
        lines += chunk.iter().filter(|b| **b == mark).count() as u64;
    }
    let total = started.elapsed();
    done.store(true, Ordering::SeqCst);
    sampler.await.expect("sampler");
    let orders = lines.saturating_sub(1);
    (
        ttfb.unwrap_or(total),
        total,
        bytes,
        orders,
        peak.load(Ordering::SeqCst),
    )
}

#[tokio::main]
async fn main() {
    let total = process::setting("SEARCH_BENCH_ORDERS", 120_000);
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let loaded = load::load_orders(&server.base, total, 20_000, 2, 5_000).await;
    assert_eq!(loaded.failed, 0, "rows failed");
    println!("loaded {total} orders over HTTP in {:.1}s", loaded.secs);
    let runs = [
        ("ndjson, all fields + items", "limit=100000"),
        (
            "json array, order_id,total",
            "limit=100000&format=json&fields=order_id,total",
        ),
        (
            "ndjson, status=paid & q=hopper",
            "limit=100000&status=paid&q=hopper",
        ),
    ];
    let mut worst_growth = 0i64;
    for (name, query) in runs {
        let before = process::proc_status_bytes(pid, "VmRSS:");
        let cpu = process::proc_cpu_seconds(pid);
        let (ttfb, secs, bytes, lines, peak) = stream(&server.base, pid, query).await;
        let cpu = process::proc_cpu_seconds(pid) - cpu;
        let growth = peak as i64 - before as i64;
        worst_growth = worst_growth.max(growth);
        println!(
            "{name}: first byte {:.1} ms, total {:.2} s, {:.1} MB, {lines} orders ({:.0} orders/s); \
             server CPU {cpu:.1} s, RSS before {:.1} MB, peak during {:.1} MB (growth {:+.1} MB)",
            ttfb.as_secs_f64() * 1e3,
            secs.as_secs_f64(),
            bytes as f64 / 1e6,
            lines as f64 / secs.as_secs_f64(),
            before as f64 / 1e6,
            peak as f64 / 1e6,
            growth as f64 / 1e6,
        );
    }
    println!(
        "worst RSS growth while streaming: {:.1} MB (target ≤ 50 MB)",
        worst_growth as f64 / 1e6
    );
}
