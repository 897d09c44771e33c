//! Data the dashboards fetch in the browser: kept while being refetched (no flicker), with the
//! last error beside it, and answers that arrive out of order ignored.

use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// A JSON resource read from a REST URL in the browser.
pub struct Remote<T: Send + Sync + 'static> {
    /// The last good answer (kept while refetching and after a failed refetch).
    pub data: RwSignal<Option<T>>,
    /// Why the last fetch failed, cleared by the next success.
    pub error: RwSignal<Option<String>>,
    /// A fetch is in flight.
    pub loading: RwSignal<bool>,
    /// Bumped per fetch: only the newest fetch's answer is kept.
    generation: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Remote<T> {}

impl<T: DeserializeOwned + Send + Sync + 'static> Remote<T> {
    /// Nothing fetched yet.
    pub fn new() -> Self {
        Remote {
            data: RwSignal::new(None),
            error: RwSignal::new(None),
            loading: RwSignal::new(false),
            generation: StoredValue::new(0),
        }
    }

    /// Fetches `url` (browser only; on the server the page shows its loading state).
    pub fn load(&self, url: String) {
        let this = *self;
        this.generation.update_value(|g| *g += 1);
        let mine = this.generation.get_value();
        this.loading.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let result = super::browser::get_json::<T>(&url).await;
            if this.generation.try_get_value() != Some(mine) {
                return;
            }
            this.loading.set(false);
            match result {
                Ok(value) => {
                    this.data.set(Some(value));
                    this.error.set(None);
                }
                Err(message) => this.error.set(Some(message)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, mine);
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// The message to show for a failed API call: the error envelope's message where there is one.
pub fn error_message(status: u16, body: &str) -> String {
    let from_envelope = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_string));
    match (status, from_envelope) {
        (401, _) => "Your session has ended. Sign in again to see this dashboard.".to_string(),
        (_, Some(message)) => message,
        (404, None) => "This data is not available on this server yet (HTTP 404).".to_string(),
        (status, None) => format!("The server could not answer (HTTP {status}). Try again."),
    }
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn envelope_messages_are_shown() {
        let body = r#"{"error":{"code":"invalid_field","message":"Bad date.","details":null}}"#;
        assert_eq!(error_message(422, body), "Bad date.");
        assert!(error_message(401, body).contains("Sign in"));
        assert!(error_message(404, "").contains("404"));
        assert!(error_message(502, "<html>").contains("502"));
    }
}
