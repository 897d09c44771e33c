//! The products an upsell may suggest: the tenant's in-stock catalogue minus the cart, best
//! first (bought together with the cart before, then the cart's categories, then by name).

use crate::storefront::model::CartLine;
use sqlx::SqlitePool;

/// Most candidates one checkout considers (and lists in the model's prompt).
pub const MAX_CANDIDATES: i64 = 50;

/// A product that may be suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub category: String,
    pub description: String,
    pub price_cents: i64,
    pub stock: i64,
    pub image_url: String,
}

type CandidateRow = (String, String, String, String, i64, i64, String);

/// `?1` tenant, `?2` the cart's product ids and `?3` its categories (JSON arrays), `?4` the cap.
/// Co-purchases count only the tenant's own orders that were not rejected.
const CANDIDATES_SQL: &str = "\
WITH cart(product_id) AS (SELECT value FROM json_each(?2)),
     cart_categories(category) AS (SELECT value FROM json_each(?3)),
     together(product_id, orders) AS (
         SELECT other.product_id, COUNT(DISTINCT o.id)
         FROM orders o
         JOIN order_lines mine ON mine.order_id = o.id
         JOIN order_lines other ON other.order_id = o.id
         WHERE o.tenant_id = ?1 AND o.status != 'rejected'
           AND mine.product_id IN (SELECT product_id FROM cart)
           AND other.product_id NOT IN (SELECT product_id FROM cart)
         GROUP BY other.product_id)
SELECT p.id, p.name, p.category, p.description, p.price_cents, p.stock, p.image_url
FROM products p
LEFT JOIN together t ON t.product_id = p.id
WHERE p.tenant_id = ?1
  AND p.stock > 0
  AND p.id NOT IN (SELECT product_id FROM cart)
ORDER BY COALESCE(t.orders, 0) DESC,
         (p.category IN (SELECT category FROM cart_categories)) DESC,
         p.name, p.id
LIMIT ?4";

/// The tenant's in-stock products not in `cart`, best first, at most `limit`.
pub async fn load_candidates(
    pool: &SqlitePool,
    tenant_id: &str,
    cart: &[CartLine],
    limit: i64,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let rows: Vec<CandidateRow> = sqlx::query_as(CANDIDATES_SQL)
        .bind(tenant_id)
        .bind(json_list(cart.iter().map(|l| l.product_id.as_str())))
        .bind(json_list(cart.iter().map(|l| l.category.as_str())))
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, category, description, price_cents, stock, image_url)| Candidate {
                id,
                name,
                category,
                description,
                price_cents,
                stock,
                image_url,
            },
        )
        .collect())
}

/// A JSON array of strings, for `json_each(?)`.
pub(crate) fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    serde_json::Value::Array(items.map(serde_json::Value::from).collect()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storefront::upsell::fixtures::{cart_of, seeded_pool};

    fn ids(c: &[Candidate]) -> Vec<&str> {
        c.iter().map(|c| c.id.as_str()).collect()
    }

    #[tokio::test]
    async fn in_stock_own_products_outside_the_cart_best_first() {
        let pool = seeded_pool().await;
        let got = load_candidates(&pool, "shop_a", &cart_of(&["a_laptop"]), MAX_CANDIDATES)
            .await
            .expect("candidates");
        // Bought together (mouse 3, bag 2), then the cart's category, then by name.
        assert_eq!(
            ids(&got),
            ["a_mouse", "a_bag", "a_laptop2", "a_monitor", "a_pen"]
        );
        assert!(got.iter().all(|c| c.stock > 0));
    }

    #[tokio::test]
    async fn the_cap_is_respected_and_an_empty_cart_lists_the_catalogue() {
        let pool = seeded_pool().await;
        let got = load_candidates(&pool, "shop_a", &[], 2)
            .await
            .expect("candidates");
        assert_eq!(ids(&got), ["a_bag", "a_laptop2"]);
    }

    #[test]
    fn json_lists_escape_quotes() {
        assert_eq!(json_list(["a\"b", "c"].into_iter()), r#"["a\"b","c"]"#);
    }
}
