//! The service end to end: flag, local recommender, and a stub model in every failure mode.

use super::fixtures::{cart_of, seeded_pool};
use super::stub::{self, Mode};
use super::*;
use std::time::{Duration, Instant};

const TIMEOUT_MS: u64 = 300;

fn settings(enabled: bool, base_url: Option<String>) -> UpsellSettings {
    UpsellSettings {
        enabled,
        base_url,
        api_key: Some("sk-test".into()),
        model: "test-model".into(),
        timeout: Duration::from_millis(TIMEOUT_MS),
    }
}

/// Checks out a laptop in shop_a against a stub in `mode`.
async fn with_stub(mode: Mode) -> (UpsellOutcome, stub::Stub, Duration) {
    let pool = seeded_pool().await;
    let stub = stub::start(mode).await;
    let service = UpsellService::new(settings(true, Some(stub.url.clone())));
    let started = Instant::now();
    let outcome = service
        .suggest(&pool, "shop_a", "req-1", &cart_of(&["a_laptop"]))
        .await;
    (outcome, stub, started.elapsed())
}

fn ids(o: &UpsellOutcome) -> Vec<&str> {
    o.suggestions
        .iter()
        .map(|s| s.product_id.as_str())
        .collect()
}

fn assert_local_fallback(o: &UpsellOutcome, reason: &str) {
    assert_eq!(o.source, "local", "{o:?}");
    assert_eq!(o.label, LOCAL_LABEL);
    assert_eq!(
        o.fallback_reason.as_deref(),
        Some(format!("{reason}; showing local suggestions").as_str())
    );
    assert_eq!(ids(o), ["a_mouse", "a_bag", "a_monitor"]);
}

#[tokio::test]
async fn off_means_no_suggestions_and_no_call() {
    let pool = seeded_pool().await;
    let stub = stub::start(Mode::Valid).await;
    let service = UpsellService::new(settings(false, Some(stub.url.clone())));
    assert!(!service.enabled());
    let o = service
        .suggest(&pool, "shop_a", "req-1", &cart_of(&["a_laptop"]))
        .await;
    assert_eq!(o.source, "off");
    assert!(o.suggestions.is_empty() && o.fallback_reason.is_none());
    assert_eq!(stub.count(), 0);
}

#[tokio::test]
async fn without_a_base_url_the_local_recommender_answers() {
    let pool = seeded_pool().await;
    let o = UpsellService::new(settings(true, Some("  ".into())))
        .suggest(&pool, "shop_a", "req-1", &cart_of(&["a_laptop"]))
        .await;
    assert_eq!(o.source, "local");
    assert_eq!(o.label, LOCAL_LABEL);
    assert_eq!(o.fallback_reason, None);
    assert_eq!(ids(&o), ["a_mouse", "a_bag", "a_monitor"]);
    assert_eq!(
        o.suggestions[0].reason,
        "Often bought with Laptop Pro (3 orders)"
    );
    assert_eq!(o.suggestions[0].price_cents, 2_500);
}

#[tokio::test]
async fn a_valid_model_answer_is_used_and_the_request_is_well_formed() {
    let (o, stub, _) = with_stub(Mode::Valid).await;
    assert_eq!(o.source, "model", "{o:?}");
    assert_eq!(o.label, "Suggested by AI (test-model)");
    assert_eq!(o.fallback_reason, None);
    // The stub echoes the first four candidates; three remain, best first.
    assert_eq!(ids(&o), ["a_mouse", "a_bag", "a_laptop2"]);
    assert_eq!(o.suggestions[0].confidence, 0.9);

    assert_eq!(stub.count(), 1);
    let (body, auth) = stub.first();
    assert_eq!(auth, "Bearer sk-test");
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["temperature"], 0);
    assert_eq!(body["response_format"]["type"], "json_object");
    assert_eq!(body["messages"][0]["role"], "system");
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    assert!(user.contains("Laptop Pro") && user.contains("product_id=a_mouse"));
    // Only the tenant's in-stock products outside the cart are offered.
    for absent in ["b_cable", "a_case", "product_id=a_laptop |"] {
        assert!(!user.contains(absent), "{absent} in prompt");
    }
}

