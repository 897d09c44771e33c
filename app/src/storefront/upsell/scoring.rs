//! The local recommender's scoring (pure, deterministic): co-purchase first, then category
//! affinity from history or well-known pairs, then the cart's own categories.

use super::candidates::Candidate;
use super::RawSuggestion;
use crate::storefront::model::CartLine;
use std::collections::BTreeMap;

/// Most suggestions the local recommender hands to validation.
const MAX_LOCAL: usize = 10;

/// Category pairs that go together in most shops (either way round, case-insensitive).
const COMPLEMENTS: &[(&str, &str)] = &[
    ("laptops", "accessories"),
    ("laptops", "monitors"),
    ("computers", "accessories"),
    ("computing", "accessories"),
    ("computing", "audio"),
    ("phones", "accessories"),
    ("electronics", "accessories"),
    ("cameras", "accessories"),
    ("audio", "accessories"),
    ("clothing", "accessories"),
    ("footwear", "clothing"),
    ("outdoor", "books"),
    ("kitchen", "books"),
    ("kitchen", "home"),
    ("books", "stationery"),
    ("office", "stationery"),
    ("garden", "tools"),
];

/// What the tenant's order history says about the cart.
#[derive(Debug, Default, Clone)]
pub struct Signals {
    /// (candidate id, cart product id) → orders with both.
    pub pairs: Vec<(String, String, i64)>,
    /// candidate id → orders with it and any cart product.
    pub together: BTreeMap<String, i64>,
    /// (cart category, other category) → orders with both.
    pub category_pairs: Vec<(String, String, i64)>,
}

/// Scores `candidates` (pure and deterministic): best first, at most [`MAX_LOCAL`].
pub fn rank(cart: &[CartLine], candidates: &[Candidate], signals: &Signals) -> Vec<RawSuggestion> {
    let mut scored: Vec<(f64, &Candidate, String)> = candidates
        .iter()
        .filter(|c| c.stock > 0 && !cart.iter().any(|l| l.product_id == c.id))
        .filter_map(|c| score(cart, c, signals).map(|(conf, reason)| (conf, c, reason)))
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    scored
        .into_iter()
        .take(MAX_LOCAL)
        .map(|(confidence, c, reason)| RawSuggestion {
            product_id: c.id.clone(),
            reason,
            confidence,
        })
        .collect()
}

/// The candidate's confidence and reason, or `None` when nothing links it to the cart.
fn score(cart: &[CartLine], c: &Candidate, signals: &Signals) -> Option<(f64, String)> {
    let together = signals.together.get(&c.id).copied().unwrap_or(0);
    if together > 0 {
        // The cart product bought with it most often (ties by name).
        let (partner, n) = cart
            .iter()
            .filter_map(|l| {
                signals
                    .pairs
                    .iter()
                    .find(|(cand, mine, _)| *cand == c.id && *mine == l.product_id)
                    .map(|p| (l.name.as_str(), p.2))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
        let confidence = 0.5 + 0.45 * ratio(together);
        return Some((
            round2(confidence),
            format!("Often bought with {partner} ({n} {})", orders(n)),
        ));
    }
    let from_history = signals
        .category_pairs
        .iter()
        .filter(|(_, other, _)| *other == c.category)
        .max_by(|a, b| a.2.cmp(&b.2).then_with(|| b.0.cmp(&a.0)));
    if let Some((mine, _, m)) = from_history {
        return Some((
            round2(0.3 + 0.15 * ratio(*m)),
            format!(
                "Shoppers who buy {mine} often add {} ({m} {})",
                c.category,
                orders(*m)
            ),
        ));
    }
    let mut cart_categories: Vec<&str> = cart.iter().map(|l| l.category.as_str()).collect();
    cart_categories.sort_unstable();
    if let Some(mine) = cart_categories.iter().find(|m| complements(m, &c.category)) {
        return Some((0.3, format!("Goes well with your {mine}")));
    }
    let like = cart
        .iter()
        .filter(|l| l.category == c.category)
        .map(|l| l.name.as_str())
        .min()?;
    Some((0.15, format!("More from {}, like your {like}", c.category)))
}

/// 0 → 0, 1 → 0.25, 3 → 0.5, growing towards 1 with the count.
fn ratio(n: i64) -> f64 {
    let n = n.max(0) as f64;
    n / (n + 3.0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn orders(n: i64) -> &'static str {
    if n == 1 {
        "order"
    } else {
        "orders"
    }
}

fn complements(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    COMPLEMENTS
        .iter()
        .any(|(x, y)| (a == *x && b == *y) || (a == *y && b == *x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storefront::upsell::fixtures::cart_of;

    fn ids(s: &[RawSuggestion]) -> Vec<&str> {
        s.iter().map(|s| s.product_id.as_str()).collect()
    }

    #[test]
    fn ties_go_by_name_then_id() {
        let cand = |id: &str, name: &str| Candidate {
            id: id.into(),
            name: name.into(),
            category: "Laptops".into(),
            description: String::new(),
            price_cents: 1,
            stock: 1,
            image_url: String::new(),
        };
        let got = rank(
            &cart_of(&["a_laptop"]),
            &[cand("z", "Beta"), cand("y", "Alpha"), cand("x", "Alpha")],
            &Signals::default(),
        );
        assert_eq!(ids(&got), ["x", "y", "z"]);
        assert!(complements("Laptops", "ACCESSORIES") && !complements("Laptops", "Pens"));
    }
}
