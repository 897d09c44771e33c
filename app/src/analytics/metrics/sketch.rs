//! The sketches stored in the rollups and merged for `precision=approx`: a HyperLogLog++ of
//! customer ids and a t-digest of order totals, with their (stable) BLOB encodings.

use crate::error::AppError;
use hyperloglogplus::{HyperLogLog, HyperLogLogPlus};
use serde::{Deserialize, Serialize};
use std::hash::{BuildHasher, Hasher};
use tdigest::{Centroid, TDigest};

/// HyperLogLog++ precision: m = 2^14 registers, relative standard error 1.04/√m ≈ 0.81 %.
pub const HLL_PRECISION: u8 = 14;
/// t-digest compression (most centroids kept).
pub const TDIGEST_SIZE: usize = 100;
/// Relative standard error of the HyperLogLog estimate: 1.04 / √(2^p).
pub fn hll_relative_error() -> f64 {
    1.04 / f64::from(1u32 << HLL_PRECISION).sqrt()
}
/// Rank error claimed for t-digest percentiles: a centroid never holds more than ~n/δ points
/// (the k-size bound 4·n·q(1−q)/δ is largest at q = ½), and the estimate lies inside the
/// centroid around the asked rank, so its rank is off by at most 1/δ.
pub fn tdigest_rank_error() -> f64 {
    1.0 / TDIGEST_SIZE as f64
}

/// FNV-1a finished with MurmurHash3's fmix64: stable across Rust releases and processes (stored
/// sketches must hash new ids the way they hashed old ones), and well mixed in the high bits
/// the HyperLogLog index is taken from.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct StableHash;

/// The hasher [`StableHash`] builds.
#[derive(Debug, Clone, Copy)]
pub struct StableHasher(u64);

impl BuildHasher for StableHash {
    type Hasher = StableHasher;
    fn build_hasher(&self) -> StableHasher {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for StableHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Distinct-customer sketch.
pub type Hll = HyperLogLogPlus<str, StableHash>;

/// An empty customer sketch.
pub fn new_hll() -> Hll {
    // The precision is a constant inside the crate's bounds (4..=18).
    match HyperLogLogPlus::new(HLL_PRECISION, StableHash) {
        Ok(h) => h,
        Err(_) => unreachable!("HLL_PRECISION is within 4..=18"),
    }
}

/// Adds a customer id.
pub fn hll_insert(h: &mut Hll, customer_id: &str) {
    h.insert(customer_id);
}

/// The sketch as a BLOB (JSON of the crate's serde form: sparse sketches stay small).
pub fn hll_encode(h: &Hll) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(h).map_err(AppError::internal)
}

/// A stored sketch.
pub fn hll_decode(bytes: &[u8]) -> Result<Hll, AppError> {
    serde_json::from_slice(bytes).map_err(AppError::internal)
}

/// Merges `other` into `into` (same precision by construction).
pub fn hll_merge(into: &mut Hll, other: &Hll) -> Result<(), AppError> {
    into.merge(other).map_err(AppError::internal)
}

/// The distinct count estimate, rounded.
pub fn hll_count(h: &mut Hll) -> u64 {
    let c = h.count().round();
    if c.is_finite() && c > 0.0 {
        c as u64
    } else {
        0
    }
}

/// A digest of the given order totals.
pub fn digest_of(mut values: Vec<f64>) -> TDigest {
    values.sort_by(f64::total_cmp);
    TDigest::new_with_size(TDIGEST_SIZE).merge_sorted(values)
}

/// The digest as a BLOB: count, sum, min, max, then (mean, weight) per centroid, all f64 LE.
/// (The crate's serde feature pins proc-macro versions, so this encoding is ours.)
pub fn digest_encode(d: &TDigest) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + 16 * d.centroids().len());
    for v in [
        d.count(),
        d.sum(),
        d.min().unwrap_or(0.0),
        d.max().unwrap_or(0.0),
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for c in d.centroids() {
        out.extend_from_slice(&c.mean().to_le_bytes());
        out.extend_from_slice(&c.weight().to_le_bytes());
    }
    out
}

/// A stored digest.
pub fn digest_decode(bytes: &[u8]) -> Result<TDigest, AppError> {
    if bytes.len() < 32 || bytes.len() % 16 != 0 {
        return Err(AppError::internal("corrupt t-digest blob"));
    }
    let f = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
        f64::from_le_bytes(b)
    };
    let (count, sum, min, max) = (f(0), f(1), f(2), f(3));
    let centroids: Vec<Centroid> = (4..bytes.len() / 8)
        .step_by(2)
        .map(|i| Centroid::new(f(i), f(i + 1)))
        .collect();
    if centroids.is_empty() || count <= 0.0 {
        return Ok(TDigest::new_with_size(TDIGEST_SIZE));
    }
    Ok(TDigest::new(
        centroids,
        sum,
        count,
        Some(max),
        Some(min),
        TDIGEST_SIZE,
    ))
}

/// A quantile of a digest, rounded to whole cents (0 when empty).
pub fn digest_quantile(d: &TDigest, q: f64) -> i64 {
    d.estimate_quantile(q).map_or(0, |v| v.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hll_round_trips_merges_and_stays_within_its_error() {
        let (mut a, mut b) = (new_hll(), new_hll());
        for i in 0..30_000 {
            hll_insert(&mut a, &format!("c-{i}"));
        }
        for i in 20_000..50_000 {
            hll_insert(&mut b, &format!("c-{i}"));
        }
        let mut a = hll_decode(&hll_encode(&a).expect("enc")).expect("dec");
        hll_merge(&mut a, &b).expect("merge");
        let est = hll_count(&mut a) as f64;
        assert!(
            (est - 50_000.0).abs() / 50_000.0 < 3.0 * hll_relative_error(),
            "{est}"
        );
    }

    #[test]
    fn digests_round_trip_merge_and_keep_their_rank_error() {
        let values: Vec<f64> = (0..20_000u64)
            .map(|i| ((i * 7919) % 10_007) as f64)
            .collect();
        let parts: Vec<TDigest> = values
            .chunks(50)
            .map(|c| digest_decode(&digest_encode(&digest_of(c.to_vec()))).expect("dec"))
            .collect();
        let merged = TDigest::merge_digests(parts);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.5, 0.95] {
            let v = digest_quantile(&merged, q) as f64;
            let below = sorted.partition_point(|x| *x < v) as f64 / sorted.len() as f64;
            let upto = sorted.partition_point(|x| *x <= v) as f64 / sorted.len() as f64;
            let e = tdigest_rank_error();
            assert!(
                below <= q + e && upto >= q - e,
                "q={q} v={v} {below}..{upto}"
            );
        }
        assert!(digest_decode(&[1, 2, 3]).is_err());
    }
}