#[tokio::test]
async fn a_fenced_answer_is_accepted() {
    let (o, _, _) = with_stub(Mode::Fenced).await;
    assert_eq!(o.source, "model");
    assert_eq!(o.suggestions.len(), 3);
}

#[tokio::test]
async fn invalid_json_falls_back_to_local() {
    let (o, stub, _) = with_stub(Mode::InvalidJson).await;
    assert_local_fallback(&o, "AI model gave an invalid answer");
    assert_eq!(stub.count(), 1);
}

#[tokio::test]
async fn a_slow_model_falls_back_within_the_timeout() {
    let (o, _, elapsed) = with_stub(Mode::Slow(Duration::from_secs(5))).await;
    assert_local_fallback(&o, "AI model timed out after 300 ms");
    assert!(
        elapsed < Duration::from_millis(TIMEOUT_MS + 500),
        "took {elapsed:?}"
    );
}

#[tokio::test]
async fn unknown_ids_are_ignored_and_none_left_falls_back() {
    let unknown = Mode::Ids(vec!["nope".into(), "b_cable".into(), "a_case".into()]);
    let (o, _, _) = with_stub(unknown).await;
    assert_local_fallback(&o, "AI model suggested no valid products");

    let mixed = Mode::Ids(vec!["nope".into(), "a_pen".into(), "a_laptop".into()]);
    let (o, _, _) = with_stub(mixed).await;
    assert_eq!(o.source, "model");
    assert_eq!(ids(&o), ["a_pen"]);
}

#[tokio::test]
async fn a_server_error_falls_back_to_local() {
    let (o, _, _) = with_stub(Mode::ServerError).await;
    assert_local_fallback(&o, "AI model answered HTTP 500");
}

#[tokio::test]
async fn an_unreachable_model_falls_back_to_local() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    drop(listener);
    let pool = seeded_pool().await;
    let started = Instant::now();
    let o = UpsellService::new(settings(true, Some(url)))
        .suggest(&pool, "shop_a", "req-1", &cart_of(&["a_laptop"]))
        .await;
    assert_local_fallback(&o, "AI model could not be reached");
    assert!(started.elapsed() < Duration::from_millis(TIMEOUT_MS + 500));
}

#[tokio::test]
async fn an_empty_cart_asks_nobody() {
    let pool = seeded_pool().await;
    let stub = stub::start(Mode::Valid).await;
    let o = UpsellService::new(settings(true, Some(stub.url.clone())))
        .suggest(&pool, "shop_a", "req-1", &[])
        .await;
    assert_eq!(o.source, "local");
    assert!(o.suggestions.is_empty() && o.fallback_reason.is_none());
    assert_eq!(stub.count(), 0);
}

/// Any recommender fits behind the trait object.
struct Fixed(Vec<RawSuggestion>);

impl Recommender for Fixed {
    fn recommend<'a>(&'a self, _req: &'a UpsellRequest<'a>) -> RecommendFuture<'a> {
        let out = self.0.clone();
        Box::pin(async move { Ok(out) })
    }
}

#[tokio::test]
async fn the_trait_is_object_safe_and_rules_apply_to_any_recommender() {
    let pool = seeded_pool().await;
    let fixed = Fixed(vec![
        RawSuggestion {
            product_id: "a_monitor".into(),
            reason: "Second screen".into(),
            confidence: 3.0,
        },
        RawSuggestion {
            product_id: "a_case".into(),
            reason: "Out of stock".into(),
            confidence: 0.9,
        },
    ]);
    let o = UpsellService::with_model(settings(true, None), Arc::new(fixed))
        .suggest(&pool, "shop_a", "req-1", &cart_of(&["a_laptop"]))
        .await;
    assert_eq!(o.source, "model");
    assert_eq!(ids(&o), ["a_monitor"]);
    assert_eq!(o.suggestions[0].confidence, 1.0);
}
