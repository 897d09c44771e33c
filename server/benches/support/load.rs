//! Loading generated orders through the ingest endpoint, shared by the analytics benches.
//! Included with `#[path]`; the including bench declares `mod orders` (gen-dataset's generator).

use super::orders::OrderGen;
use futures_util::StreamExt;
use serde_json::Value;
use std::time::Instant;

/// NDJSON for company_a's orders `first..first + n` among `customers` customers, and the
/// number of items in it.
#[allow(dead_code)]
pub fn ndjson_chunk(first: u64, n: u64, customers: u64) -> (Vec<u8>, u64) {
    ndjson_chunk_timed(first, n, customers, None)
}

/// [`ndjson_chunk`]; with `Some(total)`, times follow order numbers over `total` orders
/// ([`OrderGen::chronological`]).
pub fn ndjson_chunk_timed(
    first: u64,
    n: u64,
    customers: u64,
    chronological: Option<u64>,
) -> (Vec<u8>, u64) {
    let mut g = OrderGen::new(7, first, "company_a", customers).starting_at(first);
    if let Some(total) = chronological {
        g = g.chronological(total);
    }
    let mut body = Vec::with_capacity(usize::try_from(n).unwrap_or(0) * 400);
    for _ in 0..n {
        g.write_ndjson(&mut body);
    }
    let items = body.windows(12).filter(|w| w == b"\"product_id\"").count() as u64;
    (body, items)
}

/// POSTs one NDJSON body as company_a's admin; returns the ingest report. Panics with the
/// response body on any status but 200.
pub async fn post_orders(client: &reqwest::Client, base: &str, body: Vec<u8>) -> Value {
    let res = client
        .post(format!("{base}/api/v1/ingest/orders/"))
        .bearer_auth("token_admin_a")
        .header("content-type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = res.status();
    if status != 200 {
        let body = res.text().await.unwrap_or_default();
        panic!("ingest: {status} {body}");
    }
    res.json().await.expect("report")
}

/// What [`load_orders`] did (each bench reads what it reports).
#[allow(dead_code)]
pub struct Loaded {
    pub inserted: u64,
    pub failed: u64,
    pub items: u64,
    pub requests: usize,
    pub secs: f64,
}

/// When [`load_orders`] generates each chunk's NDJSON.
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Generation {
    /// Just before sending it, on the same two cores as the server (timed).
    Inline,
    /// All chunks before the clock starts, like a client posting files that already exist
    /// (generation costs about as much CPU as the server's whole ingest).
    Ahead,
}

/// Loads orders `0..total` in requests of `size`, `concurrency` at a time.
#[allow(dead_code)]
pub async fn load_orders(
    base: &str,
    total: u64,
    size: u64,
    concurrency: usize,
    customers: u64,
) -> Loaded {
    load_orders_with(
        base,
        total,
        size,
        concurrency,
        customers,
        Generation::Inline,
        false,
    )
    .await
}

/// [`load_orders`] with the choice of when chunks are generated and, with `chronological`,
/// times that follow order numbers instead of uniformly random ones.
pub async fn load_orders_with(
    base: &str,
    total: u64,
    size: u64,
    concurrency: usize,
    customers: u64,
    generation: Generation,
    chronological: bool,
) -> Loaded {
    let client = reqwest::Client::new();
    let size = size.max(1);
    let starts: Vec<u64> = (0..total)
        .step_by(usize::try_from(size).unwrap_or(1))
        .collect();
    let times = chronological.then_some(total);
    let chunk =
        move |first: u64| ndjson_chunk_timed(first, size.min(total - first), customers, times);
    // One slot per chunk, filled now if generated ahead, else generated when its turn comes.
    let ready: Vec<Option<(Vec<u8>, u64)>> = starts
        .iter()
        .map(|&first| (generation == Generation::Ahead).then(|| chunk(first)))
        .collect();
    let started = Instant::now();
    let results: Vec<(u64, u64, u64)> = futures_util::stream::iter(starts.into_iter().zip(ready))
        .map(|(first, made)| {
            let client = client.clone();
            async move {
                let (body, items) = match made {
                    Some(made) => made,
                    None => tokio::task::spawn_blocking(move || chunk(first))
                        .await
                        .expect("generate"),
                };
                let report = post_orders(&client, base, body).await;
                let inserted = report["rows_inserted"].as_u64().unwrap_or(0);
                (inserted, report["rows_failed"].as_u64().unwrap_or(0), items)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    Loaded {
        inserted: results.iter().map(|r| r.0).sum(),
        failed: results.iter().map(|r| r.1).sum(),
        items: results.iter().map(|r| r.2).sum(),
        requests: results.len(),
        secs: started.elapsed().as_secs_f64(),
    }
}
