//! Collaborative docs load benchmark against the release `atrium` binary on loopback.
//!
//! 1. Editors: N simulated yrs clients (N = 10, then 100) on ONE document, each typing a word
//!    into its own paragraph R times a second for S seconds. Prints the updates accepted and
//!    relayed per second, the update-to-peer latency (sent by one editor → received by another)
//!    p50/p99/max, and whether every editor converged to the same content.
//! 2. A 50,000-word document: stored, its room unloaded, then the time for a fresh client to get
//!    it (cold: room load from SQLite + first sync) and again with the room loaded (warm).
//!
//! Then the server's RSS (VmRSS, peak VmHWM) and CPU.
//!
//! `cargo bench -p server --bench docs_load`. Settings by environment: DOCS_BENCH_EDITORS
//! ("10,100"), DOCS_BENCH_RATE (edits/s per editor, 2), DOCS_BENCH_SECONDS (15),
//! DOCS_BENCH_WORDS (50000).

#[path = "docs_load/client.rs"]
mod client;
#[path = "support/process.rs"]
mod process;

use client::{connect, frame, sync, SentAt};
use hdrhistogram::Histogram;
use std::time::{Duration, Instant};
use yrs::sync::{Message, SyncMessage};
use yrs::types::Attrs;
use yrs::{
    Any, Doc, ReadTxn, StateVector, Text, Transact, Xml, XmlElementPrelim, XmlFragment,
    XmlTextPrelim,
};

const TOKEN: &str = "token_admin_a";

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// A document owned by admin_a, written straight into the bench database.
async fn create_doc(db: &str, title: &str) -> String {
    let pool = sqlx::SqlitePool::connect(db).await.expect("db");
    let id = uuid::Uuid::new_v4().to_string();
    let now = chrono::Utc::now().to_rfc3339();
    sqlx::query(
        "INSERT INTO docs (id, tenant_id, owner_id, title, created_at, updated_at) \
         SELECT ?, 'company_a', id, ?, ?, ? FROM users WHERE username = 'admin_a'",
    )
    .bind(&id)
    .bind(title)
    .bind(&now)
    .bind(&now)
    .execute(&pool)
    .await
    .expect("insert doc");
    pool.close().await;
    id
}

fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

/// Phase 1 for `n` editors; false when they did not converge.
async fn editors(server: &process::Server, n: usize, rate: f64, seconds: u64) -> bool {
    let doc = create_doc(&server.db, &format!("{n} editors")).await;
    let mut sockets = Vec::with_capacity(n);
    for _ in 0..n {
        sockets.push(connect(&server.base, &doc, TOKEN).await);
    }
    let pid = server.child.id();
    let sent_at = SentAt::default();
    let start = Instant::now() + Duration::from_secs(2);
    let stop = start + Duration::from_secs(seconds);
    let drain = Duration::from_secs(3);
    let tasks: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(i, ws)| {
            tokio::spawn(client::editor(
                ws,
                i,
                rate,
                start,
                stop,
                drain,
                sent_at.clone(),
            ))
        })
        .collect();
    tokio::time::sleep_until(start.into()).await;
    let (cpu0, own0) = (
        process::proc_cpu_seconds(pid),
        process::proc_cpu_seconds(std::process::id()),
    );
    let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("hist");
    let (mut sent, mut received, mut contents) = (0, 0, Vec::new());
    for t in tasks {
        let tally = t.await.expect("editor");
        latency.add(&tally.latency).expect("merge");
        sent += tally.sent;
        received += tally.received;
        contents.push(tally.content);
    }
    let wall = seconds as f64;
    let (cpu, own) = (
        process::proc_cpu_seconds(pid) - cpu0,
        process::proc_cpu_seconds(std::process::id()) - own0,
    );
    let expected = sent * (n as u64 - 1);
    let converged = contents.windows(2).all(|w| w[0] == w[1]);
    println!("{n} editors on one document, {rate} edits/s each for {seconds} s:");
    println!(
        "  updates accepted {sent} ({:.0}/s); relayed to peers {received} of {expected} expected ({:.0}/s)",
        sent as f64 / wall,
        received as f64 / wall
    );
    println!(
        "  update-to-peer latency: p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms",
        ms(&latency, 0.5),
        ms(&latency, 0.99),
        ms(&latency, 0.999),
        latency.max() as f64 / 1000.0
    );
    println!(
        "  converged: {converged}; CPU over the phase: server {:.0} %, bench clients {:.0} % of one core; server VmRSS {:.1} MB",
        100.0 * cpu / wall,
        100.0 * own / wall,
        process::proc_status_bytes(pid, "VmRSS:") as f64 / 1e6
    );
    converged && received == expected
}

