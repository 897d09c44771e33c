//! Batched upserts: one transaction per batch, multi-row INSERTs (sqlx caches the prepared
//! statement per distinct row count, so full chunks reuse one statement).
//!
//! A repeated `order_id` (same tenant) replaces the earlier order: its columns are updated and
//! its items deleted and re-inserted, so the last row for an id wins — within a batch too.

use super::row::ValidOrder;
use crate::error::{AppError, ErrorCode};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Default orders per transaction (`ATRIUM_INGEST_BATCH_ORDERS`). Large: every commit writes
/// each page it touched to the WAL, and the random-order indexes (created_at, product) touch a
/// page per row, so the WAL bytes per order fall as batches grow (docs/analytics/ingest.md).
pub const DEFAULT_BATCH_ORDERS: usize = 25_000;
/// Rows per INSERT statement (keeps bound parameters well under SQLite's 32766).
const ORDERS_PER_STATEMENT: usize = 500;
const ITEMS_PER_STATEMENT: usize = 1000;

/// The single writer of one database's bulk writes (ingest batches and rollup refreshes): its
/// own connection (with a larger page cache than the pool's), used by one transaction at a
/// time. SQLite has one writer; connections contending for it sleep in its busy handler and
/// can starve, while this lock queues them in FIFO order.
#[derive(Debug, Clone)]
pub struct WriteGate {
    conn: Arc<tokio::sync::Mutex<Option<SqliteConnection>>>,
    cache_kib: u32,
    batch_orders: usize,
    /// Ingest batches waiting for or holding the writer; background work yields to them.
    batches: Arc<AtomicUsize>,
}

/// Exclusive use of the writer connection until dropped.
pub struct Writer<'a> {
    slot: tokio::sync::MutexGuard<'a, Option<SqliteConnection>>,
}

impl Writer<'_> {
    /// The connection (opened by [`WriteGate::acquire`]).
    pub fn conn(&mut self) -> Result<&mut SqliteConnection, AppError> {
        self.slot
            .as_mut()
            .ok_or_else(|| AppError::internal("writer connection missing"))
    }

    /// Drops the connection after an error: the next writer opens a fresh one.
    pub fn discard(&mut self) {
        *self.slot = None;
    }
}

/// Counts an ingest batch as waiting for the writer until dropped.
struct BatchTicket<'a>(&'a AtomicUsize);

impl Drop for BatchTicket<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl WriteGate {
    /// A gate whose connection caches up to `cache_kib` KiB of pages and whose ingest writes
    /// `batch_orders` orders per transaction (at least 1).
    pub fn new(cache_kib: u32, batch_orders: usize) -> Self {
        Self {
            conn: Arc::default(),
            cache_kib,
            batch_orders: batch_orders.max(1),
            batches: Arc::default(),
        }
    }

    /// Orders per ingest transaction.
    pub fn batch_orders(&self) -> usize {
        self.batch_orders
    }

    /// Whether an ingest batch is waiting for (or holding) the writer.
    pub fn ingest_waiting(&self) -> bool {
        self.batches.load(Ordering::SeqCst) > 0
    }

    /// Waits for the writer (FIFO) and opens its connection if needed.
    pub async fn acquire(&self, pool: &SqlitePool) -> Result<Writer<'_>, AppError> {
        let mut slot = self.conn.lock().await;
        if pool.is_closed() {
            // The server is stopping: the pool's owner expects no more writes.
            return Err(AppError::new(
                ErrorCode::Unavailable,
                "The server is shutting down.",
            ));
        }
        if slot.is_none() {
            let mut conn = pool.connect_options().connect().await?;
            sqlx::query(&format!("PRAGMA cache_size = -{}", self.cache_kib))
                .execute(&mut conn)
                .await?;
            // Writers outside the gate (checkout, catalogue) hold the lock briefly; wait for them.
            sqlx::query("PRAGMA busy_timeout = 30000")
                .execute(&mut conn)
                .await?;
            // Checkpoint less often (16k pages, 64 MiB of WAL): a page rewritten by several
            // batches is copied back to the database once.
            sqlx::query("PRAGMA wal_autocheckpoint = 16384")
                .execute(&mut conn)
                .await?;
            *slot = Some(conn);
        }
        Ok(Writer { slot })
    }
}

