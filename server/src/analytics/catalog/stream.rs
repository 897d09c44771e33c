//! `GET /api/v1/tenants/{tenant_id}/price-anomalies/stream`: Server-Sent Events of the tenant's
//! new anomalies. Each event's `id:` is the anomaly's id; a client reconnecting with
//! `Last-Event-ID` first gets what it missed from the table, then the live ones. The hub is
//! subscribed before the table is read, so nothing falls between; ids already sent are skipped.

use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::catalog::prices;
use app::analytics::catalog::state::AnomalyEvent;
use app::analytics::check_tenant_path;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use sqlx::SqlitePool;
use std::collections::VecDeque;
use std::convert::Infallible;
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Rows read from the table per step of a catch-up.
const CATCH_UP_BATCH: i64 = 500;

struct Cursor {
    pool: SqlitePool,
    tenant_id: String,
    rx: Receiver<AnomalyEvent>,
    /// Highest id sent; `None` until the first event when the client gave no Last-Event-ID.
    last: Option<i64>,
    /// Read from the table, not yet sent.
    backlog: VecDeque<AnomalyEvent>,
}

fn sse_event(e: &AnomalyEvent) -> Event {
    Event::default()
        .id(e.id.to_string())
        .event("anomaly")
        .json_data(&e.anomaly)
        .unwrap_or_else(|_| Event::default().comment("unserialisable anomaly"))
}

impl Cursor {
    /// The next event to send, waiting for one.
    async fn next(&mut self) -> Option<AnomalyEvent> {
        loop {
            if let Some(e) = self.backlog.pop_front() {
                self.last = Some(e.id);
                return Some(e);
            }
            match self.rx.recv().await {
                Ok(e) if self.last.is_some_and(|l| e.id <= l) => continue,
                Ok(e) if self.last.is_none_or(|l| e.id == l + 1) => {
                    self.last = Some(e.id);
                    return Some(e);
                }
                // A gap (ids are global, so often just another tenant's) or lag: read the table.
                Ok(e) => {
                    let after = self.last.unwrap_or(e.id - 1);
                    self.catch_up(after, Some(e)).await;
                }
                Err(RecvError::Lagged(_)) => {
                    let after = self.last.unwrap_or(0);
                    self.catch_up(after, None).await;
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }

    async fn catch_up(&mut self, after: i64, fallback: Option<AnomalyEvent>) {
        match prices::since(&self.pool, &self.tenant_id, after, CATCH_UP_BATCH).await {
            Ok(rows) if !rows.is_empty() => self.backlog.extend(rows),
            _ => self.backlog.extend(fallback),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/price-anomalies/stream",
    tag = "Catalogue",
    operation_id = "price_anomaly_stream",
    summary = "Live stream (Server-Sent Events) of the tenant's new anomalies",
    description = "`text/event-stream`; each event is `event: anomaly`, `id: <anomaly id>`, `data: \
                   <PriceAnomaly JSON>`, with keep-alive comments. Reconnect with `Last-Event-ID` \
                   to receive the anomalies missed since that id first.",
    params(
        ("tenant_id" = String, Path, description = "The caller's tenant"),
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this anomaly id"),
    ),
    responses(
        (status = 200, description = "The event stream", content_type = "text/event-stream", body = String),
        (status = 401, description = "Missing or invalid credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn stream(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let rx = state.catalog.subscribe(&tenant_id);
    let mut cursor = Cursor {
        pool: state.pool.clone(),
        tenant_id,
        rx,
        last,
        backlog: VecDeque::new(),
    };
    if let Some(after) = last {
        cursor.backlog = prices::since(&state.pool, &cursor.tenant_id, after, i64::MAX)
            .await?
            .into();
    }
    let events = stream::unfold(cursor, |mut c| async move {
        let e = c.next().await?;
        Some((Ok(sse_event(&e)), c))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
