//! Feed load benchmark: N WebSocket clients over T tenants on loopback, events posted over HTTP
//! at a steady rate. Prints delivered events/s, POST-to-delivery latency (p50/p99/max), the
//! server's peak RSS and CPU, and counts deliveries that crossed tenants (must be 0).
//!
//! `cargo bench -p server --bench feed_load` (release build; starts the real `atrium` binary).
//! Settings by environment: FEED_BENCH_CLIENTS (1000), FEED_BENCH_TENANTS (10),
//! FEED_BENCH_RATE (events/s over all tenants, 200), FEED_BENCH_SECONDS (20).

#[path = "support/process.rs"]
mod process;

use futures_util::StreamExt;
use hdrhistogram::Histogram;
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type")]
    kind: String,
    event: Option<Event>,
}

#[derive(Deserialize)]
struct Event {
    tenant_id: String,
    message: String,
}

/// What the clients counted.
#[derive(Default)]
struct Tally {
    delivered: AtomicU64,
    cross_tenant: AtomicU64,
}

/// (resident set in bytes, CPU seconds used) of a process, from /proc.
fn proc_usage(pid: u32) -> (u64, f64) {
    (
        process::proc_status_bytes(pid, "VmRSS:"),
        process::proc_cpu_seconds(pid),
    )
}

