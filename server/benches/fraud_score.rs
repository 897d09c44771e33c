//! Fraud scoring benchmark: training time, `FraudEngine::assess` latency on synthetic traffic,
//! and `assess_and_record` latency against a real SQLite file (history queries + insert).
//!
//! `cargo bench -p server --bench fraud_score` (release build). Settings by environment:
//! FRAUD_BENCH_ASSESS (100000 pure assessments), FRAUD_BENCH_RECORD (5000 recorded),
//! FRAUD_BENCH_USERS (200 users for the recorded run).

use app::storefront::fraud::rules::{Seen, UserHistory};
use app::storefront::fraud::service::{assess_and_record, FraudConfig, FraudEngine};
use app::storefront::fraud::Transaction;
use chrono::{DateTime, Duration, Utc};
use hdrhistogram::Histogram;
use std::hint::black_box;
use std::time::Instant;

const COUNTRIES: [&str; 6] = ["GB", "US", "FR", "DE", "ES", "IE"];
const CATEGORIES: [&str; 6] = [
    "groceries",
    "electronics",
    "clothing",
    "travel",
    "gift_cards",
    "restaurants",
];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A cheap deterministic generator (xorshift) so the workload repeats.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn amount(&mut self) -> f64 {
        // Mostly 5–500, sometimes up to ~20,000.
        let base = 5.0 + (self.next() % 49_500) as f64 / 100.0;
        if self.next().is_multiple_of(50) {
            base * 40.0
        } else {
            base
        }
    }
}

fn transaction(g: &mut Gen, i: u64, user: u64, at: DateTime<Utc>) -> Transaction {
    Transaction {
        id: format!("bench-{i}"),
        user_id: format!("user-{user}"),
        amount: g.amount(),
        location: g.pick(&COUNTRIES).to_string(),
        timestamp: at.to_rfc3339(),
        merchant_category: g.pick(&CATEGORIES).to_string(),
    }
}

fn report(name: &str, h: &Histogram<u64>) {
    let us = |v: u64| v as f64 / 1000.0;
    println!(
        "{name}: n={} p50={:.1} µs p99={:.1} µs max={:.1} µs",
        h.len(),
        us(h.value_at_quantile(0.50)),
        us(h.value_at_quantile(0.99)),
        us(h.max())
    );
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000_000, 3).expect("histogram bounds")
}

#[tokio::main]
async fn main() {
    let assess_n = setting("FRAUD_BENCH_ASSESS", 100_000);
    let record_n = setting("FRAUD_BENCH_RECORD", 5_000);
    let users = setting("FRAUD_BENCH_USERS", 200).max(1);

    let started = Instant::now();
    let engine = FraudEngine::train(FraudConfig::default());
    println!(
        "train: {:.1} ms ({} trees, anomaly threshold {:.3})",
        started.elapsed().as_secs_f64() * 1000.0,
        engine.config.trees,
        engine.anomaly_threshold()
    );

    // Pure scoring: rules + features + 100 trees.
    let mut g = Gen(0x5eed);
    let base: DateTime<Utc> = DateTime::parse_from_rfc3339("2025-01-20T00:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    let mut h = histogram();
    let mut flagged = 0u64;
    for i in 0..assess_n {
        let at = base + Duration::seconds((i * 17) as i64);
        let tx = transaction(&mut g, i, i % users, at);
        let history = UserHistory {
            count: i % 20,
            average_amount: Some(80.0 + (i % 7) as f64 * 10.0),
            nearby: vec![Seen {
                transaction_id: "prev".into(),
                location: g.pick(&COUNTRIES).to_string(),
                at: at - Duration::minutes((g.next() % 120) as i64),
            }],
        };
        let t0 = Instant::now();
        let a = black_box(engine.assess(black_box(&tx), black_box(&history)));
        let _ = h.record(t0.elapsed().as_nanos() as u64);
        if a.risk != app::storefront::fraud::RiskLevel::Low {
            flagged += 1;
        }
    }
    report("assess", &h);
    println!(
        "  flagged medium/high: {:.1} %",
        flagged as f64 * 100.0 / assess_n.max(1) as f64
    );

    // With storage: history queries and the insert against a WAL SQLite file.
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = server::db::connect(&url).await.expect("database");
    sqlx::query("INSERT INTO tenants (id, name) VALUES ('bench', 'Bench')")
        .execute(&pool)
        .await
        .expect("tenant");
    let mut h = histogram();
    let started = Instant::now();
    for i in 0..record_n {
        let at = base + Duration::seconds((i * 41) as i64);
        let tx = transaction(&mut g, i, i % users, at);
        let t0 = Instant::now();
        let a = assess_and_record(&pool, &engine, "bench", &tx, None).await;
        let _ = h.record(t0.elapsed().as_nanos() as u64);
        if let Err(e) = a {
            eprintln!("record failed: {e}");
            std::process::exit(1);
        }
    }
    let total = started.elapsed().as_secs_f64();
    report("assess_and_record (SQLite file)", &h);
    println!(
        "  {record_n} transactions over {users} users in {total:.2} s ({:.0}/s)",
        record_n as f64 / total
    );
    let p99_ms = h.value_at_quantile(0.99) as f64 / 1e6;
    println!(
        "target p99 < 5 ms: {}",
        if p99_ms < 5.0 { "met" } else { "MISSED" }
    );
}
