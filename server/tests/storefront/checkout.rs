//! Catalogue, carts, checkout totals, idempotency, stock and order visibility over HTTP.

use super::client::Shop;
use crate::common::{error_code, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn the_catalogue_pages_by_cursor_and_filters_by_category_and_search() {
    let srv = TestServer::start(&[]).await;
    let shop = Shop::new(&srv, "token_user_a");
    let first: Value = shop
        .get("/api/v1/products?limit=5")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["products"].as_array().expect("list").len(), 5);
    let cursor = first["next_cursor"].as_str().expect("cursor");
    let second: Value = shop
        .get(&format!("/api/v1/products?limit=5&cursor={cursor}"))
        .await
        .json()
        .await
        .expect("json");
    let a = first["products"][4]["name"].as_str().expect("name");
    let b = second["products"][0]["name"].as_str().expect("name");
    assert!(a < b, "pages continue in order: {a} then {b}");
    let audio: Value = shop
        .get("/api/v1/products?category=Audio")
        .await
        .json()
        .await
        .expect("json");
    assert!(audio["products"]
        .as_array()
        .expect("list")
        .iter()
        .all(|p| p["category"] == "Audio"));
    let search: Value = shop
        .get("/api/v1/products?search=keyboard")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(search["products"][0]["sku"], "CMP-KBD");
    assert_eq!(
        error_code(shop.get("/api/v1/products?cursor=garbage").await).await,
        "validation"
    );
    assert_eq!(
        error_code(shop.get("/api/v1/products?limit=0").await).await,
        "validation"
    );
    let anon = reqwest::get(srv.url("/api/v1/products"))
        .await
        .expect("anon");
    assert_eq!(anon.status(), 401);
}

