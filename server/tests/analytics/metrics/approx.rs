//! `precision=approx` on generated data stays within its stated error bounds of exact.

use super::{get, ingest, order};
use crate::common::TestServer;
use serde_json::Value;

/// SplitMix64: a tiny seeded generator, so the data (and the test's outcome) never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// Whether `v` lies between the true `q - eps` and `q + eps` quantiles of `sorted`.
fn rank_within(sorted: &[i64], v: i64, q: f64, eps: f64) -> bool {
    let n = sorted.len() as f64;
    let below = sorted.partition_point(|x| *x < v) as f64 / n;
    let upto = sorted.partition_point(|x| *x <= v) as f64 / n;
    below <= q + eps && upto >= q - eps
}

#[tokio::test]
async fn approx_is_within_its_bounds_on_24k_generated_orders() {
    let srv = TestServer::start(&[]).await;
    // 200 products in 8 categories: orders of up to 4 lines often hold two of one category.
    for i in 0..200 {
        sqlx::query(
            "INSERT INTO sales_products (tenant_id, product_id, name, category, price_cents, \
             updated_at) VALUES ('company_a', ?1, ?1, ?2, 100, '2026-01-01T00:00:00.000Z')",
        )
        .bind(format!("p-{i}"))
        .bind(format!("cat-{}", i % 8))
        .execute(&srv.state.pool)
        .await
        .expect("product");
    }
    let mut rng = Rng(42);
    let mut totals: Vec<i64> = Vec::new();
    let mut body = String::new();
    for i in 0..24_000u64 {
        let secs = rng.next(60 * 86_400);
        let at = chrono::DateTime::from_timestamp(1_767_225_600 + secs as i64, 0)
            .expect("time")
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let items: Vec<(String, u32, u64)> = (0..=rng.next(3))
            .map(|_| {
                (
                    format!("p-{}", rng.next(200)),
                    1 + rng.next(4) as u32,
                    99 + rng.next(20_000),
                )
            })
            .collect();
        totals.push(
            items
                .iter()
                .map(|(_, q, c)| i64::from(*q) * *c as i64)
                .sum(),
        );
        let items: Vec<(&str, u32, u64)> =
            items.iter().map(|(p, q, c)| (p.as_str(), *q, *c)).collect();
        let customer = format!("c-{}", rng.next(30_000));
        body.push_str(&order(&format!("o-{i}"), &customer, &at, &items));
        if i % 6000 == 5999 {
            ingest(&srv, std::mem::take(&mut body)).await;
        }
    }
    totals.sort_unstable();
    let range = "start_date=2026-01-01&end_date=2026-03-01";
    for g in ["day", "product", "category"] {
        let exact = get(&srv, &format!("{range}&group_by={g}")).await;
        let approx = get(&srv, &format!("{range}&group_by={g}&precision=approx")).await;
        let bounds = &approx["error_bounds"];
        let rel = bounds["unique_customers_relative"].as_f64().expect("rel");
        let eps = bounds["percentile_rank"].as_f64().expect("rank");
        let (e, a) = (&exact["totals"], &approx["totals"]);
        assert_eq!(e["orders"], 24_000);
        for k in ["orders", "units", "revenue_cents"] {
            assert_eq!(e[k], a[k], "{g} {k}");
        }
        let (ec, ac) = (count(e), count(a));
        assert!(
            (ac - ec).abs() <= rel * ec,
            "{g}: customers {ac} vs {ec} (±{rel})"
        );
        for (q, k) in [(0.5, "p50_order_cents"), (0.95, "p95_order_cents")] {
            assert_eq!(
                e[k].as_i64(),
                Some(totals[(totals.len() * (q * 100.0) as usize).div_ceil(100) - 1])
            );
            let v = a[k].as_i64().expect("p");
            assert!(rank_within(&totals, v, q, eps), "{g} {k}: {v}");
        }
        // Per group: same orders and sums, customers within three standard errors.
        let groups = |m: &Value| m["groups"].as_array().expect("groups").clone();
        let (eg, ag) = (groups(&exact), groups(&approx));
        assert_eq!(eg.len(), ag.len());
        for (e, a) in eg.iter().zip(&ag) {
            assert_eq!(
                (&e["key"], &e["orders"], &e["units"], &e["revenue_cents"]),
                (&a["key"], &a["orders"], &a["units"], &a["revenue_cents"])
            );
            let (ec, ac) = (count(e), count(a));
            assert!(
                (ac - ec).abs() <= (3.0 * rel * ec).max(1.0),
                "{g} {}: {ac} vs {ec}",
                e["key"]
            );
        }
    }
}

fn count(b: &Value) -> f64 {
    b["unique_customers"].as_f64().expect("customers")
}
