//! Feedback on a graded submission, cheapest source first: cache → rules → model → local
//! reviewer. Server-only.
//!
//! - The cache key is a SHA-256 of the normalised code, language, challenge and
//!   [`REVIEW_VERSION`](normalize::REVIEW_VERSION), per tenant; comment- or whitespace-only
//!   changes hit it. A hit comes back with source `Cache` and `cached_from` = the first source;
//!   a cached local review is skipped while a model is configured (it stood in for the model).
//! - The rules answer alone when they find enough ([`rules::enough`]).
//! - Otherwise the configured OpenAI-compatible model is asked (bounded by a timeout); a slow,
//!   failing or invalid answer falls back to the deterministic [`local`] reviewer, labelled.
//! - `regenerate` skips the cache, prefers the model over the rules, and takes one of the
//!   user's daily regenerations (`AppError::rate_limited` when none are left).

pub mod local;
pub mod normalize;
pub mod openai;
pub mod prompt;
pub mod results;
pub mod rules;
pub mod store;
#[cfg(any(test, feature = "test-support"))]
pub mod stub;
pub mod validate;

#[cfg(test)]
pub(crate) mod tests;

use super::model::{Feedback, FeedbackSource, Language, LimitBreach, TestResult};
use crate::error::AppError;
use sqlx::SqlitePool;
use std::time::Duration;

/// Characters of code the rules read (the rest is not reviewed).
const MAX_ANALYSED_CHARS: usize = 100_000;

/// Settings built by the server from its config (`FeedbackConfig::settings()`).
#[derive(Clone)]
pub struct FeedbackSettings {
    /// Base URL of an OpenAI-compatible API (ends in `/v1`); `None`: no model, local reviewer.
    pub base_url: Option<String>,
    /// Bearer key for it (never logged).
    pub api_key: Option<String>,
    /// The chat model's name.
    pub model: String,
    /// The longest the model may take before the local reviewer answers.
    pub timeout: Duration,
    /// Regenerations per user and UTC day.
    pub regenerations_per_day: u32,
    /// Characters of code put in the model's prompt.
    pub max_prompt_code_chars: usize,
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self {
            base_url: None,
            api_key: None,
            model: "gpt-4o-mini".into(),
            timeout: Duration::from_secs(8),
            regenerations_per_day: 5,
            max_prompt_code_chars: 6_000,
        }
    }
}

impl std::fmt::Debug for FeedbackSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedbackSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("regenerations_per_day", &self.regenerations_per_day)
            .field("max_prompt_code_chars", &self.max_prompt_code_chars)
            .finish()
    }
}

impl FeedbackSettings {
    /// The model's base URL when one is configured (blank counts as none).
    fn model_url(&self) -> Option<&str> {
        self.base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
    }
}

/// What the reviewer looks at.
#[derive(Clone, Debug)]
pub struct ReviewRequest {
    pub tenant_id: String,
    pub user_id: String,
    pub challenge_id: String,
    pub challenge_title: String,
    pub language: Language,
    pub code: String,
    pub results: Vec<TestResult>,
    /// Skip the cache and count against the user's regeneration quota.
    pub regenerate: bool,
    /// The limit that stopped the run, if any (`RunOutcome::breach`).
    pub breach: Option<LimitBreach>,
}

/// Reviews a submission. Never fails because a model is slow or down; fails only when the
/// regeneration quota is used up (`RateLimited`, Retry-After = seconds to UTC midnight) or the
/// database cannot record the regeneration.
pub async fn review(
    pool: &SqlitePool,
    settings: &FeedbackSettings,
    request: ReviewRequest,
) -> Result<Feedback, AppError> {
    let key = normalize::cache_key(request.language, &request.challenge_id, &request.code);
    if request.regenerate {
        let taken = store::take_regeneration(
            pool,
            &request.tenant_id,
            &request.user_id,
            settings.regenerations_per_day,
            chrono::Utc::now(),
        )
        .await?;
        if let Err(retry_after) = taken {
            metrics::counter!("challenge_feedback_quota_exceeded_total").increment(1);
            return Err(AppError::rate_limited(retry_after));
        }
    } else {
        match store::cached(pool, &request.tenant_id, &key).await {
            // A local review stood in for a model that was absent or failing: with a model
            // configured, ask it again rather than serve the stand-in for ever.
            Ok(Some(feedback))
                if feedback.source == FeedbackSource::LocalReviewer
                    && settings.model_url().is_some() => {}
            Ok(Some(mut feedback)) => {
                feedback.cached_from = Some(feedback.source);
                feedback.source = FeedbackSource::Cache;
                count(FeedbackSource::Cache);
                return Ok(feedback);
            }
            Ok(None) => {}
            // The cache only saves work: without it, review afresh.
            Err(e) => tracing::warn!(error = %e, "challenge feedback: cache read failed"),
        }
    }
    let feedback = fresh(settings, &request).await;
    if let Err(e) = store::store(
        pool,
        &request.tenant_id,
        &key,
        &request.challenge_id,
        request.language.as_str(),
        &feedback,
    )
    .await
    {
        tracing::warn!(error = %e, "challenge feedback: cache write failed");
    }
    count(feedback.source);
    Ok(feedback)
}

/// A new review: rules when they say enough, else the model, else the local reviewer.
async fn fresh(settings: &FeedbackSettings, req: &ReviewRequest) -> Feedback {
    let analysed: String = req.code.chars().take(MAX_ANALYSED_CHARS).collect();
    let findings = rules::analyse(req.language, &analysed);
    let tests = results::summarise(&req.results, req.breach);
    let url = settings.model_url();
    if rules::enough(&findings) && !(req.regenerate && url.is_some()) {
        return rules::review(&findings, &tests);
    }
    if let Some(url) = url {
        let prompt = prompt::user_prompt(req, &tests, &findings, settings.max_prompt_code_chars);
        match openai::ask(settings, url, &prompt).await {
            Ok(review) => {
                let [strengths, improvements, conceptual_errors, suggestions] = review.lists;
                return Feedback {
                    strengths,
                    improvements,
                    conceptual_errors,
                    suggestions,
                    score: review.score,
                    source: FeedbackSource::Model,
                    model: Some(settings.model.clone()),
                    cached_from: None,
                };
            }
            Err(e) => {
                metrics::counter!("challenge_feedback_model_errors_total", "reason" => e.label())
                    .increment(1);
            }
        }
    }
    local::review(req, &findings, &tests)
}

fn count(source: FeedbackSource) {
    metrics::counter!("challenge_feedback_total", "source" => store::source_label(source))
        .increment(1);
}