#[tokio::test]
async fn checkout_applies_summer10_then_vat_and_stores_the_order_at_the_price_paid() {
    let srv = TestServer::start(&[]).await;
    let shop = Shop::new(&srv, "token_user_a");
    let kbd = shop.product_id("CMP-KBD").await; // £99.00
    let cable = shop.product_id("AUD-CBL").await; // £14.99
    let cart = shop.new_cart().await;
    assert_eq!(shop.set_item(&cart, &kbd, 1).await.status(), 200);
    let res = shop.set_item(&cart, &cable, 2).await;
    let body: Value = res.json().await.expect("cart");
    assert_eq!(body["totals"]["subtotal_cents"], 12_898);

    let bad = shop
        .checkout(&cart, json!({ "promo_code": "WINTER50" }), None)
        .await;
    assert_eq!(bad.status(), 422);
    let err: Value = bad.json().await.expect("err");
    assert!(err["error"]["details"]["promo_code"].is_string(), "{err}");

    let res = shop
        .checkout(&cart, json!({ "promo_code": "summer10" }), Some("k-1"))
        .await;
    assert_eq!(res.status(), 201);
    let out: Value = res.json().await.expect("order");
    let totals = &out["order"]["totals"];
    // 128.98 − 12.90 (12.898 rounds up) = 116.08; VAT 23.216 → 23.22; total 139.30.
    assert_eq!(totals["subtotal_cents"], 12_898);
    assert_eq!(totals["discount_cents"], 1_290);
    assert_eq!(totals["vat_cents"], 2_322);
    assert_eq!(totals["total_cents"], 13_930);
    assert_eq!(out["order"]["promo_code"], "SUMMER10");
    assert_eq!(out["order"]["status"], "placed");
    assert_eq!(out["upsell"]["source"], "off");
    let id = out["order"]["id"].as_str().expect("id");

    // Price changes later do not rewrite the order.
    let admin = Shop::new(&srv, "token_admin_a");
    let res = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/products/{kbd}"),
            json!({ "price_cents": 1 }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let order: Value = shop
        .get(&format!("/api/v1/orders/{id}"))
        .await
        .json()
        .await
        .expect("order");
    assert_eq!(order["lines"][1]["unit_price_cents"], 9_900, "{order}");
    assert_eq!(shop.stock(&kbd).await, 34);

    let mine: Value = shop
        .get("/api/v1/orders")
        .await
        .json()
        .await
        .expect("orders");
    assert_eq!(mine["orders"][0]["id"], id);
}

#[tokio::test]
async fn an_idempotency_key_replays_the_order_and_refuses_another_cart() {
    let srv = TestServer::start(&[]).await;
    let shop = Shop::new(&srv, "token_user_a");
    let mouse = shop.product_id("CMP-MSE").await;
    let cart = shop.new_cart().await;
    shop.set_item(&cart, &mouse, 1).await;
    let first = shop.checkout(&cart, json!({}), Some("same-key")).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let again = shop.checkout(&cart, json!({}), Some("same-key")).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["order"]["id"], first["order"]["id"]);
    assert_eq!(shop.stock(&mouse).await, 59, "one unit reserved, not two");

    let other = shop.new_cart().await;
    shop.set_item(&other, &mouse, 2).await;
    let clash = shop.checkout(&other, json!({}), Some("same-key")).await;
    assert_eq!(clash.status(), 409);
    // Without a key, a checked-out cart cannot be bought twice either.
    assert_eq!(shop.checkout(&cart, json!({}), None).await.status(), 409);
    assert_eq!(
        shop.checkout(&cart, json!({}), Some("bad key"))
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn too_little_stock_changes_nothing() {
    let srv = TestServer::start(&[]).await;
    let admin = Shop::new(&srv, "token_admin_a");
    let scarce = admin.create_product("SCARCE-1", 1_000, 2).await;
    let plenty = admin.create_product("PLENTY-1", 500, 50).await;
    let shop = Shop::new(&srv, "token_user_a");
    let cart = shop.new_cart().await;
    shop.set_item(&cart, &plenty, 3).await;
    shop.set_item(&cart, &scarce, 2).await;
    // Someone else buys one of the two first.
    let rival = shop.new_cart().await;
    shop.set_item(&rival, &scarce, 1).await;
    assert_eq!(shop.checkout(&rival, json!({}), None).await.status(), 201);

    let res = shop.checkout(&cart, json!({}), None).await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.expect("err");
    assert_eq!(err["error"]["details"]["available"], 1, "{err}");
    assert_eq!(shop.stock(&plenty).await, 50, "no partial reservation");
    assert_eq!(shop.stock(&scarce).await, 1);
    // Over-stock quantities are refused when added, with the product named.
    let res = shop.set_item(&cart, &scarce, 5).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        error_code(shop.checkout(&shop.new_cart().await, json!({}), None).await).await,
        "validation"
    );
}

#[tokio::test]
async fn another_tenant_cannot_see_cart_or_buy_products_or_read_orders() {
    let srv = TestServer::start(&[]).await;
    let a = Shop::new(&srv, "token_user_a");
    let b = Shop::new(&srv, "token_admin_b");
    let a_product = a.product_id("CMP-LAP").await;
    let a_cart = a.new_cart().await;
    a.set_item(&a_cart, &a_product, 1).await;

    assert_eq!(
        b.get(&format!("/api/v1/products/{a_product}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        b.get(&format!("/api/v1/carts/{a_cart}")).await.status(),
        404
    );
    assert_eq!(b.set_item(&a_cart, &a_product, 1).await.status(), 404);
    let b_cart = b.new_cart().await;
    assert_eq!(
        b.set_item(&b_cart, &a_product, 1).await.status(),
        404,
        "cannot cart A's product"
    );
    assert_eq!(b.checkout(&a_cart, json!({}), None).await.status(), 404);
    let patch = b
        .send(
            Method::PATCH,
            &format!("/api/v1/products/{a_product}"),
            json!({ "stock": 0 }),
        )
        .await;
    assert_eq!(patch.status(), 404);
    assert!(b.products().await.iter().all(|p| p["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("company_b"))));

    let placed: Value = a
        .checkout(&a_cart, json!({}), None)
        .await
        .json()
        .await
        .expect("order");
    let order_id = placed["order"]["id"].as_str().expect("id");
    assert_eq!(
        b.get(&format!("/api/v1/orders/{order_id}")).await.status(),
        404
    );
    let b_all: Value = b
        .get("/api/v1/orders?all=true")
        .await
        .json()
        .await
        .expect("orders");
    assert_eq!(b_all["orders"].as_array().expect("list").len(), 0);
    // Within a tenant: a member cannot read another member's cart; the admin sees all orders.
    let admin_a = Shop::new(&srv, "token_admin_a");
    assert_eq!(
        admin_a
            .get(&format!("/api/v1/carts/{a_cart}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        admin_a
            .get(&format!("/api/v1/orders/{order_id}"))
            .await
            .status(),
        200
    );
    assert_eq!(a.get("/api/v1/orders?all=true").await.status(), 403);
}

#[tokio::test]
async fn only_admins_edit_the_catalogue_and_bad_input_is_named() {
    let srv = TestServer::start(&[]).await;
    let user = Shop::new(&srv, "token_user_a");
    let admin = Shop::new(&srv, "token_admin_a");
    let body = json!({ "sku": "NEW-1", "name": "New", "category": "Test", "price_cents": 100, "stock": 1 });
    assert_eq!(
        user.send(Method::POST, "/api/v1/products", body.clone())
            .await
            .status(),
        403
    );
    assert_eq!(
        admin
            .send(Method::POST, "/api/v1/products", body.clone())
            .await
            .status(),
        201
    );
    assert_eq!(
        admin
            .send(Method::POST, "/api/v1/products", body)
            .await
            .status(),
        409
    );
    let bad = admin
        .send(
            Method::POST,
            "/api/v1/products",
            json!({ "sku": "X", "name": "X", "category": "T", "price_cents": -5, "stock": 1 }),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let err: Value = bad.json().await.expect("err");
    assert!(err["error"]["details"]["price_cents"].is_string());
    let id = admin.product_id("NEW-1").await;
    let empty = admin
        .send(Method::PATCH, &format!("/api/v1/products/{id}"), json!({}))
        .await;
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn high_risk_orders_wait_for_review_and_rejecting_returns_the_stock() {
    let srv = TestServer::start(&[]).await;
    let shop = Shop::new(&srv, "token_user_a");
    let laptop = shop.product_id("CMP-LAP").await; // £1,299 each: 4 + VAT is over £5,000
    let cart = shop.new_cart().await;
    shop.set_item(&cart, &laptop, 4).await;
    let out: Value = shop
        .checkout(&cart, json!({}), None)
        .await
        .json()
        .await
        .expect("order");
    assert_eq!(out["order"]["status"], "held", "{out}");
    assert_eq!(out["order"]["risk_level"], "high");
    let id = out["order"]["id"].as_str().expect("id").to_string();
    assert_eq!(shop.stock(&laptop).await, 8);

    let admin = Shop::new(&srv, "token_admin_a");
    let queue: Value = admin
        .get("/api/v1/orders?all=true&status=held")
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(queue["orders"][0]["id"], id.as_str());
    let review = format!("/api/v1/orders/{id}/review");
    assert_eq!(
        shop.send(Method::POST, &review, json!({ "decision": "reject" }))
            .await
            .status(),
        403
    );
    let res = admin
        .send(
            Method::POST,
            &review,
            json!({ "decision": "reject", "note": "card mismatch" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(shop.stock(&laptop).await, 12, "stock returned");
    assert_eq!(
        admin
            .send(Method::POST, &review, json!({ "decision": "approve" }))
            .await
            .status(),
        409
    );
    let trail: Value = admin
        .get(&format!("/api/v1/orders/{id}/audit"))
        .await
        .json()
        .await
        .expect("trail");
    let actions: Vec<&str> = trail
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["held", "rejected"]);
    assert_eq!(trail[1]["actor"], "admin_a");
    assert_eq!(trail[1]["note"], "card mismatch");
    let b = Shop::new(&srv, "token_admin_b");
    assert_eq!(
        b.send(Method::POST, &review, json!({ "decision": "approve" }))
            .await
            .status(),
        404
    );
}
