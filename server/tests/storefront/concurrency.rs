//! The flash sale: 500 concurrent one-unit checkouts from different carts against 100 units.

use super::client::Shop;
use crate::common::TestServer;
use serde_json::{json, Value};
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_checkouts_for_a_hundred_units_sell_exactly_a_hundred() {
    let srv = TestServer::start(&[]).await;
    let admin = Shop::new(&srv, "token_admin_a");
    let product = admin.create_product("FLASH-1", 999, 100).await;
    let shop = Shop::new(&srv, "token_user_a");
    let mut carts = Vec::new();
    for _ in 0..500 {
        let cart = shop.new_cart().await;
        assert_eq!(shop.set_item(&cart, &product, 1).await.status(), 200);
        carts.push(cart);
    }
    // The carts were filled while stock lasted; now everyone checks out at once.
    let tasks: Vec<_> = carts
        .into_iter()
        .enumerate()
        .map(|(i, cart)| {
            let http = shop.http.clone();
            let url = srv.url(&format!("/api/v1/carts/{cart}/checkout"));
            tokio::spawn(async move {
                let res = http
                    .post(url)
                    .bearer_auth("token_user_a")
                    .header("Idempotency-Key", format!("flash-{i}"))
                    .json(&json!({}))
                    .send()
                    .await
                    .expect("checkout");
                let status = res.status().as_u16();
                let body: Value = res.json().await.expect("json");
                (status, body)
            })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut sold_out = 0;
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match status {
            201 => assert!(ids.insert(body["order"]["id"].as_str().expect("id").to_string())),
            409 => sold_out += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(ids.len(), 100, "exactly 100 orders");
    assert_eq!(sold_out, 400);
    assert_eq!(shop.stock(&product).await, 0);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines WHERE product_id = ?")
        .bind(&product)
        .fetch_one(&srv.state.pool)
        .await
        .expect("count");
    assert_eq!(stored, 100, "no lost or doubled order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_retried_concurrently_places_one_order() {
    let srv = TestServer::start(&[]).await;
    let admin = Shop::new(&srv, "token_admin_a");
    let product = admin.create_product("FLASH-2", 999, 100).await;
    let shop = Shop::new(&srv, "token_user_a");
    let cart = shop.new_cart().await;
    shop.set_item(&cart, &product, 1).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let http = shop.http.clone();
            let url = srv.url(&format!("/api/v1/carts/{cart}/checkout"));
            tokio::spawn(async move {
                let res = http
                    .post(url)
                    .bearer_auth("token_user_a")
                    .header("Idempotency-Key", "double-click")
                    .json(&json!({}))
                    .send()
                    .await
                    .expect("checkout");
                let status = res.status().as_u16();
                let body: Value = res.json().await.expect("json");
                (status, body["order"]["id"].as_str().map(String::from))
            })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut created = 0;
    for t in tasks {
        let (status, id) = t.await.expect("task");
        assert!(status == 201 || status == 200, "status {status}");
        created += usize::from(status == 201);
        ids.insert(id.expect("order id"));
    }
    assert_eq!(created, 1, "one placement, the rest replays");
    assert_eq!(ids.len(), 1);
    assert_eq!(shop.stock(&product).await, 99);
}
