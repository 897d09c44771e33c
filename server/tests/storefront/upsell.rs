//! Upsell at checkout over HTTP, against a stub OpenAI-compatible model on loopback: the flag,
//! a valid answer, and every way the model can fail without costing the order.

use super::client::Shop;
use crate::common::openai_stub::{Mode, OpenAiStub};
use crate::common::TestServer;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const LOCAL_LABEL: &str = "Suggested by the built-in recommender (local, no AI model)";

/// A server with the upsell on, asking `stub` with this timeout.
async fn server_with(stub: &OpenAiStub, timeout_ms: &str) -> TestServer {
    TestServer::start(&[
        "--upsell-enabled",
        "true",
        "--ai-base-url",
        &stub.url,
        "--ai-timeout-ms",
        timeout_ms,
        "--ai-model",
        "stub-model",
        "--ai-api-key",
        "sk-stub",
    ])
    .await
}

/// user_a checks out an ultrabook and a cable: the 201 body and how long it took.
async fn checkout(srv: &TestServer) -> (Value, Vec<String>, Duration) {
    let shop = Shop::new(srv, "token_user_a");
    let in_cart = vec![
        shop.product_id("CMP-LAP").await,
        shop.product_id("AUD-CBL").await,
    ];
    let cart = shop.new_cart().await;
    for id in &in_cart {
        assert_eq!(shop.set_item(&cart, id, 1).await.status(), 200);
    }
    let key = uuid::Uuid::new_v4().to_string();
    let started = Instant::now();
    let res = shop.checkout(&cart, json!({}), Some(&key)).await;
    let elapsed = started.elapsed();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.expect("checkout json");
    assert!(
        body["order"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "order placed: {body}"
    );
    (body, in_cart, elapsed)
}

fn assert_local_fallback(upsell: &Value, reason: &str) {
    assert_eq!(upsell["source"], "local", "{upsell}");
    assert_eq!(upsell["label"], LOCAL_LABEL);
    let why = upsell["fallback_reason"].as_str().unwrap_or_default();
    assert!(
        why.contains(reason) && why.ends_with("showing local suggestions"),
        "{why}"
    );
    assert!(upsell["suggestions"]
        .as_array()
        .is_some_and(|s| s.len() <= 3));
}

#[tokio::test]
async fn with_the_flag_off_checkout_has_no_suggestions() {
    let stub = OpenAiStub::start(Mode::Valid).await;
    let srv = TestServer::start(&["--ai-base-url", &stub.url]).await;
    let (body, _, _) = checkout(&srv).await;
    assert_eq!(body["upsell"]["source"], "off");
    assert_eq!(body["upsell"]["suggestions"], json!([]));
    assert!(stub.received().is_empty(), "the model is never asked");
}

#[tokio::test]
async fn a_valid_model_answer_gives_at_most_three_in_stock_products_of_the_tenant() {
    let stub = OpenAiStub::start(Mode::Valid).await;
    let srv = server_with(&stub, "2000").await;
    let own: Vec<Value> = Shop::new(&srv, "token_user_a").products().await;
    let (body, in_cart, _) = checkout(&srv).await;
    let upsell = &body["upsell"];
    assert_eq!(upsell["source"], "model", "{upsell}");
    assert_eq!(upsell["label"], "Suggested by AI (stub-model)");
    assert!(upsell["fallback_reason"].is_null());
    let suggestions = upsell["suggestions"].as_array().expect("suggestions");
    assert!((1..=3).contains(&suggestions.len()), "{upsell}");
    for s in suggestions {
        let id = s["product_id"].as_str().expect("id");
        let product = own.iter().find(|p| p["id"] == id).expect("company_a's");
        assert!(product["stock"].as_i64().unwrap_or(0) > 0, "{product}");
        assert!(!in_cart.iter().any(|c| c == id));
        assert!(!s["reason"].as_str().unwrap_or_default().is_empty());
        let confidence = s["confidence"].as_f64().expect("confidence");
        assert!((0.0..=1.0).contains(&confidence));
    }

    let received = stub.received();
    assert_eq!(received.len(), 1);
    let req = &received[0];
    assert_eq!(req.authorization, "Bearer sk-stub");
    assert_eq!(req.body["model"], "stub-model");
    assert_eq!(req.body["temperature"], 0);
    assert_eq!(req.body["response_format"]["type"], "json_object");
    let prompt = req.body["messages"][1]["content"]
        .as_str()
        .unwrap_or_default();
    assert!(prompt.contains("Ultrabook"), "{prompt}");
    // Company B's catalogue never reaches company A's prompt.
    let theirs = Shop::new(&srv, "token_admin_b").products().await;
    assert!(!theirs.is_empty());
    for p in theirs {
        let id = p["id"].as_str().unwrap_or_default();
        assert!(!prompt.contains(id), "{id} of company_b in the prompt");
    }
}

#[tokio::test]
async fn the_preview_shows_the_suggestions_before_the_order_is_confirmed() {
    let stub = OpenAiStub::start(Mode::Valid).await;
    let srv = server_with(&stub, "2000").await;
    let shop = Shop::new(&srv, "token_user_a");
    let cart = shop.new_cart().await;
    let kbd = shop.product_id("CMP-KBD").await;
    assert_eq!(shop.set_item(&cart, &kbd, 1).await.status(), 200);
    let res = shop.get(&format!("/api/v1/carts/{cart}/preview")).await;
    assert_eq!(res.status(), 200);
    let preview: Value = res.json().await.expect("preview");
    assert_eq!(preview["upsell"]["source"], "model", "{preview}");
    assert!(!preview["upsell"]["suggestions"]
        .as_array()
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn invalid_json_from_the_model_falls_back_to_local_and_the_order_is_placed() {
    let stub = OpenAiStub::start(Mode::InvalidJson).await;
    let srv = server_with(&stub, "2000").await;
    let (body, _, _) = checkout(&srv).await;
    assert_local_fallback(&body["upsell"], "AI model gave an invalid answer");
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn a_slow_model_costs_at_most_its_timeout() {
    let stub = OpenAiStub::start(Mode::Slow(Duration::from_secs(5))).await;
    let srv = server_with(&stub, "300").await;
    let (body, _, elapsed) = checkout(&srv).await;
    assert_local_fallback(&body["upsell"], "AI model timed out after 300 ms");
    assert!(
        elapsed < Duration::from_millis(300 + 1000),
        "checkout took {elapsed:?}"
    );
}

#[tokio::test]
async fn unknown_foreign_sold_out_and_in_cart_ids_are_ignored() {
    let ids = [
        "company_b-out-tnt", // another tenant's
        "company_a-hom-plg", // out of stock
        "company_a-cmp-lap", // in the cart
        "no-such-product",
    ];
    let stub = OpenAiStub::start(Mode::Ids(ids.map(String::from).to_vec())).await;
    let srv = server_with(&stub, "2000").await;
    let theirs = Shop::new(&srv, "token_admin_b").products().await;
    assert!(
        theirs.iter().any(|p| p["id"] == ids[0]),
        "the foreign id exists"
    );
    let (body, _, _) = checkout(&srv).await;
    assert_local_fallback(&body["upsell"], "AI model suggested no valid products");
    let suggested = body["upsell"]["suggestions"].as_array().expect("list");
    assert!(suggested
        .iter()
        .all(|s| !ids.contains(&s["product_id"].as_str().unwrap_or_default())));
}

#[tokio::test]
async fn a_failing_model_falls_back_to_local() {
    let stub = OpenAiStub::start(Mode::ServerError).await;
    let srv = server_with(&stub, "2000").await;
    let (body, _, _) = checkout(&srv).await;
    assert_local_fallback(&body["upsell"], "AI model answered HTTP 500");
}

#[tokio::test]
async fn without_a_base_url_the_local_recommender_answers() {
    let srv = TestServer::start(&["--upsell-enabled", "true"]).await;
    let (body, in_cart, _) = checkout(&srv).await;
    let upsell = &body["upsell"];
    assert_eq!(upsell["source"], "local", "{upsell}");
    assert_eq!(upsell["label"], LOCAL_LABEL);
    assert!(upsell["fallback_reason"].is_null());
    let suggestions = upsell["suggestions"].as_array().expect("list");
    assert!((1..=3).contains(&suggestions.len()), "{upsell}");
    assert!(suggestions
        .iter()
        .all(|s| !in_cart.iter().any(|c| s["product_id"] == c.as_str())));
}
