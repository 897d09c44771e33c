//! Export load benchmark against the release `atrium` binary on loopback: loads 1,000,000
//! generated orders for company_a over HTTP (NDJSON chunks, like `ingest_load`), then exports
//! them all as CSV, gzip CSV and Parquet, one after the other. For each: wall time until the job
//! is done, rows/s, file size, the server's peak RSS during the export (VmHWM after resetting it
//! through /proc/<pid>/clear_refs; sampled VmRSS max as a fallback), and a full download whose
//! SHA-256 must match the job's.
//!
//! `cargo bench -p server --bench export_load`. Settings by environment: EXPORT_BENCH_ORDERS
//! (1000000), EXPORT_BENCH_PAGE_ROWS (5000), EXPORT_BENCH_ROW_GROUP_ROWS (20000).
//! Target (brief 001): ≤ 200 MB server RSS while exporting.

#[path = "support/load.rs"]
mod load;
#[allow(dead_code)]
#[path = "../src/bin/gen_dataset/orders.rs"]
mod orders;
#[path = "support/process.rs"]
mod process;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// Runs one export to the end; returns (seconds, status, peak RSS bytes during it, server CPU s).
async fn export(base: &str, pid: u32, body: Value) -> (f64, Value, u64, f64) {
    let cpu = process::proc_cpu_seconds(pid);
    let client = reqwest::Client::new();
    let reports = format!("{base}/api/v1/tenants/company_a/reports");
    // Resets VmHWM to the current RSS (Linux ≥ 4.0), so the peak read after is this export's.
    let reset = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
    let started = Instant::now();
    let res = client
        .post(format!("{reports}/export"))
        .bearer_auth("token_admin_a")
        .json(&body)
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 202);
    let v: Value = res.json().await.expect("json");
    let id = v["export_id"].as_str().expect("id").to_string();
    let mut sampled = 0;
    loop {
        sampled = sampled.max(process::proc_status_bytes(pid, "VmRSS:"));
        let s: Value = client
            .get(format!("{reports}/exports/{id}"))
            .bearer_auth("token_admin_a")
            .send()
            .await
            .expect("status")
            .json()
            .await
            .expect("json");
        match s["status"].as_str() {
            Some("done") => {
                let secs = started.elapsed().as_secs_f64();
                let hwm = process::proc_status_bytes(pid, "VmHWM:");
                let peak = if reset { hwm.max(sampled) } else { sampled };
                return (secs, s, peak, process::proc_cpu_seconds(pid) - cpu);
            }
            Some("running") => tokio::time::sleep(Duration::from_millis(50)).await,
            _ => panic!("export failed: {s}"),
        }
    }
}

/// Downloads the finished export; returns (seconds, SHA-256 matches).
async fn download(base: &str, status: &Value) -> (f64, bool) {
    let started = Instant::now();
    let mut res = reqwest::Client::new()
        .get(format!(
            "{base}{}",
            status["download_url"].as_str().expect("url")
        ))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("download");
    let mut hasher = Sha256::new();
    while let Some(chunk) = res.chunk().await.expect("chunk") {
        hasher.update(&chunk);
    }
    let ok = Some(hex::encode(hasher.finalize()).as_str()) == status["sha256"].as_str();
    (started.elapsed().as_secs_f64(), ok)
}

#[tokio::main]
async fn main() {
    let total = process::setting("EXPORT_BENCH_ORDERS", 1_000_000);
    let dir = tempfile::tempdir().expect("export dir");
    let env = [
        ("ATRIUM_EXPORT_DIR", dir.path().display().to_string()),
        (
            "ATRIUM_EXPORT_PAGE_ROWS",
            process::setting("EXPORT_BENCH_PAGE_ROWS", 5000).to_string(),
        ),
        (
            "ATRIUM_EXPORT_ROW_GROUP_ROWS",
            process::setting("EXPORT_BENCH_ROW_GROUP_ROWS", 20_000).to_string(),
        ),
    ];
    let server = process::start(&[], &env).await;
    let pid = server.child.id();
    let started = Instant::now();
    let loaded = load::load_orders(&server.base, total, 50_000, 2, 50_000).await;
    assert_eq!(loaded.failed, 0, "rows failed");
    println!(
        "loaded {total} orders over HTTP in {:.1}s; server RSS now {:.1} MB",
        started.elapsed().as_secs_f64(),
        process::proc_status_bytes(pid, "VmRSS:") as f64 / 1e6
    );
    let mut failed = false;
    for (name, body) in [
        ("csv", json!({"format": "csv"})),
        ("csv+gzip", json!({"format": "csv", "gzip": true})),
        ("parquet", json!({"format": "parquet"})),
    ] {
        let (secs, s, peak, cpu) = export(&server.base, pid, body).await;
        let rows = s["rows_written"].as_i64().unwrap_or(0);
        let (dl_secs, ok) = download(&server.base, &s).await;
        println!(
            "export {name}: {rows} rows in {secs:.1}s ({:.0} rows/s), {:.1} MB file, server peak RSS {:.1} MB, server CPU {cpu:.1}s; download {dl_secs:.1}s, sha256 {}",
            rows as f64 / secs,
            s["bytes_written"].as_f64().unwrap_or(0.0) / 1e6,
            peak as f64 / 1e6,
            if ok { "ok" } else { "MISMATCH" }
        );
        failed |= !ok || rows as u64 != total;
    }
    if failed {
        eprintln!("expected {total} rows in every export and matching digests");
        std::process::exit(1);
    }
}
