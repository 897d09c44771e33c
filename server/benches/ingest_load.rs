//! Order ingest load benchmark against the release `atrium` binary on loopback: 1,000,000
//! generated orders (~3M items) for company_a, POSTed as NDJSON in chunks (50,000 rows per
//! request, 2 at a time), each chunk generated just before it is sent. Prints rows/s (orders, and
//! orders + items), the server's peak RSS (VmHWM) and CPU, and checks the stored row count.
//!
//! `cargo bench -p server --bench ingest_load`. Settings by environment: INGEST_BENCH_ORDERS
//! (1000000), INGEST_BENCH_CHUNK (50000), INGEST_BENCH_CONCURRENCY (2).
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
    let total = process::setting("INGEST_BENCH_ORDERS", 1_000_000);
    let size = process::setting("INGEST_BENCH_CHUNK", 50_000).max(1);
    let concurrency = process::setting("INGEST_BENCH_CONCURRENCY", 2).max(1) as usize;
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let idle_rss = process::proc_status_bytes(pid, "VmRSS:");
    let cpu_before = process::proc_cpu_seconds(pid);
    let loaded = load::load_orders(&server.base, total, size, concurrency, 50_000).await;
    let (secs, inserted, failed, items) =
        (loaded.secs, loaded.inserted, loaded.failed, loaded.items);
    println!(
        "ingest: {inserted} orders + {items} items in {secs:.1}s ({} requests of ≤{size}, {concurrency} at a time, generation included)",
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
    if u64::try_from(stored).unwrap_or(0) != total || failed != 0 {
        eprintln!("expected {total} stored orders and no failures");
        std::process::exit(1);
    }
}
