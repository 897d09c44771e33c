//! One group's running merge for `precision=approx`, small while the group is small: distinct
//! customer keys stay a plain list until there are more than [`sketch::LIST_MAX`] of them (only
//! then a HyperLogLog++), and t-digest input stays a flat list of centroids, folded into one
//! digest's centroids when it grows past [`FOLD_AT`].

use super::model::SalesBucket;
use super::sketch::{self, Hll};
use crate::error::AppError;
use hyperloglogplus::HyperLogLog;
use tdigest::{Centroid, TDigest};

/// Centroids kept before folding (a folded digest has at most `TDIGEST_SIZE` of them).
pub const FOLD_AT: usize = 4 * sketch::TDIGEST_SIZE;
/// Keys appended before the list is sorted and deduplicated (and checked against `LIST_MAX`).
const COMPACT_AT: usize = 2 * sketch::LIST_MAX;

/// A group's distinct customers.
#[derive(Debug)]
pub enum Customers {
    /// Keys, possibly repeated (compacted every [`COMPACT_AT`]); at most `LIST_MAX` distinct.
    List(Vec<u64>),
    /// More than `LIST_MAX` distinct keys.
    Sketch(Box<Hll>),
}

impl Customers {
    /// Adds a stored customers BLOB (see [`sketch::customers_encode`]).
    pub fn add_blob(&mut self, blob: &[u8]) -> Result<(), AppError> {
        match sketch::customer_list(blob)? {
            Some(keys) => match self {
                Self::List(list) => {
                    list.extend(keys);
                    if list.len() > COMPACT_AT {
                        self.compact();
                    }
                }
                Self::Sketch(h) => {
                    for k in keys {
                        h.insert(&k);
                    }
                }
            },
            None => sketch::customers_merge(self.sketch(), blob)?,
        }
        Ok(())
    }

    /// Sorts and dedups a list; turns it into a sketch if it holds more than `LIST_MAX` keys.
    fn compact(&mut self) {
        if let Self::List(list) = self {
            list.sort_unstable();
            list.dedup();
            if list.len() > sketch::LIST_MAX {
                self.sketch();
            }
        }
    }

    /// The sketch, converting a list first.
    fn sketch(&mut self) -> &mut Hll {
        if let Self::List(list) = self {
            let mut h = Box::new(sketch::new_hll());
            for k in list.iter() {
                h.insert(k);
            }
            *self = Self::Sketch(h);
        }
        match self {
            Self::Sketch(h) => h,
            Self::List(_) => unreachable!("converted above"),
        }
    }

    /// Whether the keys are still a list (exact count).
    pub fn is_list(&self) -> bool {
        matches!(self, Self::List(_))
    }

    /// Distinct customers: exact for a list, the sketch's estimate otherwise.
    pub fn count(&mut self) -> u64 {
        self.compact();
        match self {
            Self::List(list) => list.len() as u64,
            Self::Sketch(h) => sketch::hll_count(h),
        }
    }
}

/// Merged t-digest input: centroids plus the digest's count, sum, min and max.
#[derive(Debug, Default)]
pub struct Digest {
    centroids: Vec<Centroid>,
    count: f64,
    sum: f64,
    min: f64,
    max: f64,
}

impl Digest {
    /// Adds a stored digest BLOB (see [`sketch::digest_encode`]) without building a `TDigest`.
    pub fn add_blob(&mut self, blob: &[u8]) -> Result<(), AppError> {
        let Some(h) = sketch::digest_header(blob)? else {
            return Ok(());
        };
        if self.count > 0.0 {
            self.min = self.min.min(h.min);
            self.max = self.max.max(h.max);
        } else {
            (self.min, self.max) = (h.min, h.max);
        }
        self.count += h.count;
        self.sum += h.sum;
        self.centroids.extend(sketch::digest_centroids(blob));
        if self.centroids.len() > FOLD_AT {
            let folded = self.digest();
            self.centroids.clear();
            self.centroids.extend_from_slice(folded.centroids());
        }
        Ok(())
    }

    /// The merged digest (compressed to `TDIGEST_SIZE` centroids).
    fn digest(&mut self) -> TDigest {
        if self.centroids.is_empty() || self.count <= 0.0 {
            return TDigest::new_with_size(sketch::TDIGEST_SIZE);
        }
        TDigest::new(
            std::mem::take(&mut self.centroids),
            self.sum,
            self.count,
            Some(self.max),
            Some(self.min),
            sketch::TDIGEST_SIZE,
        )
    }

    /// Centroids held (for tests and memory accounting).
    pub fn len(&self) -> usize {
        self.centroids.len()
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.centroids.is_empty()
    }
}

/// One group being merged.
#[derive(Debug)]
pub struct Acc {
    orders: i64,
    units: i64,
    revenue: i64,
    /// The group's customers.
    pub customers: Customers,
    /// The group's order totals.
    pub totals: Digest,
}

