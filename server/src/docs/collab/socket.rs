//! `GET /ws/docs/{id}`: the Yjs WebSocket protocol as the `y-websocket` provider speaks it; the
//! room is the document.
//!
//! Access is checked before upgrading (session cookie, or `?token=` for clients that cannot set
//! headers): no access is 404, view-only connections have their updates dropped. Frames are
//! parsed here, on the connection's task, and handed to the room; the room's frames come back
//! through a bounded queue (a connection that cannot keep up is dropped by the room).

use app::auth::principal::{principal_for_bearer, record_in_span, resolve};
use app::auth::service::Principal;
use app::docs::collab::access::permission_for;
use app::docs::collab::hub::{CollabLimits, Member};
use app::docs::collab::protocol;
use app::error::{AppError, ErrorCode};
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::ws::{
    rejection::WebSocketUpgradeRejection, CloseFrame, Message, WebSocket, WebSocketUpgrade,
};
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use std::time::Duration;
use tokio::time::{interval, timeout, Instant, MissedTickBehavior};

/// Frames written before one flush.
const BATCH: usize = 64;
/// A socket that refuses writes this long is closed.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Close codes sent to clients.
const MESSAGE_TOO_BIG: u16 = 1009;
const UNSUPPORTED_DATA: u16 = 1003;
const TRY_AGAIN_LATER: u16 = 1013;
const POLICY_VIOLATION: u16 = 1008;

#[derive(Debug, Deserialize)]
pub struct SocketQuery {
    /// An API token or JWT, for clients that cannot send headers.
    token: Option<String>,
}

/// Authenticates and checks access, joins the room, then upgrades. Refusals are answered
/// before the upgrade, with the error envelope.
pub async fn upgrade(
    State(state): State<AppState>,
    Path(doc_id): Path<String>,
    parts: Parts,
    query: Result<Query<SocketQuery>, QueryRejection>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    if crate::middleware::origin_is_foreign(&parts.headers) == Some(true) {
        return Err(AppError::new(
            ErrorCode::CsrfRejected,
            "Cross-site WebSocket refused: connect from Atrium's own pages.",
        ));
    }
    let Query(query) = query.map_err(crate::rest::query_rejection)?;
    let principal = match query.token.as_deref() {
        Some(token) => principal_for_bearer(&state, token).await?,
        None => resolve(&parts, &state)
            .await?
            .ok_or_else(AppError::unauthorized)?,
    };
    record_in_span(&principal);
    let permission = permission_for(&state.pool, &principal, &doc_id)
        .await?
        .ok_or_else(|| AppError::not_found("Document"))?;
    let ws = ws.map_err(|_| {
        AppError::new(
            ErrorCode::BadRequest,
            "This endpoint speaks WebSocket: send an upgrade request.",
        )
    })?;
    let member = state.collab.hub.join(&doc_id).await?;
    let limits = state.collab.hub.limits();
    let access = Access {
        state,
        principal,
        doc_id,
        can_edit: permission.can_edit(),
    };
    Ok(ws
        .max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .on_upgrade(move |socket| serve(socket, member, access, limits)))
}

/// Who is connected to which document; re-checked on every ping, so a revoked share or a
/// downgrade to view takes effect on open connections too.
struct Access {
    state: AppState,
    principal: Principal,
    doc_id: String,
    can_edit: bool,
}

impl Access {
    /// False when the caller lost access to the document (or it was deleted).
    async fn recheck(&mut self) -> bool {
        match permission_for(&self.state.pool, &self.principal, &self.doc_id).await {
            Ok(Some(p)) => {
                self.can_edit = p.can_edit();
                true
            }
            Ok(None) => false,
            // A database hiccup is not a revocation.
            Err(_) => true,
        }
    }
}

/// Counts open connections for `/metrics`.
struct ConnectionGauge;

impl ConnectionGauge {
    fn open() -> Self {
        metrics::gauge!("docs_connections").increment(1.0);
        ConnectionGauge
    }
}

impl Drop for ConnectionGauge {
    fn drop(&mut self) {
        metrics::gauge!("docs_connections").decrement(1.0);
    }
}

async fn serve(socket: WebSocket, mut member: Member, mut access: Access, limits: CollabLimits) {
    let _gauge = ConnectionGauge::open();
    let (mut sink, mut stream) = socket.split();
    let mut ping = interval(limits.ping_every);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ping.tick().await;
    let mut last_heard = Instant::now();
    let close = loop {
        tokio::select! {
            frame = member.outgoing.recv() => {
                let Some(first) = frame else {
                    break Some((TRY_AGAIN_LATER, "Dropped by the document (too slow, or it closed); reconnect."));
                };
                let mut frames = vec![first];
                while frames.len() < BATCH {
                    match member.outgoing.try_recv() {
                        Ok(f) => frames.push(f),
                        Err(_) => break,
                    }
                }
                let write = async {
                    for f in frames {
                        sink.feed(Message::Binary(f)).await?;
                    }
                    sink.flush().await
                };
                if !matches!(timeout(SEND_TIMEOUT, write).await, Ok(Ok(()))) {
                    break None;
                }
            }
            incoming = stream.next() => {
                last_heard = Instant::now();
                match incoming {
                    Some(Ok(Message::Binary(data))) => match protocol::parse(&data, access.can_edit) {
                        Ok(parsed) => {
                            if parsed.dropped_updates > 0 {
                                metrics::counter!("docs_viewer_updates_dropped_total")
                                    .increment(parsed.dropped_updates as u64);
                            }
                            if !parsed.messages.is_empty() && member.send(parsed.messages).await.is_err() {
                                break Some((TRY_AGAIN_LATER, "The document closed; reconnect."));
                            }
                        }
                        Err(e) => {
                            tracing::debug!(error = %e, "bad Yjs frame");
                            break Some((UNSUPPORTED_DATA, "Malformed Yjs message."));
                        }
                    },
                    Some(Ok(Message::Close(_))) | None => break None,
                    Some(Err(e)) => {
                        let too_big = e.to_string().contains("too long");
                        break too_big.then_some((MESSAGE_TOO_BIG, "Message too big."));
                    }
                    // Text, pings (answered by the library) and pongs: the client is alive.
                    Some(Ok(_)) => {}
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > limits.ping_every * 3 {
                    break None;
                }
                if !access.recheck().await {
                    break Some((POLICY_VIOLATION, "Your access to this document ended."));
                }
                let ping = sink.send(Message::Ping(Default::default()));
                if !matches!(timeout(SEND_TIMEOUT, ping).await, Ok(Ok(()))) {
                    break None;
                }
            }
        }
    };
    drop(member);
    if let Some((code, reason)) = close {
        let frame = Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        }));
        let _ = timeout(Duration::from_secs(1), sink.send(frame)).await;
    }
    let _ = timeout(Duration::from_secs(1), sink.close()).await;
}
