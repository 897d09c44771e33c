//! Challenge feedback settings. The model endpoint, key and name are the platform's shared AI
//! settings (the same ATRIUM_AI_* variables the upsell reads; separate flags so both can be
//! set apart on the command line); the timeout and the regeneration quota are the feedback's
//! own. Read at start-up; no rebuild to change.

use app::challenges::feedback::FeedbackSettings;
use clap::Args;
use std::time::Duration;

#[derive(Args, Clone)]
pub struct FeedbackConfig {
    /// Challenge feedback AI: base URL of an OpenAI-compatible API (e.g.
    /// http://127.0.0.1:8080/v1). Unset: the rules and the local reviewer answer.
    #[arg(long = "challenge-ai-base-url", env = "ATRIUM_AI_BASE_URL")]
    pub challenge_ai_base_url: Option<String>,

    /// Challenge feedback AI: bearer key for that endpoint.
    #[arg(
        long = "challenge-ai-api-key",
        env = "ATRIUM_AI_API_KEY",
        hide_env_values = true
    )]
    pub challenge_ai_api_key: Option<String>,

    /// Challenge feedback AI: chat model name.
    #[arg(
        long = "challenge-ai-model",
        env = "ATRIUM_AI_MODEL",
        default_value = "gpt-4o-mini"
    )]
    pub challenge_ai_model: String,

    /// Challenge feedback AI: milliseconds to wait for the model before the local reviewer
    /// answers instead.
    #[arg(long, env = "ATRIUM_CHALLENGE_AI_TIMEOUT_MS", default_value_t = 8000)]
    pub challenge_ai_timeout_ms: u64,

    /// Challenge feedback: regenerations each user may ask for per UTC day.
    #[arg(
        long,
        env = "ATRIUM_CHALLENGE_FEEDBACK_REGENERATIONS_PER_DAY",
        default_value_t = 5
    )]
    pub challenge_feedback_regenerations_per_day: u32,

    /// Challenge feedback AI: characters of the submitted code put in the model's prompt.
    #[arg(
        long,
        env = "ATRIUM_CHALLENGE_AI_PROMPT_CODE_CHARS",
        default_value_t = 6000
    )]
    pub challenge_ai_prompt_code_chars: usize,
}

impl std::fmt::Debug for FeedbackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedbackConfig")
            .field("challenge_ai_base_url", &self.challenge_ai_base_url)
            .field(
                "challenge_ai_api_key",
                &self.challenge_ai_api_key.as_ref().map(|_| "<redacted>"),
            )
            .field("challenge_ai_model", &self.challenge_ai_model)
            .field("challenge_ai_timeout_ms", &self.challenge_ai_timeout_ms)
            .field(
                "challenge_feedback_regenerations_per_day",
                &self.challenge_feedback_regenerations_per_day,
            )
            .field(
                "challenge_ai_prompt_code_chars",
                &self.challenge_ai_prompt_code_chars,
            )
            .finish()
    }
}

impl FeedbackConfig {
    /// The settings `app::challenges::feedback::review` takes.
    pub fn settings(&self) -> FeedbackSettings {
        FeedbackSettings {
            base_url: self
                .challenge_ai_base_url
                .clone()
                .filter(|u| !u.trim().is_empty()),
            api_key: self
                .challenge_ai_api_key
                .clone()
                .filter(|k| !k.trim().is_empty()),
            model: self.challenge_ai_model.clone(),
            timeout: Duration::from_millis(self.challenge_ai_timeout_ms.max(1)),
            regenerations_per_day: self.challenge_feedback_regenerations_per_day,
            max_prompt_code_chars: self.challenge_ai_prompt_code_chars.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        feedback: FeedbackConfig,
    }

    #[test]
    fn defaults_and_flags_become_settings() {
        let s = Cli::parse_from(["atrium"]).feedback.settings();
        assert_eq!(s.timeout, Duration::from_secs(8));
        assert_eq!(s.regenerations_per_day, 5);
        let s = Cli::parse_from([
            "atrium",
            "--challenge-ai-base-url",
            " ",
            "--challenge-ai-api-key",
            "sk-1",
            "--challenge-ai-timeout-ms",
            "250",
            "--challenge-feedback-regenerations-per-day",
            "2",
        ])
        .feedback
        .settings();
        assert_eq!(s.base_url, None);
        assert_eq!(s.api_key.as_deref(), Some("sk-1"));
        assert_eq!(s.timeout, Duration::from_millis(250));
        assert_eq!(s.regenerations_per_day, 2);
        assert!(!format!("{s:?}").contains("sk-1"));
    }
}
