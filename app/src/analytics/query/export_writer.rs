//! The writing loop of an export job: keyset pages streamed from SQLite into the file, a
//! checkpoint after each.

use super::export::{io_err, ExportSettings};
use super::export_filter::ExportFilter;
use super::export_sink::{
    csv_header, csv_line, csv_segment, ExportRow, ParquetColumns, ParquetSink,
};
use super::export_store::{self as store, Checkpoint, ExportJob};
use crate::error::AppError;
use futures::TryStreamExt;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use std::time::Instant;
use tokio::io::AsyncWriteExt;

/// One keyset page after `last`, in `(created_at, order_id)` order.
fn page_query<'a>(
    tenant_id: &'a str,
    filter: &'a ExportFilter,
    last: &'a Option<(String, String)>,
    limit: i64,
) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::new(
        "SELECT o.order_id, o.customer_id, o.customer_name, o.customer_email, o.status, \
         o.created_at, o.currency, o.total_cents, (SELECT COUNT(*) FROM sales_order_items i \
         WHERE i.tenant_id = o.tenant_id AND i.order_id = o.order_id) AS items_count \
         FROM sales_orders o",
    );
    filter.push_where(&mut q, tenant_id);
    if let Some((at, id)) = last {
        // A row value, not `created_at > ? OR (created_at = ? AND order_id > ?)`: SQLite seeks
        // the index to the cursor only for the row value; the OR form read the tenant's index
        // from the start on every page (sqlite3 3.40, 1M orders: 1.16 s vs 0.035 s a page).
        q.push(" AND (o.created_at, o.order_id) > (")
            .push_bind(at.as_str())
            .push(", ")
            .push_bind(id.as_str())
            .push(")");
    }
    q.push(" ORDER BY o.created_at, o.order_id LIMIT ")
        .push_bind(limit);
    q
}

/// Fetches the next page, handing each row to `each`; returns how many rows came.
async fn fetch_page(
    pool: &SqlitePool,
    tenant_id: &str,
    filter: &ExportFilter,
    cp: &mut Checkpoint,
    limit: i64,
    mut each: impl FnMut(ExportRow) -> Result<(), AppError>,
) -> Result<i64, AppError> {
    let started = Instant::now();
    let last = cp.last.clone();
    let mut q = page_query(tenant_id, filter, &last, limit);
    let mut rows = q.build_query_as::<ExportRow>().fetch(pool);
    let mut n = 0;
    while let Some(row) = rows.try_next().await? {
        cp.last = Some((row.created_at.clone(), row.order_id.clone()));
        each(row)?;
        n += 1;
    }
    metrics::histogram!("db_query_duration_seconds", "query" => "export_page")
        .record(started.elapsed().as_secs_f64());
    Ok(n)
}

/// Appends CSV pages (gzip members if asked) to `file` until the rows run out; returns its length.
pub(super) async fn write_csv(
    settings: &ExportSettings,
    pool: &SqlitePool,
    job: &ExportJob,
    filter: &ExportFilter,
    mut file: tokio::fs::File,
    cp: &mut Checkpoint,
) -> Result<u64, AppError> {
    loop {
        let mut raw = Vec::new();
        if cp.bytes == 0 {
            csv_header(&mut raw);
        }
        let n = fetch_page(pool, &job.tenant_id, filter, cp, settings.page_rows, |r| {
            csv_line(&mut raw, &r);
            Ok(())
        })
        .await?;
        if n > 0 || cp.bytes == 0 {
            let segment = csv_segment(raw, job.gzip).await.map_err(io_err)?;
            file.write_all(&segment).await.map_err(io_err)?;
            file.sync_data().await.map_err(io_err)?;
            cp.rows += n;
            cp.bytes += segment.len() as i64;
            store::save_checkpoint(pool, job, cp, false).await?;
        }
        if n < settings.page_rows {
            return Ok(cp.bytes as u64);
        }
        tokio::time::sleep(settings.page_pause).await;
    }
}

/// Writes the Parquet file (a row group per `row_group_rows`) and its footer; returns its length.
pub(super) async fn write_parquet(
    settings: &ExportSettings,
    pool: &SqlitePool,
    job: &ExportJob,
    filter: &ExportFilter,
    file: tokio::fs::File,
    cp: &mut Checkpoint,
) -> Result<u64, AppError> {
    let file = file.into_std().await;
    let mut sink = Some(ParquetSink::new(file).map_err(io_err)?);
    let mut cols = ParquetColumns::default();
    loop {
        let n = fetch_page(pool, &job.tenant_id, filter, cp, settings.page_rows, |r| {
            cols.push(r).map_err(io_err)
        })
        .await?;
        cp.rows += n;
        let last_page = n < settings.page_rows;
        if cols.len() >= settings.row_group_rows.max(1) || (last_page && !cols.is_empty()) {
            let (mut s, c) = (
                sink.take().ok_or_else(|| io_err("writer gone"))?,
                std::mem::take(&mut cols),
            );
            let (s, bytes) = tokio::task::spawn_blocking(move || s.write_group(&c).map(|b| (s, b)))
                .await
                .map_err(io_err)?
                .map_err(io_err)?;
            sink = Some(s);
            cp.bytes = bytes as i64;
        }
        store::save_checkpoint(pool, job, cp, false).await?;
        if last_page {
            let s = sink.take().ok_or_else(|| io_err("writer gone"))?;
            return tokio::task::spawn_blocking(move || s.close())
                .await
                .map_err(io_err)?
                .map_err(io_err);
        }
        tokio::time::sleep(settings.page_pause).await;
    }
}

/// Hex SHA-256 of a file, read in blocks.
pub(super) fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}
