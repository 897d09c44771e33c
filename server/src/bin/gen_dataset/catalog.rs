//! Deterministic catalogue data per tenant: products `p-0 … p-<n-1>` (the ids the orders use),
//! their price history (N samples each, ending at the product's current price) and stock events
//! (each a signed change, with the running stock and version), as NDJSON or CSV.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

/// The fixed category list (the dashboards group by these).
pub const CATEGORIES: [&str; 8] = [
    "electronics",
    "books",
    "home",
    "kitchen",
    "garden",
    "toys",
    "clothing",
    "sports",
];
/// 2024-01-01T00:00:00Z; samples fall in the two years after it.
const EPOCH: i64 = 1_704_067_200;
const SPAN_SECS: i64 = 2 * 365 * 24 * 3600;

/// Output shape.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Ndjson,
    Csv,
}

/// CSV headers of the three files.
pub const PRODUCTS_HEADER: &str = "product_id,tenant_id,name,category,price,currency,stock";
pub const PRICES_HEADER: &str = "event_id,tenant_id,product_id,price,currency,observed_at";
pub const STOCK_HEADER: &str = "tenant_id,product_id,delta,stock_after,version_after,created_at";

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn time(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Rows written per file.
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub products: u64,
    pub prices: u64,
    pub stock: u64,
}

/// What to generate for one tenant.
pub struct Spec<'a> {
    pub seed: u64,
    pub tenant_index: u64,
    pub tenant: &'a str,
    pub products: u64,
    /// Price samples per product.
    pub samples: u64,
    /// Stock events per product.
    pub moves: u64,
    pub shape: Shape,
}

/// Writes the tenant's products, price history and stock events to the three outputs.
pub fn write(
    spec: &Spec,
    p_out: &mut dyn Write,
    h_out: &mut dyn Write,
    s_out: &mut dyn Write,
) -> std::io::Result<Counts> {
    let Spec {
        seed,
        tenant_index,
        tenant,
        products,
        samples,
        moves,
        shape,
    } = *spec;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xCA7A_1065 ^ tenant_index.wrapping_mul(31));
    let mut counts = Counts::default();
    if shape == Shape::Csv {
        writeln!(p_out, "{PRODUCTS_HEADER}")?;
        writeln!(h_out, "{PRICES_HEADER}")?;
        writeln!(s_out, "{STOCK_HEADER}")?;
    }
    for p in 0..products {
        let category = CATEGORIES[rng.gen_range(0..CATEGORIES.len())];
        // History first (oldest to newest): a random walk whose last sample is the price.
        let mut price: i64 = rng.gen_range(99..=50_000);
        let mut t = EPOCH + rng.gen_range(0..SPAN_SECS / 2);
        for s in 0..samples {
            if s > 0 {
                // Mostly small moves, sometimes a jump past the anomaly threshold.
                let pct = if rng.gen_range(0..20) == 0 {
                    rng.gen_range(-50..=60)
                } else {
                    rng.gen_range(-8..=8)
                };
                price = (price + price * pct / 100).max(1);
                t += rng.gen_range(3600..=30 * 86_400);
            }
            let (id, at) = (format!("ph-{p}-{s}"), time(t));
            match shape {
                Shape::Ndjson => writeln!(
                    h_out,
                    r#"{{"event_id":"{id}","tenant_id":"{tenant}","product_id":"p-{p}","price":"{}","currency":"EUR","observed_at":"{at}"}}"#,
                    money(price)
                )?,
                Shape::Csv => writeln!(h_out, "{id},{tenant},p-{p},{},EUR,{at}", money(price))?,
            }
            counts.prices += 1;
        }
        let mut stock: i64 = 0;
        let mut t = EPOCH + rng.gen_range(0..SPAN_SECS / 2);
        for v in 1..=moves {
            let delta = if v == 1 {
                rng.gen_range(10..=500)
            } else {
                rng.gen_range(-stock.min(50)..=50)
            };
            stock += delta;
            t += rng.gen_range(600..=7 * 86_400);
            match shape {
                Shape::Ndjson => writeln!(
                    s_out,
                    r#"{{"tenant_id":"{tenant}","product_id":"p-{p}","delta":{delta},"stock_after":{stock},"version_after":{v},"created_at":"{}"}}"#,
                    time(t)
                )?,
                Shape::Csv => writeln!(s_out, "{tenant},p-{p},{delta},{stock},{v},{}", time(t))?,
            }
            counts.stock += 1;
        }
        let name = format!("Product {p}");
        match shape {
            Shape::Ndjson => writeln!(
                p_out,
                r#"{{"product_id":"p-{p}","tenant_id":"{tenant}","name":"{name}","category":"{category}","price":"{}","currency":"EUR","stock":{stock}}}"#,
                money(price)
            )?,
            Shape::Csv => writeln!(
                p_out,
                "p-{p},{tenant},{name},{category},{},EUR,{stock}",
                money(price)
            )?,
        }
        counts.products += 1;
    }
    Ok(counts)
}
