//! The public shop's server functions: visitors browse and keep a session cart in one tenant's
//! shop, never another's; checkout and orders still need a signed-in member.

use crate::common::TestServer;
use serde_json::Value;

async fn call(
    client: &reqwest::Client,
    srv: &TestServer,
    fun: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(srv.url(&format!("/api/storefront/{fun}")))
        .form(form)
        .send()
        .await
        .expect("server fn")
}

#[tokio::test]
async fn a_visitor_keeps_a_cart_in_the_session_of_one_shop() {
    let srv = TestServer::start(&[]).await;
    let visitor = srv.browser();
    let res = call(
        &visitor,
        &srv,
        "cart/change",
        &[
            ("product_id", "company_a-acc-pad"),
            ("quantity", "2"),
            ("add", "true"),
            ("shop", "company_a"),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let cart: Value = res.json().await.expect("cart");
    assert_eq!(cart["item_count"], 2);
    let again: Value = call(&visitor, &srv, "cart", &[("shop", "company_a")])
        .await
        .json()
        .await
        .expect("cart");
    assert_eq!(again["id"], cart["id"], "the session keeps the cart");
    assert_eq!(again["item_count"], 2);

    // Another tenant's product cannot go in this shop's cart; unknown shops are 404.
    let foreign = call(
        &visitor,
        &srv,
        "cart/change",
        &[
            ("product_id", "company_b-out-tnt"),
            ("quantity", "1"),
            ("add", "true"),
            ("shop", "company_a"),
        ],
    )
    .await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(
        call(&visitor, &srv, "cart", &[("shop", "no_such_shop")])
            .await
            .status(),
        404
    );
    // Another browser has its own cart.
    let other: Value = call(&srv.browser(), &srv, "cart", &[("shop", "company_a")])
        .await
        .json()
        .await
        .expect("cart");
    assert_ne!(other["id"], cart["id"]);
    assert_eq!(other["item_count"], 0);

    // Without a shop, or for checkout and orders, a visitor must sign in.
    assert_eq!(call(&visitor, &srv, "cart", &[]).await.status(), 401);
    assert_eq!(
        call(&visitor, &srv, "checkout/place", &[("attempt_key", "k")])
            .await
            .status(),
        401
    );
    let orders = visitor
        .post(srv.url("/api/storefront/orders/list"))
        .json(&serde_json::json!({ "all": false, "status": null, "after": null }))
        .send()
        .await
        .expect("orders");
    assert_eq!(orders.status(), 401);

    // Signing in keeps the session's cart: it becomes the member's cart at checkout.
    let res = srv.sign_in(&visitor, "user_a", "atrium-demo").await;
    assert_eq!(res.status(), 200);
    let mine: Value = call(&visitor, &srv, "cart", &[])
        .await
        .json()
        .await
        .expect("cart");
    assert_eq!(mine["id"], cart["id"]);
    let placed = call(
        &visitor,
        &srv,
        "checkout/place",
        &[("attempt_key", "visitor-1")],
    )
    .await;
    assert_eq!(placed.status(), 200);
    let order: Value = placed.json().await.expect("order");
    assert_eq!(order["lines"][0]["quantity"], 2);
}

#[tokio::test]
async fn a_member_browsing_another_tenants_shop_shops_there_anonymously() {
    let srv = TestServer::start(&[]).await;
    let member = srv.signed_in("user_a").await;
    let page: Value = member
        .post(srv.url("/api/storefront/products"))
        .json(&serde_json::json!({ "query": { "limit": 100 }, "shop": "company_b" }))
        .send()
        .await
        .expect("products")
        .json()
        .await
        .expect("page");
    let products = page["products"].as_array().expect("list");
    assert!(!products.is_empty());
    assert!(products.iter().all(|p| p["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("company_b-"))));
    // Their own storefront is unchanged.
    let own: Value = member
        .post(srv.url("/api/storefront/products"))
        .json(&serde_json::json!({ "query": { "limit": 100 } }))
        .send()
        .await
        .expect("products")
        .json()
        .await
        .expect("page");
    assert!(own["products"]
        .as_array()
        .expect("list")
        .iter()
        .all(|p| p["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("company_a-"))));
}

#[tokio::test]
async fn order_lists_page_by_cursor_and_only_admins_list_everyone() {
    let srv = TestServer::start(&[]).await;
    let shop = super::client::Shop::new(&srv, "token_user_a");
    let mouse = shop.product_id("CMP-MSE").await;
    for _ in 0..27 {
        let cart = shop.new_cart().await;
        shop.set_item(&cart, &mouse, 1).await;
        assert_eq!(
            shop.checkout(&cart, serde_json::json!({}), None)
                .await
                .status(),
            201
        );
    }
    let member = srv.signed_in("user_a").await;
    let list = |body: serde_json::Value| {
        let member = member.clone();
        let url = srv.url("/api/storefront/orders/list");
        async move { member.post(url).json(&body).send().await.expect("list") }
    };
    let first: Value = list(serde_json::json!({ "all": false, "status": null, "after": null }))
        .await
        .json()
        .await
        .expect("page");
    let first_ids: Vec<&str> = first["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(first_ids.len(), 25);
    let second: Value =
        list(serde_json::json!({ "all": false, "status": null, "after": first["next"] }))
            .await
            .json()
            .await
            .expect("page");
    let second_ids: Vec<&str> = second["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(second_ids.len(), 2);
    assert!(second["next"].is_null());
    assert!(
        second_ids.iter().all(|id| !first_ids.contains(id)),
        "no order twice"
    );
    let everyone = list(serde_json::json!({ "all": true, "status": null, "after": null })).await;
    assert_eq!(everyone.status(), 403);
    let admin: Value = srv
        .signed_in("admin_a")
        .await
        .post(srv.url("/api/storefront/orders/list"))
        .json(&serde_json::json!({ "all": true, "status": "placed", "after": null }))
        .send()
        .await
        .expect("admin list")
        .json()
        .await
        .expect("page");
    assert_eq!(admin["orders"].as_array().expect("orders").len(), 25);
    assert!(admin["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .all(|o| o["status"] == "placed"));
}
