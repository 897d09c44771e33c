//! `GET /ws/feed`: one WebSocket per browser tab, streaming the tenant's events.
//!
//! Each connection runs in its own task and reads the tenant's broadcast channel, whose bounded
//! queue is the connection's: a slow or stuck client only ever delays itself. When it falls
//! behind the queue it is told (`lagged`) and resynchronised from the buffer; when its socket
//! stops draining altogether it is closed after the send timeout.

use super::access::{Access, CREDENTIALS_ENDED};
use app::error::{AppError, ErrorCode};
use app::feed::hub::{Published, Subscription};
use app::feed::model::FeedServerMessage;
use app::feed::service::{choose_tenant, feed_caller, FeedState, SocketSettings};
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::ws::{
    rejection::WebSocketUpgradeRejection, Message, WebSocket, WebSocketUpgrade,
};
use axum::extract::ws::{CloseFrame, Utf8Bytes};
use axum::extract::{Query, State};
use axum::http::{request::Parts, HeaderMap};
use axum::response::Response;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::{interval, timeout, Instant, MissedTickBehavior};

/// Live events written to a socket before one flush.
const BATCH: usize = 64;

#[derive(Debug, Deserialize)]
pub struct SocketQuery {
    /// An open tenant to watch without credentials (the brief's simple auth).
    tenant: Option<String>,
    /// An API token or JWT, for clients that cannot send headers.
    token: Option<String>,
    /// The last offset seen, to resume from.
    after: Option<u64>,
    /// The epoch that offset belongs to (the current one when absent).
    epoch: Option<String>,
}

/// Authenticates, then upgrades. Errors are answered before the upgrade, with the envelope.
pub async fn upgrade(
    State(state): State<AppState>,
    parts: Parts,
    query: Result<Query<SocketQuery>, QueryRejection>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    refuse_cross_origin(&parts.headers)?;
    let Query(query) = query.map_err(crate::rest::query_rejection)?;
    let caller = feed_caller(&parts, &state, query.token.as_deref()).await?;
    let tenant = choose_tenant(&caller, query.tenant.as_deref(), state.feed.open_tenants())?;
    let ws = ws.map_err(|_| {
        AppError::new(
            ErrorCode::BadRequest,
            "This endpoint speaks WebSocket: send an upgrade request.",
        )
    })?;
    let feed = state.feed.clone();
    let settings = state.feed.socket;
    let resume = query.after.map(|after| {
        let epoch = query.epoch.unwrap_or_else(|| feed.hub.epoch().to_string());
        (epoch, after)
    });
    let access = Access {
        caller,
        parts,
        state,
        token: query.token,
        named: query.tenant,
        tenant: tenant.clone(),
    }
    .recheckable();
    // Clients only send control frames, so a small read buffer (tungstenite allocates 128 KiB
    // per connection by default) keeps a thousand idle sockets cheap.
    Ok(ws
        .read_buffer_size(4 * 1024)
        .write_buffer_size(16 * 1024)
        .max_message_size(4 * 1024)
        .max_frame_size(4 * 1024)
        .max_write_buffer_size(4 * 1024 * 1024)
        .on_upgrade(move |socket| {
            serve(
                socket,
                Connection {
                    feed,
                    tenant,
                    resume,
                    settings,
                    access,
                },
            )
        }))
}

/// Browsers always send `Origin` on a WebSocket; one from another site would ride on the
/// user's cookie (cross-site WebSocket hijacking), so it is refused.
fn refuse_cross_origin(headers: &HeaderMap) -> Result<(), AppError> {
    if crate::middleware::origin_is_foreign(headers) == Some(true) {
        return Err(AppError::new(
            ErrorCode::CsrfRejected,
            "Cross-site WebSocket refused: connect from Atrium's own pages.",
        ));
    }
    Ok(())
}

type Sink = SplitSink<WebSocket, Message>;

/// Counts open connections for `/metrics`.
struct ConnectionGauge;

impl ConnectionGauge {
    fn open() -> Self {
        metrics::gauge!("feed_connections").increment(1.0);
        ConnectionGauge
    }
}

impl Drop for ConnectionGauge {
    fn drop(&mut self) {
        metrics::gauge!("feed_connections").decrement(1.0);
    }
}

/// One accepted connection: whose feed, from where, and how to re-check its access.
struct Connection {
    feed: Arc<FeedState>,
    tenant: String,
    resume: Option<(String, u64)>,
    settings: SocketSettings,
    access: Option<Access>,
}

