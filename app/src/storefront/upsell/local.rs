//! The built-in recommender: no model, only the tenant's own order history and categories.
//!
//! Tiers, strongest first: products bought in the same past orders as the cart's products
//! (co-purchase), products of categories bought together with the cart's categories (from
//! history, or a small table of well-known pairs), then other products of the cart's categories.
//! Only the tenant's own orders count, and rejected orders never do. Ties go by name, then id.

use super::candidates::json_list;
use super::scoring::{rank, Signals};
use super::{RecommendFuture, Recommender, UpsellError, UpsellRequest};
use crate::storefront::model::CartLine;
use sqlx::SqlitePool;

/// The local recommender (the fallback of the model, and the default without one).
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalRecommender;

impl Recommender for LocalRecommender {
    fn recommend<'a>(&'a self, req: &'a UpsellRequest<'a>) -> RecommendFuture<'a> {
        Box::pin(async move {
            let signals = load_signals(req.pool, req.tenant_id, req.cart)
                .await
                .map_err(UpsellError::Database)?;
            Ok(rank(req.cart, req.candidates, &signals))
        })
    }
}

const PAIRS_SQL: &str = "\
WITH cart(product_id) AS (SELECT value FROM json_each(?2))
SELECT other.product_id, mine.product_id, COUNT(DISTINCT o.id)
FROM orders o
JOIN order_lines mine ON mine.order_id = o.id
JOIN order_lines other ON other.order_id = o.id AND other.product_id != mine.product_id
WHERE o.tenant_id = ?1 AND o.status != 'rejected'
  AND mine.product_id IN (SELECT product_id FROM cart)
GROUP BY other.product_id, mine.product_id";

const TOGETHER_SQL: &str = "\
WITH cart(product_id) AS (SELECT value FROM json_each(?2))
SELECT other.product_id, COUNT(DISTINCT o.id)
FROM orders o
JOIN order_lines mine ON mine.order_id = o.id
JOIN order_lines other ON other.order_id = o.id AND other.product_id != mine.product_id
WHERE o.tenant_id = ?1 AND o.status != 'rejected'
  AND mine.product_id IN (SELECT product_id FROM cart)
GROUP BY other.product_id";

const CATEGORY_PAIRS_SQL: &str = "\
WITH cats(category) AS (SELECT value FROM json_each(?2))
SELECT mine.category, other.category, COUNT(DISTINCT o.id)
FROM orders o
JOIN order_lines mine ON mine.order_id = o.id
JOIN order_lines other ON other.order_id = o.id AND other.category != mine.category
WHERE o.tenant_id = ?1 AND o.status != 'rejected'
  AND mine.category IN (SELECT category FROM cats)
GROUP BY mine.category, other.category";

/// Reads the co-purchase and category counts of the tenant's orders for `cart`.
pub async fn load_signals(
    pool: &SqlitePool,
    tenant_id: &str,
    cart: &[CartLine],
) -> Result<Signals, sqlx::Error> {
    let ids = json_list(cart.iter().map(|l| l.product_id.as_str()));
    let cats = json_list(cart.iter().map(|l| l.category.as_str()));
    let pairs = sqlx::query_as(PAIRS_SQL)
        .bind(tenant_id)
        .bind(&ids)
        .fetch_all(pool)
        .await?;
    let together: Vec<(String, i64)> = sqlx::query_as(TOGETHER_SQL)
        .bind(tenant_id)
        .bind(&ids)
        .fetch_all(pool)
        .await?;
    let category_pairs = sqlx::query_as(CATEGORY_PAIRS_SQL)
        .bind(tenant_id)
        .bind(&cats)
        .fetch_all(pool)
        .await?;
    Ok(Signals {
        pairs,
        together: together.into_iter().collect(),
        category_pairs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storefront::upsell::candidates::{load_candidates, MAX_CANDIDATES};
    use crate::storefront::upsell::fixtures::{cart_of, seeded_pool};
    use crate::storefront::upsell::RawSuggestion;

    async fn local(pool: &SqlitePool, tenant: &str, cart: &[&str]) -> Vec<RawSuggestion> {
        let cart = cart_of(cart);
        let candidates = load_candidates(pool, tenant, &cart, MAX_CANDIDATES)
            .await
            .expect("candidates");
        let req = UpsellRequest {
            pool,
            tenant_id: tenant,
            request_id: "req-test",
            cart: &cart,
            candidates: &candidates,
        };
        LocalRecommender.recommend(&req).await.expect("local")
    }

    fn ids(s: &[RawSuggestion]) -> Vec<&str> {
        s.iter().map(|s| s.product_id.as_str()).collect()
    }

    #[tokio::test]
    async fn co_purchases_rank_first_with_their_counts() {
        let pool = seeded_pool().await;
        let got = local(&pool, "shop_a", &["a_laptop"]).await;
        assert_eq!(ids(&got), ["a_mouse", "a_bag", "a_monitor", "a_laptop2"]);
        assert_eq!(got[0].reason, "Often bought with Laptop Pro (3 orders)");
        assert_eq!(got[1].reason, "Often bought with Laptop Pro (2 orders)");
        assert_eq!(got[2].reason, "Goes well with your Laptops");
        assert_eq!(got[3].reason, "More from Laptops, like your Laptop Pro");
        assert!(got.windows(2).all(|w| w[0].confidence >= w[1].confidence));
        assert!(got.iter().all(|s| (0.0..=1.0).contains(&s.confidence)));
    }

    #[tokio::test]
    async fn category_affinity_from_history_follows_co_purchases() {
        let pool = seeded_pool().await;
        let got = local(&pool, "shop_a", &["a_mouse"]).await;
        assert_eq!(ids(&got), ["a_laptop", "a_bag", "a_laptop2"]);
        assert_eq!(got[1].reason, "Often bought with Mouse (1 order)");
        assert_eq!(
            got[2].reason,
            "Shoppers who buy Accessories often add Laptops (5 orders)"
        );
    }

    #[tokio::test]
    async fn rejected_orders_out_of_stock_and_cart_items_never_count() {
        let pool = seeded_pool().await;
        let got = local(&pool, "shop_a", &["a_laptop", "a_mouse"]).await;
        // The case was bought with the laptop 3 times but is out of stock; the pen only
        // in a rejected order.
        for never in ["a_case", "a_pen", "a_laptop", "a_mouse"] {
            assert!(!ids(&got).contains(&never), "{never} in {got:?}");
        }
    }

    #[tokio::test]
    async fn another_tenants_orders_and_products_never_leak() {
        let pool = seeded_pool().await;
        // shop_b paired a_laptop with the pen and the cable four times.
        let got = local(&pool, "shop_a", &["a_laptop"]).await;
        assert!(!ids(&got).contains(&"b_cable") && !ids(&got).contains(&"a_pen"));
        // shop_b only ever sees its own cable.
        let b = local(&pool, "shop_b", &["a_laptop"]).await;
        assert!(ids(&b).iter().all(|id| *id == "b_cable"), "{b:?}");
    }

    #[tokio::test]
    async fn the_same_input_gives_the_same_answer() {
        let pool = seeded_pool().await;
        let first = local(&pool, "shop_a", &["a_monitor", "a_laptop"]).await;
        for _ in 0..5 {
            assert_eq!(
                local(&pool, "shop_a", &["a_laptop", "a_monitor"]).await,
                first
            );
        }
        assert_eq!(ids(&first)[0], "a_mouse");
    }
}