/// A document of `words` words: headings, paragraphs of 20 words, some bold.
fn big_doc(words: usize) -> Doc {
    let doc = Doc::new();
    let root = doc.get_or_insert_xml_fragment("prosemirror");
    let bold: Attrs = [("strong".into(), Any::Map(Default::default()))].into();
    let mut written = 0;
    let mut n = 0;
    while written < words {
        let mut txn = doc.transact_mut();
        if n % 50 == 0 {
            let h = root.push_back(&mut txn, XmlElementPrelim::empty("heading"));
            h.insert_attribute(&mut txn, "level", Any::from(2i64));
            h.push_back(
                &mut txn,
                XmlTextPrelim::new(format!("Section {}", n / 50 + 1)),
            );
        }
        let p = root.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
        let t = p.push_back(&mut txn, XmlTextPrelim::new(""));
        let body: Vec<String> = (0..20)
            .map(|i| format!("word{}", (n * 20 + i) % 997))
            .collect();
        let body = body.join(" ");
        t.insert(&mut txn, 0, &body);
        t.format(&mut txn, 0, 6, bold.clone());
        written += 20;
        n += 1;
    }
    doc
}

/// Phase 2: prints the cold and warm load times of a `words`-word document.
async fn big_document(server: &process::Server, words: usize) {
    let doc_id = create_doc(&server.db, "Big").await;
    let built = big_doc(words);
    let state = built
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let mut ws = connect(&server.base, &doc_id, TOKEN).await;
    sync(&mut ws, &Doc::new()).await;
    futures_util::SinkExt::send(
        &mut ws,
        frame(Message::Sync(SyncMessage::Update(state.clone()))),
    )
    .await
    .expect("send");
    // Wait until it is stored, then close: the room compacts and unloads.
    let pool = sqlx::SqlitePool::connect(&server.db).await.expect("db");
    let count = |sql: &'static str| {
        let (pool, id) = (pool.clone(), doc_id.clone());
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap_or(0)
        }
    };
    while count("SELECT COUNT(*) FROM doc_updates WHERE doc_id = ?").await == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = futures_util::SinkExt::close(&mut ws).await;
    drop(ws);
    while count("SELECT COUNT(*) FROM doc_updates WHERE doc_id = ?").await > 0
        || count("SELECT COUNT(*) FROM doc_snapshots WHERE doc_id = ?").await == 0
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let snapshot: i64 = count("SELECT LENGTH(data) FROM doc_snapshots WHERE doc_id = ?").await;
    pool.close().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let load = |label: &'static str| {
        let (base, id) = (server.base.clone(), doc_id.clone());
        async move {
            let started = Instant::now();
            let mut ws = connect(&base, &id, TOKEN).await;
            let doc = Doc::new();
            sync(&mut ws, &doc).await;
            let took = started.elapsed();
            let len = doc
                .get_or_insert_xml_fragment("prosemirror")
                .len(&doc.transact());
            println!(
                "  {label}: {:.1} ms (connect + sync step 1/2 + apply; {len} blocks)",
                took.as_secs_f64() * 1e3
            );
            ws
        }
    };
    println!(
        "{words}-word document ({} KB as one update, snapshot {} KB):",
        state.len() / 1024,
        snapshot / 1024
    );
    let cold = load("cold (room loaded from SQLite) first sync").await;
    let _warm = load("warm (room in memory) first sync").await;
    drop(cold);
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = setting("DOCS_BENCH_EDITORS", "10,100")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rate: f64 = setting("DOCS_BENCH_RATE", "2").parse().unwrap_or(2.0);
    let seconds: u64 = setting("DOCS_BENCH_SECONDS", "15").parse().unwrap_or(15);
    let words: usize = setting("DOCS_BENCH_WORDS", "50000")
        .parse()
        .unwrap_or(50_000);
    let server = process::start(&[], &[]).await;
    let pid = server.child.id();
    let idle_rss = process::proc_status_bytes(pid, "VmRSS:");
    let mut ok = true;
    for n in sizes {
        ok &= editors(&server, n.max(2), rate.max(0.1), seconds.max(1)).await;
    }
    big_document(&server, words).await;
    println!(
        "server memory: idle {:.1} MB, at the end VmRSS {:.1} MB, peak VmHWM {:.1} MB; server CPU {:.1} s",
        idle_rss as f64 / 1e6,
        process::proc_status_bytes(pid, "VmRSS:") as f64 / 1e6,
        process::proc_status_bytes(pid, "VmHWM:") as f64 / 1e6,
        process::proc_cpu_seconds(pid),
    );
    // The server's own view: how long appending a batch to SQLite took (before relaying it).
    let metrics = reqwest::get(format!("{}/metrics", server.base))
        .await
        .expect("metrics");
    let text = metrics.text().await.unwrap_or_default();
    let quantiles: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("docs_store_append_seconds{quantile="))
        .filter_map(|l| {
            let q = l.split('"').nth(1)?;
            let secs: f64 = l.rsplit(' ').next()?.parse().ok()?;
            Some(format!("q{q} {:.2} ms", secs * 1e3))
        })
        .collect();
    println!(
        "server: batch append to SQLite before relaying: {}",
        quantiles.join(", ")
    );
    drop(server);
    if !ok {
        eprintln!("FAIL: an editor phase did not converge or lost relayed updates");
        std::process::exit(1);
    }
}
