//! `review` end to end: an in-memory database with the migrations, and a stub model on
//! loopback for the model's paths.

use super::stub::{Mode, Stub, VALID_STRENGTH};
use super::*;
use crate::error::ErrorCode;
use sqlx::sqlite::SqlitePoolOptions;
use std::time::Instant;

/// Code the rules have little to say about (the model or the local reviewer answers).
pub(crate) const PLAIN: &str = "def add(a, b):\n    return a + b\n";

/// Code with a conceptual error the rules catch (a bare `except:`).
const BARE_EXCEPT: &str =
    "def add(a, b):\n    try:\n        return a + b\n    except:\n        return None\n";

/// `n` passing public tests.
pub(crate) fn passing(n: usize) -> Vec<TestResult> {
    (0..n)
        .map(|i| TestResult {
            name: format!("test_{i}"),
            public: true,
            passed: true,
            expected: None,
            actual: None,
            message: None,
            time_ms: Some(3),
        })
        .collect()
}

/// A request by user `u1` of tenant `t_a` with two passing tests.
pub(crate) fn request(language: Language, code: &str) -> ReviewRequest {
    ReviewRequest {
        tenant_id: "t_a".into(),
        user_id: "u1".into(),
        challenge_id: "t04-test-a-math-function".into(),
        challenge_title: "Add two numbers".into(),
        language,
        code: code.into(),
        results: passing(2),
        regenerate: false,
        breach: None,
    }
}

async fn pool() -> SqlitePool {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("memory db");
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .expect("migrate");
    for tenant in ["t_a", "t_b"] {
        sqlx::query("INSERT INTO tenants (id, name) VALUES (?, ?)")
            .bind(tenant)
            .bind(tenant)
            .execute(&pool)
            .await
            .expect("tenant");
    }
    pool
}

fn with_model(url: &str, timeout: Duration) -> FeedbackSettings {
    FeedbackSettings {
        base_url: Some(url.into()),
        api_key: Some("sk-test".into()),
        model: "stub-model".into(),
        timeout,
        ..Default::default()
    }
}

#[tokio::test]
async fn without_a_model_the_local_reviewer_answers_and_says_so() {
    let pool = pool().await;
    let fb = review(
        &pool,
        &FeedbackSettings::default(),
        request(Language::Python, PLAIN),
    )
    .await
    .expect("review");
    assert_eq!(fb.source, FeedbackSource::LocalReviewer);
    assert!(fb.suggestions[0].starts_with(local::LOCAL_LABEL));
    assert_eq!(fb.model.as_deref(), Some(local::LOCAL_LABEL));
}

#[tokio::test]
async fn enough_rule_findings_answer_without_the_model() {
    let pool = pool().await;
    let stub = Stub::start(Mode::Valid).await;
    let settings = with_model(&stub.url, Duration::from_secs(5));
    let fb = review(&pool, &settings, request(Language::Python, BARE_EXCEPT))
        .await
        .expect("review");
    assert_eq!(fb.source, FeedbackSource::Rules);
    assert!(fb.conceptual_errors[0].contains("bare `except:`"));
    assert_eq!(fb.strengths[0], "All 2 tests pass.");
    assert_eq!(fb.score, 90);
    assert_eq!(stub.count(), 0);
}

#[tokio::test]
async fn a_valid_model_answer_is_used_and_then_cached() {
    let pool = pool().await;
    let stub = Stub::start(Mode::Valid).await;
    let settings = with_model(&stub.url, Duration::from_secs(5));
    let fb = review(&pool, &settings, request(Language::Python, PLAIN))
        .await
        .expect("review");
    assert_eq!(fb.source, FeedbackSource::Model);
    assert_eq!(fb.model.as_deref(), Some("stub-model"));
    assert_eq!(fb.strengths, [VALID_STRENGTH]);
    assert_eq!(fb.score, 77);
    let sent = &stub.received()[0];
    assert_eq!(sent["model"], "stub-model");
    let prompt = sent["messages"][1]["content"].as_str().expect("prompt");
    assert!(prompt.contains("TASK: Add two numbers") && prompt.contains("return a + b"));

    // Same code with a comment and blank lines: served from the cache, no second call.
    let edited = format!("# my solution\n\n{PLAIN}\n\n");
    let again = review(&pool, &settings, request(Language::Python, &edited))
        .await
        .expect("cached");
    assert_eq!(again.source, FeedbackSource::Cache);
    assert_eq!(again.cached_from, Some(FeedbackSource::Model));
    assert_eq!(again.strengths, fb.strengths);
    assert_eq!(stub.count(), 1);

    // Another tenant's identical code is not served from this tenant's cache.
    let mut other = request(Language::Python, PLAIN);
    other.tenant_id = "t_b".into();
    let theirs = review(&pool, &settings, other).await.expect("other tenant");
    assert_eq!(theirs.source, FeedbackSource::Model);
    assert_eq!(stub.count(), 2);
}

