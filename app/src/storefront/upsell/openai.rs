//! The model recommender: one call to an OpenAI-compatible `POST {base}/chat/completions`,
//! bounded by the configured timeout. Prompt and response are logged with the request id.

use super::prompt::{parse_completion, user_prompt, SYSTEM_PROMPT};
use super::validate::clip;
use super::{RawSuggestion, RecommendFuture, Recommender, UpsellError, UpsellRequest};
use serde_json::json;
use std::time::{Duration, Instant};

/// Longest prompt or response text written to the log, in characters.
pub const MAX_LOGGED_CHARS: usize = 4_000;

/// Asks the configured chat model.
pub struct OpenAiRecommender {
    client: reqwest::Client,
    url: String,
    api_key: Option<String>,
    model: String,
    timeout: Duration,
}

impl std::fmt::Debug for OpenAiRecommender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiRecommender")
            .field("url", &self.url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl OpenAiRecommender {
    /// A client for `base_url` (e.g. `http://127.0.0.1:8080/v1`), built once per server.
    pub fn new(
        base_url: &str,
        api_key: Option<String>,
        model: String,
        timeout: Duration,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()?;
        Ok(Self {
            client,
            url: format!("{}/chat/completions", base_url.trim().trim_end_matches('/')),
            api_key,
            model,
            timeout,
        })
    }

    /// The model's name, as configured.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The HTTP exchange: the response body of a 2xx answer.
    async fn call(&self, body: &serde_json::Value) -> Result<String, UpsellError> {
        let mut request = self.client.post(&self.url).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                UpsellError::Timeout(self.timeout)
            } else {
                UpsellError::Unreachable(e.to_string())
            }
        })?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| UpsellError::Unreachable(e.to_string()))?;
        if !status.is_success() {
            return Err(UpsellError::Status(status.as_u16(), clip(&text, 300)));
        }
        Ok(text)
    }
}

impl Recommender for OpenAiRecommender {
    fn recommend<'a>(&'a self, req: &'a UpsellRequest<'a>) -> RecommendFuture<'a> {
        Box::pin(async move {
            let prompt = user_prompt(req.cart, req.candidates);
            let body = json!({
                "model": self.model,
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": prompt},
                ],
                "response_format": {"type": "json_object"},
                "temperature": 0,
            });
            let started = Instant::now();
            let answer = match tokio::time::timeout(self.timeout, self.call(&body)).await {
                Ok(answer) => answer,
                Err(_) => Err(UpsellError::Timeout(self.timeout)),
            };
            let response = match &answer {
                Ok(text) => text.clone(),
                Err(e) => format!("error: {}", e.detail()),
            };
            tracing::info!(
                request_id = req.request_id,
                tenant = req.tenant_id,
                source = "model",
                model = %self.model,
                elapsed_ms = started.elapsed().as_millis() as u64,
                prompt = %clip(&prompt, MAX_LOGGED_CHARS),
                response = %clip(&response, MAX_LOGGED_CHARS),
                "upsell"
            );
            let parsed: Vec<RawSuggestion> = parse_completion(&answer?)?;
            Ok(parsed)
        })
    }
}
