//! Stock bulk-update load benchmark against the release `atrium` binary on loopback: many
//! concurrent `merge` bulk updates over overlapping products of company_a, then a consistency
//! check: every product's final stock must equal its initial stock plus the deltas the server
//! reported as applied (no lost or doubled update under concurrency).
//!
//! `cargo bench -p server --bench stock_load`. Settings by environment: STOCK_BENCH_PRODUCTS
//! (500), STOCK_BENCH_REQUESTS (2000), STOCK_BENCH_UPDATES (20 per request),
//! STOCK_BENCH_CONCURRENCY (16).

#[path = "support/process.rs"]
mod process;

use futures_util::StreamExt;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Instant;

const INITIAL: i64 = 1_000;

/// Request `i`'s updates: `n` random products (repeats allowed), deltas in −5..=+5.
fn updates(i: u64, n: u64, products: u64) -> Vec<(String, i64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(i);
    (0..n)
        .map(|_| {
            (
                format!("p-{}", rng.gen_range(0..products)),
                rng.gen_range(-5..=5),
            )
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let products = process::setting("STOCK_BENCH_PRODUCTS", 500).max(1);
    let requests = process::setting("STOCK_BENCH_REQUESTS", 2000);
    let per_request = process::setting("STOCK_BENCH_UPDATES", 20).max(1);
    let concurrency = process::setting("STOCK_BENCH_CONCURRENCY", 16).max(1) as usize;
    let server = process::start(&[], &[]).await;
    let client = reqwest::Client::new();
    let base = format!("{}/api/v1/tenants/company_a", server.base);
    let catalogue: Vec<Value> = (0..products)
        .map(|p| {
            json!({"product_id": format!("p-{p}"), "name": format!("Product {p}"),
                        "category": "bench", "price": "9.99", "stock": INITIAL})
        })
        .collect();
    let res = client
        .put(format!("{base}/products"))
        .bearer_auth("token_admin_a")
        .json(&catalogue)
        .send()
        .await
        .expect("load products");
    assert_eq!(res.status(), 200);
    let pid = server.child.id();
    let cpu_before = process::proc_cpu_seconds(pid);
    let started = Instant::now();
    let url = format!("{base}/stock/bulk_update");
    let applied: Vec<HashMap<String, i64>> = futures_util::stream::iter(0..requests)
        .map(|i| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let ups = updates(i, per_request, products);
                let body: Vec<Value> = ups
                    .iter()
                    .map(|(p, d)| json!({"product_id": p, "delta": d}))
                    .collect();
                let res = client
                    .put(&url)
                    .bearer_auth("token_admin_a")
                    .json(&json!({"mode": "merge", "updates": body}))
                    .send()
                    .await
                    .expect("send");
                assert_eq!(res.status(), 200, "request {i}");
                let out: Value = res.json().await.expect("json");
                // Sum of this request's deltas for each product the server applied.
                let mut sums: HashMap<String, i64> = HashMap::new();
                for r in out["results"].as_array().into_iter().flatten() {
                    if r["status"] == "applied" {
                        let p = r["product_id"].as_str().unwrap_or_default();
                        let d: i64 = ups.iter().filter(|(q, _)| q == p).map(|u| u.1).sum();
                        sums.insert(p.to_string(), d);
                    }
                }
                sums
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let mut expected: HashMap<String, i64> =
        (0..products).map(|p| (format!("p-{p}"), INITIAL)).collect();
    let mut applied_products = 0u64;
    for sums in &applied {
        for (p, d) in sums {
            *expected.entry(p.clone()).or_default() += d;
            applied_products += 1;
        }
    }
    let pool = sqlx::SqlitePool::connect(&server.db).await.expect("db");
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT product_id, stock FROM sales_products WHERE tenant_id = 'company_a' \
         AND category = 'bench'",
    )
    .fetch_all(&pool)
    .await
    .expect("stocks");
    let consistent = rows
        .iter()
        .filter(|(p, s)| expected.get(p) == Some(s))
        .count();
    let total_updates = requests * per_request;
    println!(
        "stock_load: {requests} bulk requests × {per_request} merge updates over {products} products, {concurrency} at a time, in {secs:.2}s"
    );
    println!(
        "throughput: {:.0} updates/s, {:.0} requests/s; {applied_products} product-transactions applied",
        total_updates as f64 / secs,
        requests as f64 / secs
    );
    println!(
        "server: peak VmHWM {:.1} MB, CPU {:.1} s",
        process::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6,
        process::proc_cpu_seconds(pid) - cpu_before
    );
    println!("consistency: {consistent}/{products} products consistent");
    if consistent as u64 != products {
        std::process::exit(1);
    }
}
