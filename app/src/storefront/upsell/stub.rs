//! A stub OpenAI-compatible `POST /v1/chat/completions` on loopback, for the upsell's tests
//! here and the server's HTTP tests (feature `test-support`): it answers in one of several
//! modes and records every request it receives.

use super::prompt::CANDIDATE_PREFIX;
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
    /// The first candidates of the prompt, confidences 0.9, 0.8, …
    Valid,
    /// Like `Valid`, inside a ```json fence.
    Fenced,
    /// These ids (unknown ones, or a mix).
    Ids(Vec<String>),
    /// Text that is not JSON.
    InvalidJson,
    /// Sleeps this long before a valid answer.
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
pub struct Stub {
    /// Base URL for `--ai-base-url` (ends in `/v1`).
    pub url: String,
    requests: Arc<Mutex<Vec<Received>>>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Stub {
    /// Starts the stub on 127.0.0.1:0.
    pub async fn start(mode: Mode) -> Stub {
        start(mode).await
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.received().len()
    }

    /// The first request's body and Authorization header.
    pub fn first(&self) -> (Value, String) {
        let first = self.received().into_iter().next().expect("a request");
        (first.body, first.authorization)
    }
}

#[derive(Clone)]
struct StubState {
    mode: Mode,
    requests: Arc<Mutex<Vec<Received>>>,
}

/// Starts the stub on 127.0.0.1:0; its URL ends in `/v1`.
pub async fn start(mode: Mode) -> Stub {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let state = StubState {
        mode,
        requests: requests.clone(),
    };
    let app = Router::new()
        .route("/v1/chat/completions", post(chat))
        .with_state(state);
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

async fn chat(
    State(st): State<StubState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Ok(mut r) = st.requests.lock() {
        r.push(Received {
            body: body.clone(),
            authorization: auth,
        });
    }
    let ids = candidate_ids(&body);
    let content = match st.mode {
        Mode::Valid => answer(&ids),
        Mode::Fenced => format!("```json\n{}\n```", answer(&ids)),
        Mode::Ids(ids) => answer(&ids),
        Mode::InvalidJson => "Sure! Here are some ideas: the mouse, the bag.".into(),
        Mode::Slow(d) => {
            tokio::time::sleep(d).await;
            answer(&ids)
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

/// The ids of the prompt's candidate lines.
fn candidate_ids(body: &Value) -> Vec<String> {
    let user = body
        .pointer("/messages/1/content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    user.lines()
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
            json!({"product_id": id, "reason": format!("Goes with your cart ({i})"),
                   "confidence": 0.9 - 0.1 * i as f64})
        })
        .collect();
    json!({ "suggestions": suggestions }).to_string()
}
