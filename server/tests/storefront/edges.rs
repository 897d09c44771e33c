//! The storefront endpoints the main flows do not reach with bad input or another tenant:
//! preview, order listing, review decisions and the audit trail.

use super::client::Shop;
use crate::common::{error_code, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn preview_is_tenant_scoped_and_names_a_bad_promo_code() {
    let srv = TestServer::start(&[]).await;
    let a = Shop::new(&srv, "token_user_a");
    let cart = a.new_cart().await;
    a.set_item(&cart, &a.product_id("CMP-MSE").await, 1).await;
    let ok: Value = a
        .get(&format!("/api/v1/carts/{cart}/preview?promo_code=summer10"))
        .await
        .json()
        .await
        .expect("preview");
    assert_eq!(ok["promo_code"], "SUMMER10");
    let bad = a
        .get(&format!("/api/v1/carts/{cart}/preview?promo_code=NOPE"))
        .await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.expect("envelope");
    assert!(body["error"]["details"]["promo_code"].is_string(), "{body}");
    let b = Shop::new(&srv, "token_admin_b");
    assert_eq!(
        error_code(b.get(&format!("/api/v1/carts/{cart}/preview")).await).await,
        "not_found"
    );
}

#[tokio::test]
async fn order_listing_refuses_bad_paging_with_the_envelope() {
    let srv = TestServer::start(&[]).await;
    let a = Shop::new(&srv, "token_user_a");
    assert_eq!(
        error_code(a.get("/api/v1/orders?limit=0").await).await,
        "validation"
    );
    assert_eq!(
        error_code(a.get("/api/v1/orders?limit=101").await).await,
        "validation"
    );
    assert_eq!(
        error_code(a.get("/api/v1/orders?before_id=x").await).await,
        "validation"
    );
    assert_eq!(
        error_code(a.get("/api/v1/orders?status=shipped").await).await,
        "bad_request"
    );
}

#[tokio::test]
async fn review_decisions_and_audit_are_checked_and_tenant_scoped() {
    let srv = TestServer::start(&[]).await;
    let shop = Shop::new(&srv, "token_user_a");
    let cart = shop.new_cart().await;
    shop.set_item(&cart, &shop.product_id("CMP-LAP").await, 4)
        .await;
    let out: Value = shop
        .checkout(&cart, json!({}), None)
        .await
        .json()
        .await
        .expect("order");
    let id = out["order"]["id"].as_str().expect("id").to_string();
    let admin = Shop::new(&srv, "token_admin_a");
    let review = format!("/api/v1/orders/{id}/review");
    let bad = admin
        .send(Method::POST, &review, json!({ "decision": "maybe" }))
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(error_code(bad).await, "validation");
    let other = Shop::new(&srv, "token_admin_b");
    assert_eq!(
        error_code(other.get(&format!("/api/v1/orders/{id}/audit")).await).await,
        "not_found"
    );
    assert_eq!(
        error_code(shop.get(&format!("/api/v1/orders/{id}/audit")).await).await,
        "forbidden"
    );
    assert_eq!(
        error_code(admin.get("/api/v1/orders/no-such-order/audit").await).await,
        "not_found"
    );
}
