//! The checkout bench's plumbing: the release server in its own process on a temp database, a
//! small storefront client, latency histograms and /proc readings.

use hdrhistogram::Histogram;
use serde_json::{json, Value};
use std::time::Instant;

/// Latencies in microseconds, 1 µs to 60 s, 3 significant figures.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram")
}

/// Records the time since `started` (µs).
pub fn record(hist: &mut Histogram<u64>, started: Instant) {
    let _ = hist.record((started.elapsed().as_micros() as u64).max(1));
}

/// "p50 a ms, p95 b ms, p99 c ms, max d ms".
pub fn quantiles(hist: &Histogram<u64>, with_p95: bool) -> String {
    let ms = |us: u64| us as f64 / 1000.0;
    let p95 = if with_p95 {
        format!(" p95 {:.1} ms,", ms(hist.value_at_quantile(0.95)))
    } else {
        String::new()
    };
    format!(
        "p50 {:.1} ms,{p95} p99 {:.1} ms, max {:.1} ms (mean {:.1} ms, n {})",
        ms(hist.value_at_quantile(0.5)),
        ms(hist.value_at_quantile(0.99)),
        ms(hist.max()),
        hist.mean() / 1000.0,
        hist.len()
    )
}

pub use super::process::{proc_cpu_seconds, proc_status_bytes, Server};

/// The release server on a fresh demo database, upsell off, logging at `warn` only.
pub async fn start_server() -> Server {
    super::process::start(&[], &[("UPSELL_ENABLED", "false".to_string())]).await
}

/// The soft open-files limit of this process (the server inherits it).
pub fn open_files_limit() -> Option<u64> {
    std::fs::read_to_string("/proc/self/limits")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

/// The storefront API as one bearer token sees it.
#[derive(Clone)]
pub struct Shop {
    pub http: reqwest::Client,
    pub base: String,
    pub token: &'static str,
}

/// A checkout's HTTP status and the order's id and status when one came back.
pub struct Checkout {
    pub status: u16,
    pub order_id: Option<String>,
    pub order_status: Option<String>,
    pub body: String,
}

impl Shop {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<(u16, Value), String> {
        let res = req
            .bearer_auth(self.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let body = res.json().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    pub async fn create_product(&self, sku: &str, price_cents: i64, stock: i64) -> String {
        let body = json!({ "sku": sku, "name": format!("Bench {sku}"), "category": "Bench",
                           "price_cents": price_cents, "stock": stock });
        let req = self.http.post(self.url("/api/v1/products")).json(&body);
        let (status, p) = self.send(req).await.expect("create product");
        assert_eq!(status, 201, "create product: {p}");
        p["id"].as_str().expect("product id").to_string()
    }

    pub async fn stock(&self, product: &str) -> i64 {
        let req = self
            .http
            .get(self.url(&format!("/api/v1/products/{product}")));
        let (_, p) = self.send(req).await.expect("product");
        p["stock"].as_i64().expect("stock")
    }

    /// A new cart holding `quantity` of `product`: two requests (create, put item).
    pub async fn cart_with(&self, product: &str, quantity: i64) -> Result<String, String> {
        let req = self.http.post(self.url("/api/v1/carts"));
        let (status, cart) = self.send(req).await?;
        let id = match (status, cart["id"].as_str()) {
            (201, Some(id)) => id.to_string(),
            _ => return Err(format!("create cart: {status} {cart}")),
        };
        let req = self
            .http
            .put(self.url(&format!("/api/v1/carts/{id}/items")))
            .json(&json!({ "product_id": product, "quantity": quantity }));
        match self.send(req).await? {
            (200, _) => Ok(id),
            (status, body) => Err(format!("put item: {status} {body}")),
        }
    }

    pub async fn checkout(&self, cart: &str, key: &str) -> Checkout {
        let req = self
            .http
            .post(self.url(&format!("/api/v1/carts/{cart}/checkout")))
            .header("Idempotency-Key", key)
            .json(&json!({}));
        match self.send(req).await {
            Ok((status, body)) => Checkout {
                status,
                order_id: body["order"]["id"].as_str().map(String::from),
                order_status: body["order"]["status"].as_str().map(String::from),
                body: body.to_string(),
            },
            Err(e) => Checkout {
                status: 0,
                order_id: None,
                order_status: None,
                body: e,
            },
        }
    }
}
