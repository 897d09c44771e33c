//! Totals: subtotal, promo discount, then VAT on the discounted amount.
//!
//! Exact decimal arithmetic on integer pence: rates are basis points (1 % = 100), and every
//! percentage is rounded once, half up, to the penny. No floating point touches money.

use super::model::Totals;
use crate::error::AppError;

/// VAT rate in basis points (20 %).
pub const VAT_BASIS_POINTS: i64 = 2_000;

/// A promo code and its discount on the subtotal, in basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promo {
    pub code: &'static str,
    pub basis_points: i64,
}

/// The promo codes the storefront knows (the brief's `SUMMER10`: 10 % off the subtotal).
pub const PROMOS: &[Promo] = &[Promo {
    code: "SUMMER10",
    basis_points: 1_000,
}];

/// Normalises a code the shopper typed (trimmed, case-insensitive). Blank means no code;
/// an unknown code is a validation error naming the field.
pub fn find_promo(code: Option<&str>) -> Result<Option<Promo>, AppError> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let upper = code.to_ascii_uppercase();
    PROMOS
        .iter()
        .find(|p| p.code == upper)
        .copied()
        .map(Some)
        .ok_or_else(|| {
            let shown: String = code.chars().take(40).collect();
            AppError::invalid_field(
                "promo_code",
                &format!("Promo code \"{shown}\" is not valid."),
            )
        })
}

/// `amount × basis_points / 10 000`, rounded half up to the penny (amounts are never negative).
pub fn percent_of(amount_cents: i64, basis_points: i64) -> i64 {
    let product = i128::from(amount_cents) * i128::from(basis_points);
    let rounded = (product + 5_000).div_euclid(10_000);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// Totals for a subtotal and an optional promo.
pub fn totals(subtotal_cents: i64, promo: Option<Promo>) -> Totals {
    let discount_cents = promo.map_or(0, |p| percent_of(subtotal_cents, p.basis_points));
    let taxable = subtotal_cents - discount_cents;
    let vat_cents = percent_of(taxable, VAT_BASIS_POINTS);
    Totals {
        subtotal_cents,
        discount_cents,
        vat_cents,
        total_cents: taxable + vat_cents,
    }
}

/// A line total, refusing overflow (prices and quantities are bounded by validation anyway).
pub fn line_total(unit_price_cents: i64, quantity: i64) -> Result<i64, AppError> {
    unit_price_cents
        .checked_mul(quantity)
        .ok_or_else(|| AppError::invalid_field("quantity", "That quantity is too large."))
}

/// Sums quantities per product (a cart may name one product on several lines), sorted by id so
/// stock rows are always updated in the same order.
pub fn merge_quantities<'a>(lines: impl IntoIterator<Item = (&'a str, i64)>) -> Vec<(String, i64)> {
    let mut merged = std::collections::BTreeMap::<&str, i64>::new();
    for (id, quantity) in lines {
        *merged.entry(id).or_default() += quantity;
    }
    merged
        .into_iter()
        .map(|(id, q)| (id.to_string(), q))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summer() -> Option<Promo> {
        find_promo(Some("SUMMER10")).expect("known code")
    }

    #[test]
    fn vat_applies_to_the_discounted_amount() {
        // £100.00, 10 % off → £90.00, VAT 20 % → £18.00, total £108.00.
        let t = totals(10_000, summer());
        assert_eq!(
            t,
            Totals {
                subtotal_cents: 10_000,
                discount_cents: 1_000,
                vat_cents: 1_800,
                total_cents: 10_800
            }
        );
    }

    #[test]
    fn without_a_promo_only_vat_is_added() {
        let t = totals(2_599, None);
        assert_eq!(t.discount_cents, 0);
        assert_eq!(t.vat_cents, 520); // 519.8 → 520
        assert_eq!(t.total_cents, 3_119);
    }

    #[test]
    fn rounding_is_half_up_to_the_penny_once_per_step() {
        assert_eq!(percent_of(5, 1_000), 1); // 0.5p → 1p
        assert_eq!(percent_of(4, 1_000), 0); // 0.4p → 0p
        assert_eq!(percent_of(1_234, 2_000), 247); // 246.8 → 247
                                                   // £12.35 with SUMMER10: discount 123.5 → 124, taxable 1 111, VAT 222.2 → 222.
        let t = totals(1_235, summer());
        assert_eq!(
            (t.discount_cents, t.vat_cents, t.total_cents),
            (124, 222, 1_333)
        );
        // The parts always add up exactly.
        for subtotal in [0, 1, 7, 99, 1_001, 123_457, 9_999_999] {
            let t = totals(subtotal, summer());
            assert_eq!(
                t.subtotal_cents - t.discount_cents + t.vat_cents,
                t.total_cents
            );
        }
    }

    #[test]
    fn promo_codes_are_trimmed_case_insensitive_and_unknown_ones_fail() {
        assert_eq!(find_promo(Some("  summer10 ")).expect("ok"), summer());
        assert_eq!(find_promo(Some("")).expect("blank"), None);
        assert_eq!(find_promo(None).expect("none"), None);
        let err = find_promo(Some("WINTER50")).expect_err("unknown");
        assert_eq!(err.status(), 422);
        assert!(err.message.contains("WINTER50"));
    }

    #[test]
    fn quantities_of_one_product_are_summed_and_sorted() {
        let merged = merge_quantities([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(merged, vec![("a".to_string(), 2), ("b".to_string(), 4)]);
    }

    #[test]
    fn huge_lines_are_refused_not_wrapped() {
        assert!(line_total(i64::MAX, 2).is_err());
        assert_eq!(line_total(1_999, 3).expect("fits"), 5_997);
    }
}
