//! AI upsell (brief Task 4): up to 3 complementary in-stock products of the tenant for a cart.
//!
//! A [`Recommender`] proposes; [`validate`](validate::validate) decides what a shopper sees.
//! With `ATRIUM_AI_BASE_URL` set the [`OpenAiRecommender`] asks the model first; on any failure
//! (timeout, unreachable, non-2xx, invalid JSON, nothing valid) the [`LocalRecommender`]
//! answers instead and the outcome says why. Checkout never waits longer than the timeout.

pub mod candidates;
pub mod local;
pub mod openai;
pub mod prompt;
pub mod recommender;
pub mod scoring;
pub mod validate;

#[cfg(test)]
mod fixtures;
#[cfg(any(test, feature = "test-support"))]
pub mod stub;
#[cfg(test)]
mod tests;

use super::model::{CartLine, Suggestion, UpsellOutcome};
use candidates::{load_candidates, MAX_CANDIDATES};
pub use local::LocalRecommender;
pub use openai::OpenAiRecommender;
pub use recommender::{RawSuggestion, RecommendFuture, Recommender, UpsellError, UpsellRequest};
use sqlx::SqlitePool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use validate::{clip, validate};

/// The label of the built-in recommender's suggestions.
pub const LOCAL_LABEL: &str = "Suggested by the built-in recommender (local, no AI model)";

/// Settings read from the environment at start-up (no rebuild to switch).
#[derive(Clone)]
pub struct UpsellSettings {
    /// UPSELL_ENABLED: off means no suggestions and no work at checkout.
    pub enabled: bool,
    /// ATRIUM_AI_BASE_URL of an OpenAI-compatible API; `None` uses the local recommender.
    pub base_url: Option<String>,
    /// ATRIUM_AI_API_KEY, sent as a bearer token (never logged).
    pub api_key: Option<String>,
    /// ATRIUM_AI_MODEL, the chat model's name.
    pub model: String,
    /// ATRIUM_AI_TIMEOUT_MS: the longest the model may take before the local fallback.
    pub timeout: Duration,
}

impl std::fmt::Debug for UpsellSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpsellSettings")
            .field("enabled", &self.enabled)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Chooses the recommender (model or local) and applies the rules to what it returns.
pub struct UpsellService {
    settings: UpsellSettings,
    /// The model, when a base URL is set (and its client could be built).
    model: Option<Arc<dyn Recommender>>,
    /// Why the configured model cannot be used at all (its client failed to build).
    model_error: Option<String>,
    local: LocalRecommender,
}

impl std::fmt::Debug for UpsellService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpsellService")
            .field("settings", &self.settings)
            .field("model", &self.model.is_some())
            .finish()
    }
}

impl UpsellService {
    /// Builds the service; with a base URL, the model's HTTP client is built here, once.
    pub fn new(settings: UpsellSettings) -> Self {
        let base_url = settings
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let (model, model_error) = match base_url {
            None => (None, None),
            Some(url) => match OpenAiRecommender::new(
                url,
                settings.api_key.clone(),
                settings.model.clone(),
                settings.timeout,
            ) {
                Ok(r) => (Some(Arc::new(r) as Arc<dyn Recommender>), None),
                Err(e) => {
                    tracing::warn!(error = %e, "upsell: AI client could not start; local only");
                    (None, Some(e.to_string()))
                }
            },
        };
        Self {
            settings,
            model,
            model_error,
            local: LocalRecommender,
        }
    }

    /// The service with `model` as its model recommender (tests, other providers).
    pub fn with_model(settings: UpsellSettings, model: Arc<dyn Recommender>) -> Self {
        Self {
            settings,
            model: Some(model),
            model_error: None,
            local: LocalRecommender,
        }
    }

    /// Whether UPSELL_ENABLED is true.
    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    /// Suggestions for `cart` from the tenant's in-stock catalogue. Never fails: any problem
    /// with the model falls back to the local recommender, with `fallback_reason` set.
    pub async fn suggest(
        &self,
        pool: &SqlitePool,
        tenant_id: &str,
        request_id: &str,
        cart: &[CartLine],
    ) -> UpsellOutcome {
        if !self.settings.enabled {
            return UpsellOutcome {
                source: "off".into(),
                label: "Suggestions are off".into(),
                ..Default::default()
            };
        }
        let started = Instant::now();
        let candidates = match load_candidates(pool, tenant_id, cart, MAX_CANDIDATES).await {
            Ok(c) => c,
            Err(e) => {
                let e = UpsellError::Database(e);
                tracing::warn!(request_id, tenant = tenant_id, error = %e.detail(), "upsell");
                return local_outcome(Vec::new(), Some(format!("{e}; try again later")));
            }
        };
        if cart.is_empty() || candidates.is_empty() {
            return local_outcome(Vec::new(), None);
        }
        let req = UpsellRequest {
            pool,
            tenant_id,
            request_id,
            cart,
            candidates: &candidates,
        };
        let failure = match (&self.model, &self.model_error) {
            (Some(model), _) => match self.ask_model(model.as_ref(), &req).await {
                Ok(suggestions) => {
                    return UpsellOutcome {
                        source: "model".into(),
                        label: format!("Suggested by AI ({})", self.settings.model),
                        suggestions,
                        fallback_reason: None,
                    }
                }
                Err(e) => Some(e),
            },
            (None, Some(e)) => Some(UpsellError::Client(e.clone())),
            (None, None) => None,
        };
        let fallback_reason = failure.map(|e| {
            tracing::warn!(
                request_id,
                tenant = tenant_id,
                error = %e.detail(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "upsell: model failed; falling back to the local recommender"
            );
            format!("{e}; showing local suggestions")
        });
        local_outcome(self.ask_local(&req).await, fallback_reason)
    }

    /// The model's validated suggestions, or why there are none.
    async fn ask_model(
        &self,
        model: &dyn Recommender,
        req: &UpsellRequest<'_>,
    ) -> Result<Vec<Suggestion>, UpsellError> {
        let raw = model.recommend(req).await?;
        let valid = validate(raw, req.cart, req.candidates);
        if valid.is_empty() {
            return Err(UpsellError::NothingValid);
        }
        Ok(valid)
    }

    /// The local recommender's validated suggestions (none if the database fails).
    async fn ask_local(&self, req: &UpsellRequest<'_>) -> Vec<Suggestion> {
        let started = Instant::now();
        let (suggestions, response) = match self.local.recommend(req).await {
            Ok(raw) => {
                let valid = validate(raw, req.cart, req.candidates);
                let text = serde_json::to_string(&valid).unwrap_or_default();
                (valid, text)
            }
            Err(e) => (Vec::new(), format!("error: {}", e.detail())),
        };
        let prompt = format!(
            "cart={} candidates={}",
            candidates::json_list(req.cart.iter().map(|l| l.product_id.as_str())),
            req.candidates.len()
        );
        tracing::info!(
            request_id = req.request_id,
            tenant = req.tenant_id,
            source = "local",
            elapsed_ms = started.elapsed().as_millis() as u64,
            prompt = %prompt,
            response = %clip(&response, openai::MAX_LOGGED_CHARS),
            "upsell"
        );
        suggestions
    }
}

fn local_outcome(suggestions: Vec<Suggestion>, fallback_reason: Option<String>) -> UpsellOutcome {
    UpsellOutcome {
        source: "local".into(),
        label: LOCAL_LABEL.into(),
        suggestions,
        fallback_reason,
    }
}
