//! Seeded synthetic training data, as the brief asks (`generate_synthetic_transactions(1000)`):
//! ordinary card spending plus ~10 % fraud-like rows (contamination 0.1).

use super::features::{category_risk, vector, FeatureVector, Inputs};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One generated row and whether it was drawn as fraud-like.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub features: FeatureVector,
    pub anomalous: bool,
}

/// Everyday categories with their weights (sum 100).
const EVERYDAY: [(&str, u32); 8] = [
    ("groceries", 30),
    ("restaurants", 18),
    ("clothing", 14),
    ("home", 10),
    ("electronics", 10),
    ("travel", 8),
    ("books", 5),
    ("beauty", 5),
];

/// Categories fraudsters favour.
const RISKY: [&str; 5] = ["electronics", "jewelry", "gift_cards", "crypto", "luxury"];

/// `n` rows, `contamination` of them fraud-like; the same seed always gives the same rows.
pub fn generate(n: usize, contamination: f64, seed: u64) -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let anomalies = ((n as f64) * contamination.clamp(0.0, 0.5)).round() as usize;
    (0..n)
        .map(|i| {
            if i < n - anomalies {
                Sample {
                    features: vector(&ordinary(&mut rng)),
                    anomalous: false,
                }
            } else {
                Sample {
                    features: vector(&fraud_like(&mut rng)),
                    anomalous: true,
                }
            }
        })
        .collect()
}

/// A standard normal draw (Box–Muller), to avoid a dependency on `rand_distr`.
fn normal(rng: &mut ChaCha8Rng, mean: f64, sd: f64) -> f64 {
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen_range(0.0..1.0);
    mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Ordinary spending: a median around 90, mostly in daytime, close to the user's usual amount.
fn ordinary(rng: &mut ChaCha8Rng) -> Inputs {
    let amount = normal(rng, 4.5, 1.3).exp().clamp(1.0, 4000.0);
    let hour = if rng.gen_bool(0.9) {
        normal(rng, 14.0, 3.5).clamp(6.0, 23.9)
    } else {
        rng.gen_range(0.0..24.0)
    };
    let ratio_to_average = rng
        .gen_bool(0.85)
        .then(|| normal(rng, 0.0, 0.6).clamp(-2.3, 2.0).exp());
    let mut pick = rng.gen_range(0..100);
    let mut category = EVERYDAY[0].0;
    for (name, weight) in EVERYDAY {
        if pick < weight {
            category = name;
            break;
        }
        pick -= weight;
    }
    Inputs {
        amount,
        hour,
        ratio_to_average,
        country_changed: rng.gen_bool(0.01),
        category_risk: category_risk(category),
    }
}

/// Fraud-like: at least two of a large amount, a night hour, far above the user's average, a
/// change of country, a risky category.
fn fraud_like(rng: &mut ChaCha8Rng) -> Inputs {
    let mut traits = [false; 5];
    while traits.iter().filter(|t| **t).count() < 2 {
        traits[rng.gen_range(0..5)] = true;
    }
    let amount = if traits[0] {
        rng.gen_range(8.0..10.5f64).exp()
    } else {
        normal(rng, 5.5, 1.0).exp().clamp(1.0, 4000.0)
    };
    let hour = if traits[1] {
        rng.gen_range(0.0..5.5)
    } else {
        rng.gen_range(0.0..24.0)
    };
    let ratio_to_average = if traits[2] {
        Some(rng.gen_range(2.5..5.5f64).exp())
    } else {
        rng.gen_bool(0.5)
            .then(|| normal(rng, 0.5, 1.0).clamp(-2.3, 3.0).exp())
    };
    let category = if traits[4] {
        RISKY[rng.gen_range(0..RISKY.len())]
    } else {
        EVERYDAY[rng.gen_range(0..EVERYDAY.len())].0
    };
    Inputs {
        amount,
        hour,
        ratio_to_average,
        country_changed: traits[3],
        category_risk: category_risk(category),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_contaminated_as_asked() {
        let a = generate(1000, 0.1, 42);
        assert_eq!(a, generate(1000, 0.1, 42));
        assert_ne!(a, generate(1000, 0.1, 43));
        assert_eq!(a.len(), 1000);
        assert_eq!(a.iter().filter(|s| s.anomalous).count(), 100);
        assert!(a.iter().all(|s| s.features.iter().all(|x| x.is_finite())));
    }
}
