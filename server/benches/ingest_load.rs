//! Order ingest load benchmark against the release `atrium` binary on loopback: 1,000,000
//! generated orders (~3M items) for company_a, POSTed as NDJSON in chunks (50,000 rows per
//! request, 2 at a time), generated before the clock starts (INGEST_BENCH_GENERATE=inline
//! generates each chunk just before it is sent, on the server's cores). Prints rows/s (orders, and
//! orders + items), the server's peak RSS (VmHWM) and CPU, and checks the stored row count.
//!
//! `cargo bench -p server --bench ingest_load`. Settings by environment: INGEST_BENCH_ORDERS
//! (1000000), INGEST_BENCH_CHUNK (50000), INGEST_BENCH_CONCURRENCY (2), INGEST_BENCH_GENERATE
//! (`ahead`; `inline`), INGEST_BENCH_TIMES (`both`, each on a fresh server; `random`: uniformly
//! over two years, the worst case for the time index; `chronological`: following order
//! numbers plus up to an hour of jitter, the order a shop's own export comes in).
//! Targets (brief 001): ≥ 200,000 rows/s and ≤ 200 MB peak RSS.

// The bench uses only the order stream, not the tenant naming.
#[path = "support/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

#[tokio::main]
async fn main() {
    let orders: &[bool] = match std::env::var("INGEST_BENCH_TIMES").as_deref() {
        Ok("random") => &[false],
        Ok("chronological") => &[true],
        _ => &[false, true],
    };
    let mut ok = true;
    for &chronological in orders {
        ok &= run(chronological).await;
    }
    if !ok {
        std::process::exit(1);
    }
}

/// One load of a fresh server; false if rows went missing or failed.
async fn run(chronological: bool) -> bool {
    let total = process::setting("INGEST_BENCH_ORDERS", 1_000_000);
    let size = process::setting("INGEST_BENCH_CHUNK", 50_000).max(1);
    let concurrency = process::setting("INGEST_BENCH_CONCURRENCY", 2).max(1) as usize;
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let idle_rss = process::proc_status_bytes(pid, "VmRSS:");
    let cpu_before = process::proc_cpu_seconds(pid);
    let generation = match std::env::var("INGEST_BENCH_GENERATE").as_deref() {
        Ok("inline") => load::Generation::Inline,
        _ => load::Generation::Ahead,
    };
    let loaded = load::load_orders_with(
        &server.base,
        total,
        size,
        concurrency,
        50_000,
        generation,
        chronological,
    )
    .await;
    let (secs, inserted, failed, items) =
        (loaded.secs, loaded.inserted, loaded.failed, loaded.items);
    let order = if chronological {
        "chronological"
    } else {
        "random"
    };
    println!(
        "ingest ({order} times): {inserted} orders + {items} items in {secs:.1}s ({} requests of ≤{size}, {concurrency} at a time, generation {generation:?})",
        loaded.requests
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
    let ok = u64::try_from(stored).unwrap_or(0) == total && failed == 0;
    if !ok {
        eprintln!("expected {total} stored orders and no failures");
    }
    ok
}
