//! The browser side of the feed: one WebSocket, reconnecting on its own with backoff, resuming
//! from the last offset seen, and following the browser's online/offline events.

use super::model::{
    ConnectionStatus, EventList, FeedEvent, FeedServerMessage, FeedSource, NewFeedEvent,
};
use super::pages::FeedBoardState;
use futures::channel::{mpsc, oneshot};
use futures::{FutureExt, StreamExt};
use gloo_net::websocket::{futures::WebSocket, Message, WebSocketError};
use leptos::prelude::*;
use std::time::Duration;

enum Control {
    Online,
    Offline,
    Stop,
}

/// A running connection; stopping it closes the socket and removes its listeners.
pub struct FeedLink {
    control: mpsc::UnboundedSender<Control>,
    listeners: Vec<WindowListenerHandle>,
}

impl FeedLink {
    /// Closes the connection for good (tenant switched or page left).
    pub fn stop(self) {
        let _ = self.control.unbounded_send(Control::Stop);
        for handle in self.listeners {
            handle.remove();
        }
    }
}

/// Opens the feed of `source` and keeps it open until stopped; updates the board's signals.
pub fn connect(source: FeedSource, signals: FeedBoardState) -> FeedLink {
    let (tx, rx) = mpsc::unbounded();
    let online = tx.clone();
    let offline = tx.clone();
    let listeners = vec![
        window_event_listener(leptos::ev::online, move |_| {
            let _ = online.unbounded_send(Control::Online);
        }),
        window_event_listener(leptos::ev::offline, move |_| {
            let _ = offline.unbounded_send(Control::Offline);
        }),
    ];
    leptos::task::spawn_local(run(source, signals, rx));
    FeedLink {
        control: tx,
        listeners,
    }
}

/// Close code the server sends when the credentials no longer cover the feed.
const CREDENTIALS_ENDED: u16 = 4401;

enum Ended {
    Stopped,
    /// Signed out, switched tenant elsewhere, or lost access: the page must start over.
    AccessLost,
    Offline,
    Dropped,
}

async fn run(
    source: FeedSource,
    signals: FeedBoardState,
    mut control: mpsc::UnboundedReceiver<Control>,
) {
    let mut attempt: u32 = 0;
    loop {
        if !browser_online() {
            signals.status.set(ConnectionStatus::Offline);
            loop {
                match control.next().await {
                    Some(Control::Online) => break,
                    Some(Control::Offline) => {}
                    Some(Control::Stop) | None => return,
                }
            }
        }
        let cursor = signals.timeline.with_untracked(|t| t.cursor.clone());
        signals.status.set(if cursor.is_none() {
            ConnectionStatus::Connecting
        } else {
            ConnectionStatus::Reconnecting
        });
        let ended = match WebSocket::open(&socket_url(&source, cursor)) {
            Ok(socket) => pump(socket, signals, &mut control, &mut attempt).await,
            Err(_) => Ended::Dropped,
        };
        match ended {
            Ended::Stopped => return,
            Ended::AccessLost => {
                // A reload shows the sign-in page, or the tenant the session now points at.
                let path = window()
                    .location()
                    .pathname()
                    .unwrap_or_else(|_| "/".into());
                crate::auth::reload_at(&path);
                return;
            }
            Ended::Offline => {
                signals.status.set(ConnectionStatus::Offline);
                continue;
            }
            Ended::Dropped => signals.status.set(ConnectionStatus::Reconnecting),
        }
        attempt = attempt.saturating_add(1);
        let mut wait = Box::pin(sleep(backoff(attempt)).fuse());
        loop {
            futures::select! {
                _ = wait => break,
                c = control.next() => match c {
                    Some(Control::Online) => break,
                    Some(Control::Offline) => signals.status.set(ConnectionStatus::Offline),
                    Some(Control::Stop) | None => return,
                },
            }
        }
    }
}

