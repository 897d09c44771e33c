//! Grading throughput against the release `atrium` binary on loopback, through the real
//! bubblewrap sandbox: CHALLENGES_BENCH_SUBMISSIONS (200) submissions of task T04's reference
//! solution (Python) are queued at once by user_a, so the worker pool is saturated from the
//! start; each is followed over its SSE stream to the final state. Prints submissions graded per
//! second, the latency from POST to the final event (p50/p95/max), the statuses, and the server's
//! CPU and peak RSS.
//!
//! `cargo bench -p server --bench challenges_load`. Settings: CHALLENGES_BENCH_SUBMISSIONS (200),
//! CHALLENGES_BENCH_WORKERS (2, the server's default). Needs root, bwrap, prlimit, setpriv and
//! GNU time (scripts/setup.sh).

#[path = "support/process.rs"]
mod process;

use futures_util::StreamExt;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// T04's id and its Python reference solution (visible to an admin).
async fn task(client: &reqwest::Client, base: &str) -> (String, String) {
    let list: Value = client
        .get(format!("{base}/api/v1/challenges?search=math&limit=5"))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list json");
    let id = list["challenges"][0]["id"]
        .as_str()
        .expect("T04 in the library")
        .to_string();
    let detail: Value = client
        .get(format!("{base}/api/v1/challenges/{id}"))
        .bearer_auth("token_admin_a")
        .send()
        .await
        .expect("detail")
        .json()
        .await
        .expect("detail json");
    let solution = detail["variants"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["language"] == "python"))
        .and_then(|v| v["solution"].as_str())
        .expect("python solution for an admin")
        .to_string();
    (id, solution)
}

/// Follows one submission's SSE stream to its end; the last state.
async fn follow(client: &reqwest::Client, base: &str, id: &str) -> Value {
    let res = client
        .get(format!("{base}/api/v1/submissions/{id}/events"))
        .bearer_auth("token_user_a")
        .send()
        .await
        .expect("events");
    let body = res.text().await.expect("stream");
    body.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str(d.trim()).ok())
        .next_back()
        .unwrap_or(Value::Null)
}

#[tokio::main]
async fn main() {
    let n = process::setting("CHALLENGES_BENCH_SUBMISSIONS", 200);
    let workers = process::setting("CHALLENGES_BENCH_WORKERS", 2);
    let env = [
        ("ATRIUM_CHALLENGE_WORKERS", workers.to_string()),
        ("ATRIUM_CHALLENGE_QUEUE", (n + 10).to_string()),
        (
            "ATRIUM_CHALLENGE_SUBMISSIONS_PER_MINUTE",
            (n * 10).to_string(),
        ),
    ];
    let server = process::start(&[], &env).await;
    let pid = server.child.id();
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let (challenge, solution) = task(&client, &base).await;
    let cpu_before = process::proc_cpu_seconds(pid);
    let started = Instant::now();
    let mut queued = Vec::new();
    for _ in 0..n {
        let res = client
            .post(format!("{base}/api/v1/submissions"))
            .bearer_auth("token_user_a")
            .json(&json!({"challenge_id": challenge, "language": "python",
                          "code": solution, "mode": "submit"}))
            .send()
            .await
            .expect("submit");
        assert_eq!(
            res.status(),
            202,
            "{}",
            res.text().await.unwrap_or_default()
        );
        let v: Value = res.json().await.expect("json");
        queued.push((v["id"].as_str().expect("id").to_string(), Instant::now()));
    }
    let finals: Vec<(Value, Duration)> = futures_util::stream::iter(queued)
        .map(|(id, posted)| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let last = follow(&client, &base, &id).await;
                (last, posted.elapsed())
            }
        })
        .buffer_unordered(usize::try_from(n).unwrap_or(1).max(1))
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    let mut latencies: Vec<f64> = Vec::new();
    let mut run_ms: Vec<u64> = Vec::new();
    for (last, latency) in &finals {
        *statuses
            .entry(last["status"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
        latencies.push(latency.as_secs_f64() * 1000.0);
        run_ms.push(last["execution_ms"].as_u64().unwrap_or(0));
    }
    latencies.sort_by(f64::total_cmp);
    run_ms.sort_unstable();
    let q = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p) as usize];
    println!(
        "graded {n} submissions ({workers} workers, saturated) in {secs:.1}s = {:.1} submissions/s; statuses {statuses:?}",
        n as f64 / secs
    );
    println!(
        "POST → final event: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; sandboxed run p50 {} ms",
        q(&latencies, 0.5),
        q(&latencies, 0.95),
        q(&latencies, 1.0),
        run_ms[run_ms.len() / 2]
    );
    println!(
        "server: CPU {:.1} s, peak VmHWM {:.1} MB",
        process::proc_cpu_seconds(pid) - cpu_before,
        process::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6
    );
    if statuses.get("PASSED").copied().unwrap_or(0) != n {
        eprintln!("expected every submission to pass");
        std::process::exit(1);
    }
}
