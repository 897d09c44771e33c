//! Deterministic synthetic orders (seeded ChaCha8): the same seed and tenant give the same rows.
//! Shared by the `gen-dataset` binary and the `ingest_load` bench (included with `#[path]`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

const FIRST: [&str; 8] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
];
const LAST: [&str; 8] = [
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
];
const STATUSES: [&str; 5] = ["pending", "paid", "shipped", "delivered", "cancelled"];
/// Cumulative weights (of 100) for [`STATUSES`].
const STATUS_WEIGHTS: [u32; 5] = [10, 35, 60, 95, 100];
/// 2024-01-01T00:00:00Z; orders fall in the two years after it.
const EPOCH: i64 = 1_704_067_200;
const SPAN_SECS: i64 = 2 * 365 * 24 * 3600;

/// One generated item.
pub struct Item {
    pub product: u64,
    pub quantity: u32,
    pub unit_price_cents: u64,
}

/// One generated order (no total: the server computes it).
pub struct Order {
    pub id: u64,
    pub customer: u64,
    pub status: &'static str,
    pub created_at: String,
    pub items: Vec<Item>,
}

/// A per-tenant order stream.
pub struct OrderGen {
    rng: ChaCha8Rng,
    pub tenant: String,
    products: u64,
    customers: u64,
    next: u64,
    /// `Some(total)`: times follow order numbers (see [`OrderGen::chronological`]).
    chronological: Option<u64>,
}

impl OrderGen {
    /// Orders for `tenant`, seeded from `seed` and the tenant's position.
    pub fn new(seed: u64, tenant_index: u64, tenant: &str, products: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed ^ tenant_index.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            tenant: tenant.to_string(),
            products: products.max(1),
            customers: (products * 2).max(10),
            next: 0,
            chronological: None,
        }
    }

    /// Numbers the following orders from `id` on (disjoint chunks of one tenant's orders).
    #[allow(dead_code)]
    pub fn starting_at(mut self, id: u64) -> Self {
        self.next = id;
        self
    }

    /// Gives order number `n` of `total` a time at `n / total` of the span plus up to an hour
    /// of jitter — the order a shop's own export arrives in — instead of a uniformly random
    /// time. The other fields are drawn exactly as without it.
    #[allow(dead_code)]
    pub fn chronological(mut self, total: u64) -> Self {
        self.chronological = Some(total.max(1));
        self
    }

    /// The next order (1–5 items, 3 on average).
    pub fn next_order(&mut self) -> Order {
        let id = self.next;
        self.next += 1;
        let roll = self.rng.gen_range(0..100);
        let status = STATUSES[STATUS_WEIGHTS.iter().position(|w| roll < *w).unwrap_or(0)];
        let drawn = self.rng.gen_range(0..SPAN_SECS);
        let secs = match self.chronological {
            Some(total) => {
                let at = u128::from(id.min(total)) * SPAN_SECS as u128 / u128::from(total);
                EPOCH + i64::try_from(at).unwrap_or(SPAN_SECS) + drawn % 3600
            }
            None => EPOCH + drawn,
        };
        let created_at = chrono::DateTime::from_timestamp(secs, 0)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let n = self.rng.gen_range(1..=5);
        let items = (0..n)
            .map(|_| Item {
                product: self.rng.gen_range(0..self.products),
                quantity: self.rng.gen_range(1..=4),
                unit_price_cents: self.rng.gen_range(99..=50_000),
            })
            .collect();
        Order {
            id,
            customer: self.rng.gen_range(0..self.customers),
            status,
            created_at,
            items,
        }
    }

    /// Appends the next order as one NDJSON line.
    pub fn write_ndjson(&mut self, out: &mut Vec<u8>) {
        let o = self.next_order();
        let name = customer_name(o.customer);
        let _ = write!(
            out,
            r#"{{"order_id":"o-{:09}","tenant_id":"{}","customer_id":"c-{}","customer_name":"{name}","customer_email":"c{}@example.com","status":"{}","created_at":"{}","currency":"EUR","items":["#,
            o.id, self.tenant, o.customer, o.customer, o.status, o.created_at
        );
        for (i, it) in o.items.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(
                out,
                r#"{sep}{{"product_id":"p-{}","quantity":{},"unit_price":"{}.{:02}"}}"#,
                it.product,
                it.quantity,
                it.unit_price_cents / 100,
                it.unit_price_cents % 100
            );
        }
        out.extend_from_slice(b"]}\n");
    }
}

/// A customer's display name, from the customer number.
pub fn customer_name(customer: u64) -> String {
    let first = FIRST[usize::try_from(customer % 8).unwrap_or(0)];
    let last = LAST[usize::try_from(customer / 8 % 8).unwrap_or(0)];
    format!("{first} {last}")
}

/// Tenant ids: the two demo tenants first, then `tenant_03`, `tenant_04`, …
pub fn tenant_id(index: u64) -> String {
    match index {
        0 => "company_a".into(),
        1 => "company_b".into(),
        n => format!("tenant_{:02}", n + 1),
    }
}