/// Reads the socket until it closes or the page says otherwise.
async fn pump(
    socket: WebSocket,
    signals: FeedBoardState,
    control: &mut mpsc::UnboundedReceiver<Control>,
    attempt: &mut u32,
) -> Ended {
    let (_write, mut read) = socket.split();
    loop {
        futures::select! {
            message = read.next().fuse() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Bytes(_))) => continue,
                    Some(Err(WebSocketError::ConnectionClose(close))) if close.code == CREDENTIALS_ENDED => {
                        return Ended::AccessLost;
                    }
                    Some(Err(_)) | None => return Ended::Dropped,
                };
                let Ok(message) = serde_json::from_str::<FeedServerMessage>(&text) else {
                    continue;
                };
                *attempt = 0;
                signals.status.set(ConnectionStatus::Live);
                let added = signals.timeline.try_update(|t| t.apply(message)).unwrap_or(0);
                if added > 0 && !signals.at_top.get_untracked() {
                    signals.unseen.update(|n| *n += added as u32);
                }
            }
            c = control.next() => match c {
                Some(Control::Offline) => return Ended::Offline,
                Some(Control::Online) => {}
                Some(Control::Stop) | None => return Ended::Stopped,
            },
        }
    }
}

/// `ws(s)://<this host>/ws/feed`, naming an open tenant and the resume point when there are.
fn socket_url(source: &FeedSource, cursor: Option<(String, u64)>) -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    let host = location.host().unwrap_or_default();
    let mut params = Vec::new();
    if !source.own {
        params.push(format!("tenant={}", encode(&source.tenant_id)));
    }
    if let Some((epoch, after)) = cursor {
        params.push(format!("epoch={}&after={after}", encode(&epoch)));
    }
    let query = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    format!("{scheme}://{host}/ws/feed{query}")
}

fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

fn browser_online() -> bool {
    window().navigator().on_line()
}

/// 0.5 s doubling to 10 s, with up to 30 % jitter so reconnecting tabs spread out.
fn backoff(attempt: u32) -> Duration {
    let base = (500u64 << attempt.min(5)).min(10_000) as f64;
    let jitter = 1.0 + 0.3 * js_sys::Math::random();
    Duration::from_millis((base * jitter) as u64)
}

async fn sleep(duration: Duration) {
    let (tx, rx) = oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = tx.send(());
        },
        duration,
    );
    let _ = rx.await;
}

const UNREACHABLE: &str = "Could not reach Atrium. Check your connection and try again.";

/// Names an open tenant with the brief's header; the own tenant goes by the session.
fn for_source(
    request: gloo_net::http::RequestBuilder,
    source: &FeedSource,
) -> gloo_net::http::RequestBuilder {
    if source.own {
        request
    } else {
        request.header("X-Tenant-Id", &source.tenant_id)
    }
}

/// Loads up to 50 buffered events before `before`: (events oldest first, whether more exist).
pub async fn load_older(
    source: &FeedSource,
    before: u64,
) -> Result<(Vec<FeedEvent>, bool), String> {
    let request = gloo_net::http::Request::get(&format!("/events?before={before}&limit=50"));
    let response = for_source(request, source)
        .send()
        .await
        .map_err(|_| UNREACHABLE.to_string())?;
    if response.status() != 200 {
        return Err(error_message(response).await);
    }
    let page: EventList = response
        .json()
        .await
        .map_err(|_| "Atrium sent an unexpected answer.".to_string())?;
    Ok((page.events, page.has_older))
}

/// The user-facing message of an error answer (the envelope's `message`).
async fn error_message(response: gloo_net::http::Response) -> String {
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    body["error"]["message"]
        .as_str()
        .unwrap_or("The request failed.")
        .to_string()
}

/// Posts an event to `POST /events`; the error's message is the server's, for the user.
pub async fn post(source: &FeedSource, message: String) -> Result<(), String> {
    let response = for_source(gloo_net::http::Request::post("/events"), source)
        .json(&NewFeedEvent { message })
        .map_err(|_| "Could not prepare the message.".to_string())?
        .send()
        .await
        .map_err(|_| UNREACHABLE.to_string())?;
    if response.status() == 201 {
        return Ok(());
    }
    Err(error_message(response).await)
}
