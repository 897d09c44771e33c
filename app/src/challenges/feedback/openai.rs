//! The model reviewer: one call to an OpenAI-compatible `POST {base}/chat/completions`, bounded
//! by the configured timeout (connect, send and read included). Prompt and answer are logged,
//! clipped.

use super::prompt::{parse_completion, SYSTEM_PROMPT};
use super::validate::{clip, Review};
use super::FeedbackSettings;
use serde_json::json;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Longest prompt or response text written to the log, in characters.
pub const MAX_LOGGED_CHARS: usize = 4_000;

/// Why the model gave no usable review.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("the model did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the model could not be reached: {0}")]
    Unreachable(String),
    #[error("the model answered HTTP {0}")]
    Status(u16),
    #[error("the model's answer was invalid: {0}")]
    Invalid(String),
    #[error("the HTTP client could not start: {0}")]
    Client(String),
}

impl ModelError {
    /// A short label for logs and metrics.
    pub fn label(&self) -> &'static str {
        match self {
            ModelError::Timeout(_) => "timeout",
            ModelError::Unreachable(_) => "unreachable",
            ModelError::Status(_) => "status",
            ModelError::Invalid(_) => "invalid",
            ModelError::Client(_) => "client",
        }
    }
}

/// One HTTP client per process (its connection pool is shared); timeouts are per request.
fn client() -> Result<&'static reqwest::Client, ModelError> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ModelError::Client(e.clone()))
}

/// Asks the model at `base_url` (e.g. `http://127.0.0.1:8080/v1`) to review; `prompt` is the
/// user message.
pub async fn ask(
    settings: &FeedbackSettings,
    base_url: &str,
    prompt: &str,
) -> Result<Review, ModelError> {
    let body = json!({
        "model": settings.model,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt},
        ],
        "response_format": {"type": "json_object"},
        "temperature": 0,
    });
    let started = Instant::now();
    let answer = match tokio::time::timeout(settings.timeout, call(settings, base_url, &body)).await
    {
        Ok(answer) => answer,
        Err(_) => Err(ModelError::Timeout(settings.timeout)),
    };
    let review = answer.and_then(|text| {
        let parsed = parse_completion(&text).map_err(ModelError::Invalid);
        tracing::info!(
            model = %settings.model,
            elapsed_ms = started.elapsed().as_millis() as u64,
            prompt = %clip(prompt, MAX_LOGGED_CHARS),
            response = %clip(&text, MAX_LOGGED_CHARS),
            "challenge feedback: model answered"
        );
        parsed
    });
    if let Err(e) = &review {
        tracing::warn!(
            model = %settings.model,
            elapsed_ms = started.elapsed().as_millis() as u64,
            error = %e,
            "challenge feedback: model failed; the local reviewer answers"
        );
    }
    review
}

/// The HTTP exchange: the body of a 2xx answer.
async fn call(
    settings: &FeedbackSettings,
    base_url: &str,
    body: &serde_json::Value,
) -> Result<String, ModelError> {
    let url = format!("{}/chat/completions", base_url.trim().trim_end_matches('/'));
    let mut request = client()?.post(url).timeout(settings.timeout).json(body);
    if let Some(key) = &settings.api_key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            ModelError::Timeout(settings.timeout)
        } else {
            ModelError::Unreachable(e.to_string())
        }
    })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ModelError::Unreachable(e.to_string()))?;
    if !status.is_success() {
        return Err(ModelError::Status(status.as_u16()));
    }
    Ok(text)
}
