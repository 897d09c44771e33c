//! A stub OpenAI-compatible `POST /v1/chat/completions` on loopback for the upsell tests: it
//! answers in one of several modes and records every request it receives.

use app::storefront::upsell::prompt::CANDIDATE_PREFIX;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the stub answers.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The first candidates listed in the prompt, confidences 0.9, 0.8, …
    Valid,
    /// These ids, whatever the prompt says (unknown or another tenant's).
    Ids(Vec<String>),
    /// Prose instead of JSON.
    InvalidJson,
    /// Sleeps this long, then answers like `Valid`.
    Slow(Duration),
    /// HTTP 500.
    ServerError,
}

/// One request as received: its JSON body and Authorization header.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Value,
    pub authorization: String,
}

/// A running stub; it stops when dropped.
pub struct OpenAiStub {
    /// Base URL for `--ai-base-url` (ends in `/v1`).
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

#[derive(Clone)]
struct StubState {
    mode: Mode,
    received: Arc<Mutex<Vec<Received>>>,
}

impl OpenAiStub {
    /// Starts the stub on 127.0.0.1:0.
    pub async fn start(mode: Mode) -> OpenAiStub {
        let received = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .with_state(StubState {
                mode,
                received: received.clone(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind stub");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        OpenAiStub {
            url,
            received,
            _shutdown: tx,
        }
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

async fn chat(
    State(st): State<StubState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let ids = candidate_ids(&body);
    if let Ok(mut r) = st.received.lock() {
        r.push(Received {
            body,
            authorization,
        });
    }
    let content = match st.mode {
        Mode::Valid => answer(&ids),
        Mode::Ids(ids) => answer(&ids),
        Mode::InvalidJson => "I would suggest the cable and maybe a hub!".to_string(),
        Mode::Slow(d) => {
            tokio::time::sleep(d).await;
            answer(&ids)
        }
        Mode::ServerError => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "overloaded").into_response();
        }
    };
    Json(json!({
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
    }))
    .into_response()
}

/// The product ids of the prompt's candidate lines (`- product_id=<id> | …`).
pub fn candidate_ids(body: &Value) -> Vec<String> {
    body.pointer("/messages/1/content")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix(CANDIDATE_PREFIX))
        .filter_map(|rest| rest.split(" | ").next())
        .map(str::to_string)
        .collect()
}

fn answer(ids: &[String]) -> String {
    let suggestions: Vec<Value> = ids
        .iter()
        .take(4)
        .enumerate()
        .map(|(i, id)| {
            json!({"product_id": id, "reason": format!("Pairs well with your cart ({i})"),
                   "confidence": 0.9 - 0.1 * i as f64})
        })
        .collect();
    json!({ "suggestions": suggestions }).to_string()
}