/// Writes one batch for the tenant in a single transaction.
pub async fn write_batch(
    pool: &SqlitePool,
    gate: &WriteGate,
    tenant_id: &str,
    batch: &[ValidOrder],
) -> Result<(), AppError> {
    gate.batches.fetch_add(1, Ordering::SeqCst);
    let _ticket = BatchTicket(&gate.batches);
    let mut writer = gate.acquire(pool).await?;
    let written = write_with(writer.conn()?, tenant_id, batch).await;
    if written.is_err() {
        // Start the next batch on a fresh connection rather than trust this one.
        writer.discard();
    }
    written
}

async fn write_with(
    conn: &mut SqliteConnection,
    tenant_id: &str,
    batch: &[ValidOrder],
) -> Result<(), AppError> {
    // The last row for an order id wins; earlier ones in the batch are dropped.
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
    for (i, o) in batch.iter().enumerate() {
        last.insert(o.order_id.as_str(), i);
    }
    let orders: Vec<&ValidOrder> = batch
        .iter()
        .enumerate()
        .filter(|(i, o)| last.get(o.order_id.as_str()) == Some(i))
        .map(|(_, o)| o)
        .collect();

    let started = std::time::Instant::now();
    let mut tx = conn.begin().await?;
    crate::analytics::metrics::rollups::record_batch(&mut tx, tenant_id, &orders).await?;
    for chunk in orders.chunks(ORDERS_PER_STATEMENT) {
        let mut del: QueryBuilder<Sqlite> =
            QueryBuilder::new("DELETE FROM sales_order_items WHERE tenant_id = ");
        del.push_bind(tenant_id).push(" AND order_id IN (");
        let mut ids = del.separated(", ");
        for o in chunk {
            ids.push_bind(&o.order_id);
        }
        del.push(")");
        del.build().persistent(true).execute(&mut *tx).await?;

        let mut ins: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO sales_orders (tenant_id, order_id, customer_id, customer_name, \
             customer_email, status, created_at, currency, total_cents) ",
        );
        ins.push_values(chunk, |mut b, o| {
            b.push_bind(tenant_id)
                .push_bind(&o.order_id)
                .push_bind(&o.customer_id)
                .push_bind(&o.customer_name)
                .push_bind(&o.customer_email)
                .push_bind(o.status)
                .push_bind(&o.created_at)
                .push_bind(&o.currency)
                .push_bind(o.total_cents);
        });
        ins.push(
            " ON CONFLICT (tenant_id, order_id) DO UPDATE SET customer_id = excluded.customer_id, \
             customer_name = excluded.customer_name, customer_email = excluded.customer_email, \
             status = excluded.status, created_at = excluded.created_at, \
             currency = excluded.currency, total_cents = excluded.total_cents",
        );
        ins.build().persistent(true).execute(&mut *tx).await?;
    }
    let items: Vec<(&str, i64, &super::row::ValidItem)> = orders
        .iter()
        .flat_map(|o| {
            o.items
                .iter()
                .zip(0i64..)
                .map(move |(item, n)| (o.order_id.as_str(), n, item))
        })
        .collect();
    for chunk in items.chunks(ITEMS_PER_STATEMENT) {
        let mut ins: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO sales_order_items (tenant_id, order_id, line_no, product_id, quantity, \
             unit_price_cents) ",
        );
        ins.push_values(chunk, |mut b, (order_id, n, item)| {
            b.push_bind(tenant_id)
                .push_bind(*order_id)
                .push_bind(*n)
                .push_bind(&item.product_id)
                .push_bind(item.quantity)
                .push_bind(item.unit_price_cents);
        });
        ins.build().persistent(true).execute(&mut *tx).await?;
    }
    // Re-ingested orders whose customer changed may have left a tuple unused.
    crate::analytics::query::customers::sweep_stale_customers(&mut tx).await?;
    tx.commit().await?;
    metrics::histogram!("db_query_duration_seconds", "query" => "ingest_batch")
        .record(started.elapsed().as_secs_f64());
    Ok(())
}