#[tokio::test]
async fn a_failing_or_invalid_model_falls_back_to_the_local_reviewer() {
    for mode in [Mode::ServerError, Mode::InvalidJson, Mode::BadScore] {
        let pool = pool().await;
        let stub = Stub::start(mode.clone()).await;
        let settings = with_model(&stub.url, Duration::from_secs(5));
        let fb = review(&pool, &settings, request(Language::Python, PLAIN))
            .await
            .expect("review");
        assert_eq!(fb.source, FeedbackSource::LocalReviewer, "{mode:?}");
        assert_eq!(stub.count(), 1, "{mode:?}");
    }
}

#[tokio::test]
async fn a_slow_model_falls_back_quickly() {
    let pool = pool().await;
    let stub = Stub::start(Mode::Slow(Duration::from_secs(30))).await;
    let settings = with_model(&stub.url, Duration::from_millis(300));
    let started = Instant::now();
    let fb = review(&pool, &settings, request(Language::Python, PLAIN))
        .await
        .expect("review");
    let elapsed = started.elapsed();
    eprintln!("slow model (timeout 300 ms): local review after {elapsed:?}");
    assert_eq!(fb.source, FeedbackSource::LocalReviewer);
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

#[tokio::test]
async fn a_cached_local_review_is_not_served_once_a_model_answers() {
    let pool = pool().await;
    let local = review(
        &pool,
        &FeedbackSettings::default(),
        request(Language::Python, PLAIN),
    )
    .await
    .expect("local");
    assert_eq!(local.source, FeedbackSource::LocalReviewer);
    let cached = review(
        &pool,
        &FeedbackSettings::default(),
        request(Language::Python, PLAIN),
    )
    .await
    .expect("cached");
    assert_eq!(cached.cached_from, Some(FeedbackSource::LocalReviewer));

    let stub = Stub::start(Mode::Valid).await;
    let settings = with_model(&stub.url, Duration::from_secs(5));
    let fb = review(&pool, &settings, request(Language::Python, PLAIN))
        .await
        .expect("model");
    assert_eq!(fb.source, FeedbackSource::Model);
    let again = review(&pool, &settings, request(Language::Python, PLAIN))
        .await
        .expect("cached model");
    assert_eq!(again.cached_from, Some(FeedbackSource::Model));
    assert_eq!(stub.count(), 1);
}

#[tokio::test]
async fn an_unreachable_model_falls_back() {
    let pool = pool().await;
    // Bind then drop: nothing listens on this port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let settings = with_model(
        &format!("http://127.0.0.1:{port}/v1"),
        Duration::from_secs(2),
    );
    let fb = review(&pool, &settings, request(Language::Python, PLAIN))
        .await
        .expect("review");
    assert_eq!(fb.source, FeedbackSource::LocalReviewer);
}

#[tokio::test]
async fn regenerating_skips_the_cache_and_is_limited_per_user_and_day() {
    let pool = pool().await;
    let stub = Stub::start(Mode::Valid).await;
    let settings = FeedbackSettings {
        regenerations_per_day: 2,
        ..with_model(&stub.url, Duration::from_secs(5))
    };
    let first = review(&pool, &settings, request(Language::Python, BARE_EXCEPT))
        .await
        .expect("first");
    assert_eq!(first.source, FeedbackSource::Rules);
    let mut again = request(Language::Python, BARE_EXCEPT);
    again.regenerate = true;
    for _ in 0..2 {
        let fb = review(&pool, &settings, again.clone())
            .await
            .expect("regen");
        // A regeneration asks the model even where the rules had enough to say.
        assert_eq!(fb.source, FeedbackSource::Model);
    }
    assert_eq!(stub.count(), 2);
    let err = review(&pool, &settings, again.clone())
        .await
        .expect_err("over quota");
    assert_eq!(err.code, ErrorCode::RateLimited);
    let retry = err.retry_after_secs.expect("retry after");
    assert!((1..=86_400).contains(&retry), "{retry}");
    assert_eq!(stub.count(), 2);

    // The cache now holds the regenerated review.
    let cached = review(&pool, &settings, request(Language::Python, BARE_EXCEPT))
        .await
        .expect("cached");
    assert_eq!(cached.cached_from, Some(FeedbackSource::Model));

    // Another user's quota is their own.
    let mut someone_else = again;
    someone_else.user_id = "u2".into();
    assert!(review(&pool, &settings, someone_else).await.is_ok());
}

#[tokio::test]
async fn a_zero_quota_refuses_every_regeneration() {
    let pool = pool().await;
    let settings = FeedbackSettings {
        regenerations_per_day: 0,
        ..Default::default()
    };
    let mut req = request(Language::Sql, "SELECT id FROM t;");
    req.regenerate = true;
    let err = review(&pool, &settings, req).await.expect_err("no quota");
    assert_eq!(err.code, ErrorCode::RateLimited);
}
