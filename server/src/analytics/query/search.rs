//! `GET /api/v1/tenants/{tenant_id}/orders/search`: validated up front (422 before any byte),
//! then streamed from one database cursor through a bounded channel into a chunked body.

use crate::rest::query_rejection;
use crate::storefront::openapi::ErrorEnvelope;
use app::analytics::check_tenant_path;
use app::analytics::query::filter::OrderFilterParams;
use app::analytics::query::search::{Search, SearchParams, CHANNEL_CHUNKS};
use app::analytics::query::search_encode::Encoder;
use app::auth::service::Principal;
use app::error::AppError;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::{stream, StreamExt, TryStreamExt};
use sqlx::SqlitePool;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

type Chunk = Result<Vec<u8>, AppError>;

#[utoipa::path(
    get,
    path = "/api/v1/tenants/{tenant_id}/orders/search",
    tag = "Analytics",
    operation_id = "search_orders",
    summary = "Search orders, streamed (NDJSON or a JSON array)",
    description = "Newest first (`created_at DESC, order_id DESC`), keyset-paged: pass the last \
                   line's `next_cursor` back as `cursor` (null: no more). `ndjson` (default, \
                   `application/x-ndjson`): one order per line, then `{\"next_cursor\":…}`. \
                   `format=json`: `{\"items\":[…],\"next_cursor\":…}`. Both are streamed (chunked); \
                   a body without its `next_cursor` ending was cut short by a server error. \
                   `start_date` is inclusive, `end_date` exclusive (a bare date includes that day). \
                   Totals are inclusive decimal bounds; `q` matches every word of the customer's \
                   name or email (last word as a prefix).",
    params(
        ("tenant_id" = String, Path, description = "The caller's tenant"),
        OrderFilterParams,
        SearchParams,
    ),
    responses(
        (status = 200, description = "Orders (projected), then the next cursor", content_type = "application/x-ndjson", body = String),
        (status = 401, description = "Missing, invalid or expired credentials", body = ErrorEnvelope),
        (status = 404, description = "Another tenant", body = ErrorEnvelope),
        (status = 422, description = "A bad parameter; `details` names it", body = ErrorEnvelope),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    p: Principal,
    Path(tenant_id): Path<String>,
    filter: Result<Query<OrderFilterParams>, QueryRejection>,
    options: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, AppError> {
    check_tenant_path(&p, &tenant_id)?;
    let Query(filter) = filter.map_err(query_rejection)?;
    let Query(options) = options.map_err(query_rejection)?;
    let search = Search::parse(&filter, &options)?;
    let content_type = search.format.content_type();
    let (tx, mut rx) = mpsc::channel::<Chunk>(CHANNEL_CHUNKS);
    tokio::spawn(produce(state.pool.clone(), tenant_id, search, tx));
    // An error before the first chunk still gets its own status.
    let first = match rx.recv().await {
        Some(first) => first?,
        None => return Err(AppError::internal("order search ended without a body")),
    };
    let rest = stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let body = stream::once(async move { Ok(first) })
        .chain(rest)
        .map_ok(Bytes::from)
        .map_err(|e| std::io::Error::other(e.message));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// Runs the query and sends the body; stops when the client is gone (the channel closes).
/// Records the time spent waiting on the database only, not on the client.
async fn produce(pool: SqlitePool, tenant_id: String, search: Search, tx: mpsc::Sender<Chunk>) {
    let mut db_time = Duration::ZERO;
    let result = run(&pool, &tenant_id, &search, &tx, &mut db_time).await;
    metrics::histogram!("db_query_duration_seconds", "query" => "orders_search")
        .record(db_time.as_secs_f64());
    if let Err(Some(err)) = result {
        let _ = tx.send(Err(err)).await;
    }
}

/// `Err(None)`: the client went away.
async fn run(
    pool: &SqlitePool,
    tenant_id: &str,
    search: &Search,
    tx: &mpsc::Sender<Chunk>,
    db_time: &mut Duration,
) -> Result<(), Option<AppError>> {
    let mut query = search.sql(tenant_id);
    let mut rows = query.build().fetch(pool);
    let mut encoder = Encoder::new(search);
    loop {
        let started = Instant::now();
        let row = rows.try_next().await.map_err(|e| Some(AppError::from(e)))?;
        *db_time += started.elapsed();
        let Some(row) = row else { break };
        if !encoder.push_row(&row)? {
            break;
        }
        if let Some(chunk) = encoder.take_chunk() {
            tx.send(Ok(chunk)).await.map_err(|_| None)?;
        }
    }
    drop(rows);
    let last = encoder.finish()?;
    tx.send(Ok(last)).await.map_err(|_| None)
}
