//! A stub OpenAI-compatible `POST /v1/chat/completions` on loopback for the feedback's tests
//! (and the server's, with feature `test-support`): it answers in one mode and counts requests.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the stub answers.
#[derive(Debug, Clone)]
pub enum Mode {
    /// A valid review with score 77 and the strength [`VALID_STRENGTH`].
    Valid,
    /// Text that is not JSON.
    InvalidJson,
    /// A review whose score is 150.
    BadScore,
    /// Sleeps this long before a valid answer.
    Slow(Duration),
    /// HTTP 500.
    ServerError,
}

/// The first strength of a [`Mode::Valid`] answer.
pub const VALID_STRENGTH: &str = "Stub model: clear structure";

/// A running stub; it stops when dropped.
pub struct Stub {
    /// Base URL for the settings (ends in `/v1`).
    pub url: String,
    requests: Arc<Mutex<Vec<Value>>>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Stub {
    /// Starts the stub on 127.0.0.1:0.
    pub async fn start(mode: Mode) -> Stub {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .with_state((mode, requests.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Stub {
            url,
            requests,
            _shutdown: tx,
        }
    }

    /// The request bodies received so far.
    pub fn received(&self) -> Vec<Value> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.received().len()
    }
}

type StubState = (Mode, Arc<Mutex<Vec<Value>>>);

async fn chat(State((mode, requests)): State<StubState>, Json(body): Json<Value>) -> Response {
    if let Ok(mut r) = requests.lock() {
        r.push(body);
    }
    let review = |score: i64| {
        json!({
            "strengths": [VALID_STRENGTH],
            "improvements": ["Handle the empty input"],
            "conceptual_errors": [],
            "suggestions": ["Add a test for an empty list"],
            "score": score
        })
        .to_string()
    };
    let content = match mode {
        Mode::Valid => review(77),
        Mode::InvalidJson => "Great work! I would give it 8/10.".into(),
        Mode::BadScore => review(150),
        Mode::Slow(d) => {
            tokio::time::sleep(d).await;
            review(77)
        }
        Mode::ServerError => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "model overloaded").into_response()
        }
    };
    Json(json!({
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}]
    }))
    .into_response()
}
