//! A small, seeded Isolation Forest (Liu, Ting & Zhou, 2008).
//!
//! **Why our own and not a crate.** We looked for a maintained crate that takes a seed or an RNG:
//! `extended-isolation-forest` (0.2.3, last release 2022) draws from `thread_rng` inside
//! `Forest::from_slice`, so two trainings on the same data give different models;
//! `isolation_forest` (1.1.0, one release in 2021, 30 % documented) keys features by name in
//! hash maps, pulls in `csv` and offers no seed; `isoforest` brings `linfa` + `ndarray` for one
//! model, and `rustyml` a whole ML toolkit. Scores that repeat exactly are a requirement here
//! (tests, audits of a held order), and the standard algorithm is about a hundred lines, so we
//! wrote it with `rand` 0.8 and `rand_chacha` (`ChaCha8Rng::seed_from_u64`: portable, the same
//! stream on every platform and release of the crate).
//!
//! The algorithm as published: each of `trees` trees is grown on a random subsample of at most
//! `sample_size` (256) rows without replacement; a node splits on a random feature (among those
//! not constant in the node) at a uniform random value between its min and max, down to a height
//! limit of ⌈log₂ sample_size⌉. A point's path length in a tree is the depth of the leaf it lands
//! in plus c(leaf size), where c(n) = 2H(n−1) − 2(n−1)/n is the average path length of an
//! unsuccessful search in a binary search tree. The anomaly score is 2^(−E[h(x)] / c(ψ)): near 1
//! for points isolated quickly, about 0.5 or less for ordinary ones.

use rand::seq::index;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Euler–Mascheroni constant, for the harmonic-number approximation in `c(n)`.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// Average path length of an unsuccessful BST search over `n` points (the paper's c(n)).
pub fn average_path_length(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        _ => {
            let n = n as f64;
            2.0 * ((n - 1.0).ln() + EULER_GAMMA) - 2.0 * (n - 1.0) / n
        }
    }
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForestOptions {
    /// Number of trees (100 in the paper and scikit-learn).
    pub trees: usize,
    /// Rows drawn for each tree (256 in the paper and scikit-learn).
    pub sample_size: usize,
    /// Seed of the ChaCha8 stream that picks subsamples, features and split values.
    pub seed: u64,
}

impl Default for ForestOptions {
    fn default() -> Self {
        Self {
            trees: 100,
            sample_size: 256,
            seed: 0,
        }
    }
}

/// One node of a tree, stored flat: children are indexes into the same vector.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Split {
        feature: usize,
        value: f64,
        left: usize,
        right: usize,
    },
    Leaf {
        size: usize,
    },
}

/// A trained Isolation Forest over rows of `D` features.
#[derive(Clone, PartialEq)]
pub struct IsolationForest<const D: usize> {
    trees: Vec<Vec<Node>>,
    /// c(ψ) for the subsample size actually used: the score's normaliser.
    normaliser: f64,
}

impl<const D: usize> std::fmt::Debug for IsolationForest<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IsolationForest")
            .field("features", &D)
            .field("trees", &self.trees.len())
            .field("nodes", &self.trees.iter().map(Vec::len).sum::<usize>())
            .finish()
    }
}

impl<const D: usize> IsolationForest<D> {
    /// Grows the forest on `rows`. The same rows and options always give the same forest.
    /// Empty input gives an empty forest whose every score is 0.5 (no opinion).
    pub fn fit(rows: &[[f64; D]], options: ForestOptions) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let psi = options.sample_size.clamp(1, rows.len().max(1));
        let height_limit = (psi as f64).log2().ceil().max(1.0) as usize;
        let mut trees = Vec::with_capacity(options.trees);
        if !rows.is_empty() {
            for _ in 0..options.trees {
                let picked: Vec<usize> = index::sample(&mut rng, rows.len(), psi).into_vec();
                let mut nodes = Vec::new();
                grow(rows, picked, 0, height_limit, &mut rng, &mut nodes);
                trees.push(nodes);
            }
        }
        Self {
            trees,
            normaliser: average_path_length(psi),
        }
    }

    /// The anomaly score 2^(−E[h(x)] / c(ψ)), in (0, 1]; 0.5 when the forest is empty.
    pub fn score(&self, row: &[f64; D]) -> f64 {
        if self.trees.is_empty() || self.normaliser <= 0.0 {
            return 0.5;
        }
        let total: f64 = self.trees.iter().map(|t| path_length(t, row)).sum();
        let mean = total / self.trees.len() as f64;
        2f64.powf(-mean / self.normaliser)
    }

    /// Number of trees.
    pub fn len(&self) -> usize {
        self.trees.len()
    }

    /// True when the forest was fitted on no rows.
    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }
}