async fn serve(socket: WebSocket, connection: Connection) {
    let Connection {
        feed,
        tenant,
        resume,
        settings,
        access,
    } = connection;
    let _gauge = ConnectionGauge::open();
    let (mut sink, mut stream) = socket.split();
    let resume_ref = resume.as_ref().map(|(e, o)| (e.as_str(), *o));
    let mut sub = feed.hub.subscribe(&tenant, resume_ref, false);
    if send_batch(&mut sink, &[text(&sub.start)], settings)
        .await
        .is_err()
    {
        return;
    }
    let epoch = feed.hub.epoch().to_string();
    let mut ping = interval(settings.ping_every);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ping.tick().await;
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            first = sub.live.recv() => {
                let outcome = match first {
                    Ok(published) => forward(&mut sink, &mut sub, published, settings).await,
                    Err(RecvError::Lagged(missed)) => Ok(Some(missed)),
                    Err(RecvError::Closed) => break,
                };
                match outcome {
                    Ok(None) => {}
                    Ok(Some(missed)) => {
                        metrics::counter!("feed_lagged_total").increment(1);
                        let lagged = text(&FeedServerMessage::Lagged { missed });
                        sub = feed.hub.subscribe(&tenant, Some((&epoch, sub.last_offset)), true);
                        let start = text(&sub.start);
                        if send_batch(&mut sink, &[lagged, start], settings).await.is_err() {
                            break;
                        }
                    }
                    Err(()) => break,
                }
            }
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                // Pongs, pings (answered by the library) and anything else: the client is alive.
                Some(Ok(_)) => last_heard = Instant::now(),
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > settings.ping_every * 3 {
                    break;
                }
                if let Some(access) = &access {
                    if !access.still_allowed().await {
                        let _ = send_batch(&mut sink, &[credentials_ended()], settings).await;
                        break;
                    }
                }
                if send_batch(&mut sink, &[Message::Ping(Default::default())], settings).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = timeout(Duration::from_secs(1), sink.close()).await;
    drop(stream);
}

/// Sends `first` and whatever else is already queued (up to a batch) with one flush.
/// `Ok(Some(missed))` when the queue overflowed meanwhile.
async fn forward(
    sink: &mut Sink,
    sub: &mut Subscription,
    first: Arc<Published>,
    settings: SocketSettings,
) -> Result<Option<u64>, ()> {
    let mut frames = Vec::with_capacity(8);
    let mut lagged = None;
    let mut next = Some(first);
    while let Some(published) = next.take() {
        // Offsets only grow; anything at or below what was sent is already on the client.
        if published.event.offset > sub.last_offset {
            sub.last_offset = published.event.offset;
            frames.push(Message::Text(published.frame.clone()));
        }
        if frames.len() >= BATCH {
            break;
        }
        match sub.live.try_recv() {
            Ok(p) => next = Some(p),
            Err(TryRecvError::Lagged(missed)) => lagged = Some(missed),
            Err(_) => {}
        }
    }
    send_batch(sink, &frames, settings).await?;
    Ok(lagged)
}

async fn send_batch(
    sink: &mut Sink,
    frames: &[Message],
    settings: SocketSettings,
) -> Result<(), ()> {
    let write = async {
        for frame in frames {
            sink.feed(frame.clone()).await?;
        }
        sink.flush().await
    };
    match timeout(settings.send_timeout, write).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}

fn credentials_ended() -> Message {
    Message::Close(Some(CloseFrame {
        code: CREDENTIALS_ENDED,
        reason: Utf8Bytes::from_static("Your sign-in no longer covers this feed."),
    }))
}

fn text(message: &FeedServerMessage) -> Message {
    Message::Text(serde_json::to_string(message).unwrap_or_default().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, HeaderValue};

    fn headers(origin: Option<&'static str>, host: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static(host));
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    #[test]
    fn same_origin_and_originless_sockets_pass() {
        assert!(refuse_cross_origin(&headers(Some("http://a.test:3000"), "a.test:3000")).is_ok());
        assert!(refuse_cross_origin(&headers(None, "a.test")).is_ok());
    }

    #[test]
    fn cross_site_sockets_are_refused() {
        for origin in ["http://evil.test", "null", "http://a.test.evil.test"] {
            let err = refuse_cross_origin(&headers(Some(origin), "a.test")).expect_err(origin);
            assert_eq!(err.status(), 403);
        }
    }
}
