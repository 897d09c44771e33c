//! The sandbox's overhead: one Python program run directly (`/usr/bin/python3 prog.py`) and
//! through `BwrapSandbox`, interleaved, for (a) hello world and (b) a CPU-bound loop of about
//! half a second; then sandboxed hello-world runs per second with 2 and 4 runs at once.
//!
//! `cargo bench -p server --bench sandbox_overhead` (needs root, bwrap, GNU time). Settings by
//! environment: SANDBOX_BENCH_RUNS (30 per case), SANDBOX_BENCH_LOOP (loop iterations, 12000000),
//! SANDBOX_BENCH_CONCURRENT_RUNS (40 per concurrency level), SANDBOX_BENCH_RESIDENT_MB (memory
//! the bench holds while it measures, 0: a server is far larger than this bench, and a spawn
//! that forks copies the parent's page tables, so its cost grows with the parent's size).

use app::challenges::run::{CodeRunner, RunPlan};
use server::challenges::sandbox::{BwrapSandbox, SandboxSettings};
use std::time::{Duration, Instant};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The production defaults (ATRIUM_SANDBOX_*), with a uid range of its own.
fn sandbox() -> BwrapSandbox {
    BwrapSandbox::new(SandboxSettings {
        cpu_secs: 5,
        wall: Duration::from_secs(10),
        memory_mb: 128,
        node_reserve_mb: 768,
        processes: 60,
        file_size_bytes: 1024 * 1024,
        output_bytes: 65_536,
        uid: 71_000,
        uid_slots: 16,
        work_root: std::env::temp_dir().join("atrium-sandbox-bench"),
        bwrap: "/usr/bin/bwrap".into(),
    })
}

fn plan(code: &str) -> RunPlan {
    RunPlan {
        files: vec![("prog.py".into(), code.as_bytes().to_vec())],
        argv: vec!["python3".into(), "prog.py".into()],
        stdin: Vec::new(),
    }
}

fn direct(dir: &std::path::Path) -> Duration {
    let started = Instant::now();
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("prog.py")
        .current_dir(dir)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

async fn sandboxed(sb: &BwrapSandbox, code: &str) -> Duration {
    let started = Instant::now();
    let out = sb.run(plan(code)).await;
    assert!(
        out.exit_code == Some(0) && out.breach.is_none(),
        "{out:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn compare(sb: &BwrapSandbox, name: &str, code: &str, runs: usize) {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("prog.py"), code).expect("write");
    // Warm the page cache and the sandbox path once each.
    direct(dir.path());
    sandboxed(sb, code).await;
    let (mut plain, mut boxed) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        plain.push(direct(dir.path()));
        boxed.push(sandboxed(sb, code).await);
    }
    plain.sort();
    boxed.sort();
    let (pm, bm) = (quantile(&plain, 0.5), quantile(&boxed, 0.5));
    println!(
        "{name:<28} direct median {:7.1} ms p95 {:7.1} ms | sandbox median {:7.1} ms p95 {:7.1} ms | ratio {:.2}x (+{:.1} ms)",
        ms(pm),
        ms(quantile(&plain, 0.95)),
        ms(bm),
        ms(quantile(&boxed, 0.95)),
        bm.as_secs_f64() / pm.as_secs_f64(),
        ms(bm) - ms(pm),
    );
}

/// Sandbox failures (`sandbox_error`) are counted, not fatal: the worker pool retries them.
async fn throughput(sb: &BwrapSandbox, concurrent: usize, total: usize) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrent {
        let sb = sb.clone();
        let share = total / concurrent + usize::from(worker < total % concurrent);
        tasks.push(tokio::spawn(async move {
            let mut failed = Vec::new();
            for _ in 0..share {
                let out = sb.run(plan("print('hello')")).await;
                if let Some(e) = out.sandbox_error {
                    failed.push(e);
                } else {
                    assert_eq!(out.exit_code, Some(0), "{out:?}");
                }
            }
            failed
        }));
    }
    let mut failed = Vec::new();
    for t in tasks {
        failed.extend(t.await.expect("worker"));
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "sandboxed hello world, {concurrent} at once: {total} runs in {secs:.2} s = {:.1} runs/s, {} sandbox errors {:?}",
        total as f64 / secs,
        failed.len(),
        failed.first()
    );
}

#[tokio::main]
async fn main() {
    let runs = setting("SANDBOX_BENCH_RUNS", 30) as usize;
    let iterations = setting("SANDBOX_BENCH_LOOP", 12_000_000);
    let concurrent_runs = setting("SANDBOX_BENCH_CONCURRENT_RUNS", 40) as usize;
    let resident_mb = setting("SANDBOX_BENCH_RESIDENT_MB", 0) as usize;
    // Touched (non-zero) pages, so they are really resident.
    let ballast = vec![1u8; resident_mb << 20];
    let sb = sandbox();
    println!(
        "sandbox overhead: N={runs} runs per case, direct and sandboxed interleaved, {} MB held",
        ballast.len() >> 20
    );
    compare(&sb, "(a) hello world", "print('hello')", runs).await;
    let cpu_loop = format!("n = 0\nfor i in range({iterations}):\n    n += i\nprint(n)");
    compare(&sb, "(b) CPU-bound loop", &cpu_loop, runs).await;
    for concurrent in [1, 2, 4] {
        throughput(&sb, concurrent, concurrent_runs).await;
    }
    std::hint::black_box(&ballast);
}