impl Default for Acc {
    fn default() -> Self {
        Self {
            orders: 0,
            units: 0,
            revenue: 0,
            customers: Customers::List(Vec::new()),
            totals: Digest::default(),
        }
    }
}

impl Acc {
    /// Adds one rollup row.
    pub fn add(
        &mut self,
        orders: i64,
        units: i64,
        revenue: i64,
        customers: &[u8],
        digest: &[u8],
    ) -> Result<(), AppError> {
        self.orders += orders;
        self.units += units;
        self.revenue += revenue;
        self.customers.add_blob(customers)?;
        self.totals.add_blob(digest)
    }

    /// The group's bucket.
    pub fn finish(mut self, key: String) -> SalesBucket {
        let digest = self.totals.digest();
        SalesBucket {
            key,
            orders: u64::try_from(self.orders).unwrap_or(0),
            units: u64::try_from(self.units).unwrap_or(0),
            revenue_cents: self.revenue,
            unique_customers: self.customers.count(),
            p50_order_cents: sketch::digest_quantile(&digest, 0.5),
            p95_order_cents: sketch::digest_quantile(&digest, 0.95),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(r: std::ops::Range<u32>) -> Vec<u64> {
        r.map(|i| sketch::customer_key(&format!("c-{i}"))).collect()
    }

    fn list_blob(r: std::ops::Range<u32>) -> Vec<u8> {
        sketch::customers_encode(keys(r)).expect("encode")
    }

    #[test]
    fn customers_stay_an_exact_list_up_to_list_max_then_become_a_sketch() {
        let max = sketch::LIST_MAX as u32;
        let mut c = Customers::List(Vec::new());
        // Every key many times over: compaction runs repeatedly, the list keeps LIST_MAX keys.
        for _ in 0..10 {
            for start in (0..max).step_by(16) {
                c.add_blob(&list_blob(start..start + 16)).expect("add");
            }
        }
        assert!(c.is_list());
        assert_eq!(c.count(), u64::from(max));
        assert!(c.is_list());
        // One more distinct key: the next compaction switches to a sketch.
        c.add_blob(&list_blob(max..max + 1)).expect("add");
        assert!(c.is_list(), "not compacted yet");
        assert_eq!(c.count(), u64::from(max) + 1);
        assert!(!c.is_list());
        // Keys after the switch go into the sketch (sparse HLL++: near exact at this size).
        for _ in 0..3 {
            c.add_blob(&list_blob(0..2 * max)).expect("add");
        }
        assert!(u64::from(2 * max).abs_diff(c.count()) <= 2, "{}", c.count());
    }

    #[test]
    fn a_stored_sketch_switches_the_group_to_a_sketch_within_the_error() {
        let mut c = Customers::List(Vec::new());
        c.add_blob(&list_blob(0..100)).expect("list");
        assert!(c.is_list());
        c.add_blob(&list_blob(50..20_050)).expect("sketch blob");
        assert!(!c.is_list());
        let est = c.count() as f64;
        assert!(
            (est - 20_050.0).abs() / 20_050.0 < 3.0 * sketch::hll_relative_error(),
            "{est}"
        );
        assert!(c.add_blob(&[9, 9]).is_err());
    }

    #[test]
    fn digests_fold_past_the_bound_and_keep_their_rank_error() {
        let values: Vec<f64> = (0..50_000u64)
            .map(|i| ((i * 7919) % 10_007) as f64)
            .collect();
        let mut acc = Acc::default();
        for chunk in values.chunks(3) {
            let d = sketch::digest_encode(&sketch::digest_of(chunk.to_vec()));
            acc.add(1, 2, 3, &list_blob(0..1), &d).expect("add");
            assert!(acc.totals.len() <= FOLD_AT);
        }
        assert!(!acc.totals.is_empty());
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let b = acc.finish("k".into());
        assert_eq!((b.unique_customers, b.orders, b.units), (1, 16_667, 33_334));
        for (q, v) in [(0.5, b.p50_order_cents), (0.95, b.p95_order_cents)] {
            let v = v as f64;
            let below = sorted.partition_point(|x| *x < v) as f64 / sorted.len() as f64;
            let upto = sorted.partition_point(|x| *x <= v) as f64 / sorted.len() as f64;
            let e = sketch::tdigest_rank_error();
            assert!(
                below <= q + e && upto >= q - e,
                "q={q} v={v} {below}..{upto}"
            );
        }
        let mut empty = Acc::default();
        let none = sketch::digest_encode(&TDigest::new_with_size(sketch::TDIGEST_SIZE));
        empty.add(0, 0, 0, &list_blob(0..0), &none).expect("empty");
        assert_eq!(empty.finish(String::new()).p50_order_cents, 0);
        assert!(Acc::default()
            .add(1, 1, 1, &list_blob(0..1), &[1, 2])
            .is_err());
    }
}
