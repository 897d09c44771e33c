//! The rules every recommender's answer passes before a shopper sees it (pure, no I/O).
//!
//! Unknown ids, products already in the cart, out-of-stock products and repeats are dropped;
//! a confidence that is not a number drops the suggestion, any other is clamped to 0–1; reasons
//! are single-line and at most [`MAX_REASON_CHARS`] characters; the best [`MAX_SUGGESTIONS`] stay.

use super::candidates::Candidate;
use super::RawSuggestion;
use crate::storefront::model::{CartLine, Suggestion};
use std::collections::HashSet;

/// Most suggestions one checkout shows.
pub const MAX_SUGGESTIONS: usize = 3;

/// Longest reason shown, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// The reason shown when a recommender gave none.
const DEFAULT_REASON: &str = "Complements the items in your cart";

/// Applies the rules to `raw` against the tenant's `candidates`, best first.
pub fn validate(
    raw: Vec<RawSuggestion>,
    cart: &[CartLine],
    candidates: &[Candidate],
) -> Vec<Suggestion> {
    let in_cart: HashSet<&str> = cart.iter().map(|l| l.product_id.as_str()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<Suggestion> = Vec::new();
    for s in raw {
        let id = s.product_id.trim();
        let Some(product) = candidates.iter().find(|c| c.id == id) else {
            continue;
        };
        if in_cart.contains(id) || product.stock <= 0 || !s.confidence.is_finite() {
            continue;
        }
        if !seen.insert(id.to_string()) {
            continue;
        }
        let reason = clip(&one_line(&s.reason), MAX_REASON_CHARS);
        out.push(Suggestion {
            product_id: product.id.clone(),
            name: product.name.clone(),
            price_cents: product.price_cents,
            image_url: product.image_url.clone(),
            reason: if reason.is_empty() {
                DEFAULT_REASON.to_string()
            } else {
                reason
            },
            confidence: s.confidence.clamp(0.0, 1.0),
        });
    }
    // Stable: equal confidences keep the recommender's order.
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    out.truncate(MAX_SUGGESTIONS);
    out
}

/// Control characters and runs of whitespace become single spaces; ends trimmed.
pub(crate) fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `max` characters of `s`, ending in `…` when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: &str, stock: i64) -> Candidate {
        Candidate {
            id: id.into(),
            name: format!("Name {id}"),
            category: "Accessories".into(),
            description: String::new(),
            price_cents: 1_000,
            stock,
            image_url: format!("/img/{id}.png"),
        }
    }

    fn raw(id: &str, confidence: f64, reason: &str) -> RawSuggestion {
        RawSuggestion {
            product_id: id.into(),
            reason: reason.into(),
            confidence,
        }
    }

    fn line(id: &str) -> CartLine {
        CartLine {
            product_id: id.into(),
            name: "In cart".into(),
            category: "Laptops".into(),
            image_url: String::new(),
            unit_price_cents: 100,
            quantity: 1,
            line_total_cents: 100,
            stock: 5,
        }
    }

    fn ids(s: &[Suggestion]) -> Vec<&str> {
        s.iter().map(|s| s.product_id.as_str()).collect()
    }

    #[test]
    fn unknown_in_cart_out_of_stock_and_repeated_ids_are_dropped() {
        let cands = [candidate("a", 3), candidate("b", 0), candidate("c", 1)];
        let got = validate(
            vec![
                raw("zzz", 0.9, "unknown"),
                raw("b", 0.9, "no stock"),
                raw("cart", 0.9, "already there"),
                raw(" a ", 0.5, "first"),
                raw("a", 0.8, "again"),
            ],
            &[line("cart")],
            &cands,
        );
        assert_eq!(ids(&got), ["a"]);
        assert_eq!(got[0].reason, "first");
        assert_eq!(got[0].name, "Name a");
        assert_eq!(got[0].price_cents, 1_000);
        assert_eq!(got[0].image_url, "/img/a.png");
    }

    #[test]
    fn a_candidate_that_is_also_in_the_cart_is_dropped() {
        let got = validate(vec![raw("a", 0.9, "x")], &[line("a")], &[candidate("a", 3)]);
        assert!(got.is_empty());
    }

    #[test]
    fn confidence_is_clamped_and_non_numbers_drop_the_suggestion() {
        let cands = [
            candidate("a", 1),
            candidate("b", 1),
            candidate("c", 1),
            candidate("d", 1),
        ];
        let got = validate(
            vec![
                raw("a", 7.0, "high"),
                raw("b", -2.0, "low"),
                raw("c", f64::NAN, "nan"),
                raw("d", f64::INFINITY, "inf"),
            ],
            &[],
            &cands,
        );
        assert_eq!(ids(&got), ["a", "b"]);
        assert_eq!(got[0].confidence, 1.0);
        assert_eq!(got[1].confidence, 0.0);
    }

    #[test]
    fn at_most_three_best_first_and_ties_keep_their_order() {
        let cands: Vec<Candidate> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|id| candidate(id, 2))
            .collect();
        let got = validate(
            vec![
                raw("a", 0.2, "r"),
                raw("b", 0.9, "r"),
                raw("c", 0.5, "r"),
                raw("d", 0.5, "r"),
                raw("e", 0.7, "r"),
            ],
            &[],
            &cands,
        );
        assert_eq!(ids(&got), ["b", "e", "c"]);
    }

    #[test]
    fn reasons_are_one_line_limited_and_never_empty() {
        let long = "word ".repeat(100);
        let got = validate(
            vec![
                raw("a", 0.9, &long),
                raw("b", 0.8, "  two\nlines\t here "),
                raw("c", 0.7, "   "),
            ],
            &[],
            &[candidate("a", 1), candidate("b", 1), candidate("c", 1)],
        );
        assert_eq!(got[0].reason.chars().count(), MAX_REASON_CHARS);
        assert!(got[0].reason.ends_with('…'));
        assert_eq!(got[1].reason, "two lines here");
        assert_eq!(got[2].reason, DEFAULT_REASON);
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("ééé", 3), "ééé");
        assert_eq!(clip("éééé", 3), "éé…");
        assert_eq!(clip("", 0), "");
    }
}
