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

/// Distinct-customer sketch over [`customer_key`]s.
pub type Hll = HyperLogLogPlus<u64, StableHash>;

/// Most customer keys stored as a plain list; larger sets are stored as a sketch.
pub const LIST_MAX: usize = 256;
const TAG_LIST: u8 = 0;
const TAG_HLL: u8 = 1;

/// A customer id's stable 64-bit key: what the sketches count (lists store keys, so a list and
/// a sketch built from the same ids merge consistently).
pub fn customer_key(id: &str) -> u64 {
    let mut h = StableHash.build_hasher();
    h.write(id.as_bytes());
    h.finish()
}

/// An empty customer sketch.
pub fn new_hll() -> Hll {
    // The precision is a constant inside the crate's bounds (4..=18).
    match HyperLogLogPlus::new(HLL_PRECISION, StableHash) {
        Ok(h) => h,
        Err(_) => unreachable!("HLL_PRECISION is within 4..=18"),
    }
}

/// A rollup row's customers as a BLOB: up to [`LIST_MAX`] distinct keys as a list (8 bytes
/// each: most hour and product-day rows are small), else the HyperLogLog++ sketch (JSON of the
/// crate's serde form), behind a one-byte tag.
pub fn customers_encode(mut keys: Vec<u64>) -> Result<Vec<u8>, AppError> {
    keys.sort_unstable();
    keys.dedup();
    if keys.len() <= LIST_MAX {
        let mut out = Vec::with_capacity(1 + 8 * keys.len());
        out.push(TAG_LIST);
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        return Ok(out);
    }
    let mut h = new_hll();
    for k in &keys {
        h.insert(k);
    }
    let mut out = vec![TAG_HLL];
    serde_json::to_writer(&mut out, &h).map_err(AppError::internal)?;
    Ok(out)
}

/// The keys of a stored customers BLOB if it is a list (`None` for a sketch), read in place.
pub fn customer_list(blob: &[u8]) -> Result<Option<impl Iterator<Item = u64> + '_>, AppError> {
    match blob.split_first() {
        Some((&TAG_LIST, rest)) if rest.len().is_multiple_of(8) => {
            Ok(Some(rest.chunks_exact(8).map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                u64::from_le_bytes(b)
            })))
        }
        Some((&TAG_HLL, _)) => Ok(None),
        _ => Err(AppError::internal("corrupt customers blob")),
    }
}

/// Adds a stored customers BLOB to a sketch.
pub fn customers_merge(into: &mut Hll, blob: &[u8]) -> Result<(), AppError> {
    if let Some(keys) = customer_list(blob)? {
        for k in keys {
            into.insert(&k);
        }
        return Ok(());
    }
    let other: Hll =
        serde_json::from_slice(blob.get(1..).unwrap_or_default()).map_err(AppError::internal)?;
    into.merge(&other).map_err(AppError::internal)
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

/// A stored digest's count, sum, min and max.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DigestHeader {
    pub count: f64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
}

fn f64_at(bytes: &[u8], i: usize) -> f64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
    f64::from_le_bytes(b)
}

/// A stored digest's header, `None` when it is empty; checks the BLOB's shape.
pub fn digest_header(bytes: &[u8]) -> Result<Option<DigestHeader>, AppError> {
    if bytes.len() < 32 || !bytes.len().is_multiple_of(16) {
        return Err(AppError::internal("corrupt t-digest blob"));
    }
    let h = DigestHeader {
        count: f64_at(bytes, 0),
        sum: f64_at(bytes, 1),
        min: f64_at(bytes, 2),
        max: f64_at(bytes, 3),
    };
    Ok((bytes.len() > 32 && h.count > 0.0).then_some(h))
}

/// A stored digest's centroids, read in place (call [`digest_header`] first to check the BLOB).
pub fn digest_centroids(bytes: &[u8]) -> impl Iterator<Item = Centroid> + '_ {
    bytes
        .get(32..)
        .unwrap_or_default()
        .chunks_exact(16)
        .map(|c| Centroid::new(f64_at(c, 0), f64_at(c, 1)))
}

/// A stored digest.
pub fn digest_decode(bytes: &[u8]) -> Result<TDigest, AppError> {
    let Some(h) = digest_header(bytes)? else {
        return Ok(TDigest::new_with_size(TDIGEST_SIZE));
    };
    Ok(TDigest::new(
        digest_centroids(bytes).collect(),
        h.sum,
        h.count,
        Some(h.max),
        Some(h.min),
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
    fn customer_blobs_merge_lists_and_sketches_within_the_error() {
        let keys = |r: std::ops::Range<u32>| r.map(|i| customer_key(&format!("c-{i}"))).collect();
        let small = customers_encode(keys(0..100)).expect("list");
        assert_eq!(small.len(), 1 + 8 * 100);
        let big = customers_encode(keys(50..30_000)).expect("hll");
        let more = customers_encode(keys(20_000..50_000)).expect("hll");
        let mut h = new_hll();
        for b in [&small, &big, &more] {
            customers_merge(&mut h, b).expect("merge");
        }
        let est = hll_count(&mut h) as f64;
        assert!(
            (est - 50_000.0).abs() / 50_000.0 < 3.0 * hll_relative_error(),
            "{est}"
        );
        let mut h = new_hll();
        customers_merge(&mut h, &small).expect("merge");
        assert_eq!(hll_count(&mut h), 100);
        assert!(customers_merge(&mut h, &[7, 1]).is_err());
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
