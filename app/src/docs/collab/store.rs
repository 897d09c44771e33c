//! SQL of a document's content: the append-only update log, the compacted snapshot and the
//! revisions (tables of `migrations/0006_doc_sync.sql`).

use crate::auth::service::now_rfc3339;
use crate::docs::collab::model::RevisionInfo;
use crate::error::AppError;
use sqlx::SqlitePool;

/// What a room starts from: the snapshot (if any) and the updates after it, in order.
#[derive(Debug, Default)]
pub struct Stored {
    pub snapshot: Option<Vec<u8>>,
    pub updates: Vec<Vec<u8>>,
    /// The id of the newest update row read (0 when none), covered after loading.
    pub last_id: i64,
}

/// Reads a document's stored content.
pub async fn load(pool: &SqlitePool, doc_id: &str) -> Result<Stored, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let snapshot: Option<(Vec<u8>, i64)> =
        sqlx::query_as("SELECT data, last_update_id FROM doc_snapshots WHERE doc_id = ?")
            .bind(doc_id)
            .fetch_optional(&mut *tx)
            .await?;
    let after = snapshot.as_ref().map_or(0, |s| s.1);
    let rows: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT id, data FROM doc_updates WHERE doc_id = ? AND id > ? ORDER BY id")
            .bind(doc_id)
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    let last_id = rows.last().map_or(after, |r| r.0);
    Ok(Stored {
        snapshot: snapshot.map(|s| s.0),
        updates: rows.into_iter().map(|r| r.1).collect(),
        last_id,
    })
}

/// Appends updates in one transaction (durable when it returns); the id of the last one.
pub async fn append(
    pool: &SqlitePool,
    doc_id: &str,
    updates: &[Vec<u8>],
) -> Result<i64, sqlx::Error> {
    let now = now_rfc3339();
    let mut tx = pool.begin().await?;
    let mut last = 0;
    for update in updates {
        last = sqlx::query("INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, ?)")
            .bind(doc_id)
            .bind(update)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
    }
    tx.commit().await?;
    Ok(last)
}

/// Replaces the updates up to `upto` with `state` (the whole document as one update), in one
/// transaction. A snapshot never replaces a newer one.
pub async fn compact(
    pool: &SqlitePool,
    doc_id: &str,
    state: &[u8],
    upto: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO doc_snapshots (doc_id, data, last_update_id, updated_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data, \
         last_update_id = excluded.last_update_id, updated_at = excluded.updated_at \
         WHERE excluded.last_update_id >= doc_snapshots.last_update_id",
    )
    .bind(doc_id)
    .bind(state)
    .bind(upto)
    .bind(now_rfc3339())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM doc_updates WHERE doc_id = ? AND id <= ?")
        .bind(doc_id)
        .bind(upto)
        .execute(&mut *tx)
        .await?;
    // The list orders documents by their last edit (to within one compaction interval).
    sqlx::query("UPDATE docs SET updated_at = ? WHERE id = ?")
        .bind(now_rfc3339())
        .bind(doc_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Drops a document's content, snapshot and revisions (the document is being deleted).
pub async fn forget(pool: &SqlitePool, doc_id: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for table in ["doc_updates", "doc_snapshots", "doc_revisions"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE doc_id = ?"))
            .bind(doc_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Saves a revision of `state`; `name` None for periodic ones.
pub async fn insert_revision(
    pool: &SqlitePool,
    doc_id: &str,
    name: Option<&str>,
    state: &[u8],
    created_by: Option<&str>,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO doc_revisions (doc_id, name, data, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(doc_id)
    .bind(name)
    .bind(state)
    .bind(now_rfc3339())
    .bind(created_by)
    .execute(pool)
    .await?
    .last_insert_rowid())
}

/// True when the newest revision is younger than `minutes` (periodic revisions wait then).
pub async fn revised_within(
    pool: &SqlitePool,
    doc_id: &str,
    minutes: i64,
) -> Result<bool, sqlx::Error> {
    let since = (chrono::Utc::now() - chrono::Duration::minutes(minutes))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM doc_revisions WHERE doc_id = ? AND created_at > ?",
    )
    .bind(doc_id)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

type RevisionRow = (i64, Option<String>, String, Option<String>);

fn info(row: RevisionRow) -> RevisionInfo {
    RevisionInfo {
        id: row.0,
        name: row.1,
        created_at: row.2,
        created_by: row.3,
    }
}

const REVISION_COLUMNS: &str = "SELECT r.id, r.name, r.created_at, u.display_name \
     FROM doc_revisions r LEFT JOIN users u ON u.id = r.created_by";

/// A document's revisions, newest first.
pub async fn list_revisions(
    pool: &SqlitePool,
    doc_id: &str,
) -> Result<Vec<RevisionInfo>, AppError> {
    let rows: Vec<RevisionRow> = sqlx::query_as(&format!(
        "{REVISION_COLUMNS} WHERE r.doc_id = ? ORDER BY r.id DESC"
    ))
    .bind(doc_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(info).collect())
}

/// One revision's description.
pub async fn revision_info(
    pool: &SqlitePool,
    doc_id: &str,
    id: i64,
) -> Result<RevisionInfo, AppError> {
    let row: Option<RevisionRow> = sqlx::query_as(&format!(
        "{REVISION_COLUMNS} WHERE r.doc_id = ? AND r.id = ?"
    ))
    .bind(doc_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(info).ok_or_else(|| AppError::not_found("Revision"))
}

/// One revision's content (a Yjs update v1 of the whole document).
pub async fn revision_state(pool: &SqlitePool, doc_id: &str, id: i64) -> Result<Vec<u8>, AppError> {
    sqlx::query_scalar("SELECT data FROM doc_revisions WHERE doc_id = ? AND id = ?")
        .bind(doc_id)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::not_found("Revision"))
}