/// Builds the subtree for `picked` rows at `depth`; returns its root index in `nodes`.
fn grow<const D: usize>(
    rows: &[[f64; D]],
    picked: Vec<usize>,
    depth: usize,
    height_limit: usize,
    rng: &mut ChaCha8Rng,
    nodes: &mut Vec<Node>,
) -> usize {
    let at = nodes.len();
    nodes.push(Node::Leaf { size: picked.len() });
    if depth >= height_limit || picked.len() <= 1 {
        return at;
    }
    // Features that still vary in this node, with their ranges.
    let mut varying: Vec<(usize, f64, f64)> = Vec::with_capacity(D);
    let mut lo = [f64::INFINITY; D];
    let mut hi = [f64::NEG_INFINITY; D];
    for &i in &picked {
        for (f, &x) in rows[i].iter().enumerate() {
            lo[f] = lo[f].min(x);
            hi[f] = hi[f].max(x);
        }
    }
    for (feature, (&lo, &hi)) in lo.iter().zip(hi.iter()).enumerate() {
        if hi > lo {
            varying.push((feature, lo, hi));
        }
    }
    if varying.is_empty() {
        return at;
    }
    let (feature, lo, hi) = varying[rng.gen_range(0..varying.len())];
    let value = rng.gen_range(lo..hi);
    let (left_rows, right_rows): (Vec<usize>, Vec<usize>) =
        picked.into_iter().partition(|&i| rows[i][feature] < value);
    let left = grow(rows, left_rows, depth + 1, height_limit, rng, nodes);
    let right = grow(rows, right_rows, depth + 1, height_limit, rng, nodes);
    nodes[at] = Node::Split {
        feature,
        value,
        left,
        right,
    };
    at
}

/// h(x) in one tree: edges walked plus c(size) of the leaf reached.
fn path_length<const D: usize>(nodes: &[Node], row: &[f64; D]) -> f64 {
    let mut at = 0;
    let mut depth = 0.0;
    loop {
        match nodes.get(at) {
            Some(Node::Split {
                feature,
                value,
                left,
                right,
            }) => {
                at = if row[*feature] < *value {
                    *left
                } else {
                    *right
                };
                depth += 1.0;
            }
            Some(Node::Leaf { size }) => return depth + average_path_length(*size),
            None => return depth,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn cloud(seed: u64, n: usize) -> Vec<[f64; 2]> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|_| [rng.gen_range(-1.0..1.0), rng.gen_range(-1.0..1.0)])
            .collect()
    }

    #[test]
    fn c_n_matches_the_paper() {
        assert_eq!(average_path_length(1), 0.0);
        assert_eq!(average_path_length(2), 1.0);
        // c(256) ≈ 10.24 (2·(ln 255 + γ) − 2·255/256).
        assert!((average_path_length(256) - 10.244).abs() < 0.01);
    }

    #[test]
    fn same_seed_same_scores_and_other_seed_other_model() {
        let rows = cloud(7, 1000);
        let a = IsolationForest::fit(
            &rows,
            ForestOptions {
                seed: 1,
                ..Default::default()
            },
        );
        let b = IsolationForest::fit(
            &rows,
            ForestOptions {
                seed: 1,
                ..Default::default()
            },
        );
        let c = IsolationForest::fit(
            &rows,
            ForestOptions {
                seed: 2,
                ..Default::default()
            },
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
        for row in cloud(8, 50) {
            assert_eq!(a.score(&row).to_bits(), b.score(&row).to_bits());
        }
    }

    #[test]
    fn outliers_score_higher_than_the_crowd() {
        let rows = cloud(3, 2000);
        let forest = IsolationForest::fit(
            &rows,
            ForestOptions {
                seed: 9,
                ..Default::default()
            },
        );
        let centre = forest.score(&[0.0, 0.0]);
        let far = forest.score(&[6.0, -6.0]);
        assert!(centre < 0.5, "centre {centre}");
        assert!(far > 0.6 && far > centre + 0.2, "far {far}");
        assert_eq!(forest.len(), 100);
    }

    #[test]
    fn empty_and_constant_input_do_not_panic() {
        let empty = IsolationForest::<2>::fit(&[], ForestOptions::default());
        assert!(empty.is_empty());
        assert_eq!(empty.score(&[1.0, 1.0]), 0.5);
        let flat = IsolationForest::fit(&[[1.0, 1.0]; 10], ForestOptions::default());
        assert!(flat.score(&[1.0, 1.0]).is_finite());
    }
}