#[tokio::main]
async fn main() {
    let clients = setting("FEED_BENCH_CLIENTS", 1000) as usize;
    let tenant_count = setting("FEED_BENCH_TENANTS", 10).max(1) as usize;
    let rate = setting("FEED_BENCH_RATE", 200).max(1);
    let seconds = setting("FEED_BENCH_SECONDS", 20).max(1);
    let tenants: Vec<String> = (0..tenant_count).map(|i| format!("bench_{i:02}")).collect();
    let env = [
        ("ATRIUM_FEED_OPEN_TENANTS", tenants.join(",")),
        ("ATRIUM_FEED_RATE_PER_SECOND", "1000000".to_string()),
        ("ATRIUM_FEED_RATE_BURST", "1000000".to_string()),
    ];
    let server = process::start(&tenants, &env).await;
    let pid = server.child.id();
    let (idle_rss, _) = proc_usage(pid);

    let origin = Instant::now();
    let total_events = (rate * seconds) as usize + tenant_count;
    let sent_at: Arc<Vec<AtomicU64>> =
        Arc::new((0..total_events).map(|_| AtomicU64::new(0)).collect());
    let tally = Arc::new(Tally::default());

    // Connect every client and wait for its snapshot, 50 handshakes at a time.
    let ws_base = server.base.replacen("http", "ws", 1);
    let mut readers = Vec::with_capacity(clients);
    let connect_started = Instant::now();
    let mut pending = futures_util::stream::iter((0..clients).map(|i| {
        let tenant = tenants[i % tenant_count].clone();
        let url = format!("{ws_base}/ws/feed?tenant={tenant}");
        async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(url)
                .await
                .expect("connect");
            let first = ws.next().await.expect("snapshot").expect("frame");
            assert!(matches!(first, Message::Text(_)));
            (tenant, ws)
        }
    }))
    .buffer_unordered(50);
    let mut sockets = Vec::with_capacity(clients);
    while let Some(s) = pending.next().await {
        sockets.push(s);
    }
    let connect_time = connect_started.elapsed();
    let (connected_rss, _) = proc_usage(pid);
    for (tenant, mut ws) in sockets {
        let sent_at = sent_at.clone();
        let tally = tally.clone();
        readers.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
            while let Some(Ok(frame)) = ws.next().await {
                let Message::Text(text) = frame else { continue };
                let now = origin.elapsed().as_micros() as u64;
                let Ok(frame) = serde_json::from_str::<Frame>(text.as_str()) else {
                    continue;
                };
                let (Some(event), "event") = (frame.event, frame.kind.as_str()) else {
                    continue;
                };
                // message = "<tenant>|<seq>"
                let mut parts = event.message.split('|');
                let (tagged, seq) = (
                    parts.next().unwrap_or(""),
                    parts.next().and_then(|s| s.parse::<usize>().ok()),
                );
                if event.tenant_id != tenant || tagged != tenant {
                    tally.cross_tenant.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                if event.message.ends_with("|stop") {
                    break;
                }
                if let Some(sent) = seq
                    .and_then(|s| sent_at.get(s))
                    .map(|a| a.load(Ordering::Relaxed))
                {
                    let _ = hist.record(now.saturating_sub(sent).max(1));
                    tally.delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
            hist
        }));
    }

    // Post at a steady rate, round-robin over the tenants.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    let period = Duration::from_nanos(1_000_000_000 / rate);
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let posting_started = Instant::now();
    let (_, cpu_before) = proc_usage(pid);
    let mut peak_rss = connected_rss;
    let mut posts = Vec::new();
    let events = (rate * seconds) as usize;
    let failed = Arc::new(AtomicU64::new(0));
    for seq in 0..events {
        tick.tick().await;
        let tenant = tenants[seq % tenant_count].clone();
        let (http, sent_at, failed, url) = (
            http.clone(),
            sent_at.clone(),
            failed.clone(),
            format!("{}/events", server.base),
        );
        posts.push(tokio::spawn(async move {
            sent_at[seq].store(origin.elapsed().as_micros() as u64, Ordering::Relaxed);
            let res = http
                .post(url)
                .header("X-Tenant-Id", &tenant)
                .json(&serde_json::json!({ "message": format!("{tenant}|{seq}") }))
                .send()
                .await;
            if !res.is_ok_and(|r| r.status() == 201) {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        }));
        if seq % (rate as usize / 2).max(1) == 0 {
            peak_rss = peak_rss.max(proc_usage(pid).0);
        }
    }
    for p in posts {
        let _ = p.await;
    }
    let posting_time = posting_started.elapsed();
    let (_, cpu_after) = proc_usage(pid);
    peak_rss = peak_rss.max(proc_usage(pid).0);
    // A last event per tenant tells its readers to stop (sent after every measured one).
    for tenant in &tenants {
        let _ = http
            .post(format!("{}/events", server.base))
            .header("X-Tenant-Id", tenant)
            .json(&serde_json::json!({ "message": format!("{tenant}|stop") }))
            .send()
            .await;
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    for r in readers {
        match tokio::time::timeout(Duration::from_secs(30), r).await {
            Ok(Ok(h)) => hist.add(h).expect("merge"),
            _ => eprintln!("a reader did not finish"),
        }
    }
    let delivered = tally.delivered.load(Ordering::Relaxed);
    let expected = (0..events)
        .map(|seq| {
            (0..clients)
                .filter(|c| c % tenant_count == seq % tenant_count)
                .count() as u64
        })
        .sum::<u64>();
    let ms = |us: u64| us as f64 / 1000.0;
    println!("feed_load: {clients} WebSocket clients over {tenant_count} tenants, {rate} events/s for {seconds} s");
    println!(
        "  connect: {} clients in {:.2} s",
        clients,
        connect_time.as_secs_f64()
    );
    println!(
        "  posted: {events} events in {:.2} s, {} failed",
        posting_time.as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );
    println!(
        "  delivered: {delivered} of {expected} expected deliveries ({:.0} deliveries/s)",
        delivered as f64 / posting_time.as_secs_f64()
    );
    println!(
        "  POST-to-delivery latency: p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms",
        ms(hist.value_at_quantile(0.5)),
        ms(hist.value_at_quantile(0.99)),
        ms(hist.value_at_quantile(0.999)),
        ms(hist.max())
    );
    println!(
        "  cross-tenant deliveries: {}",
        tally.cross_tenant.load(Ordering::Relaxed)
    );
    println!(
        "  server RSS: idle {:.1} MB, with clients {:.1} MB, peak {:.1} MB; server CPU {:.0} % of one core while posting",
        idle_rss as f64 / 1e6,
        connected_rss as f64 / 1e6,
        peak_rss as f64 / 1e6,
        100.0 * (cpu_after - cpu_before) / posting_time.as_secs_f64()
    );
    let cross = tally.cross_tenant.load(Ordering::Relaxed);
    if cross > 0 || delivered < expected {
        eprintln!(
            "FAIL: {cross} cross-tenant deliveries, {} missing",
            expected - delivered.min(expected)
        );
        std::process::exit(1);
    }
}
