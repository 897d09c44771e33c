//! Stored files: metadata in SQLite, content through [`storage`](super::storage), and the
//! access rule. The REST handlers and the page's server functions both call these.
//!
//! Who sees what: only the caller's tenant's files; tenant admins see all of them, members see
//! `tenant` files and their own `private` ones. A file the caller cannot see does not exist for
//! them (404, whether it is another tenant's or a colleague's private file). Only admins delete
//! (a member gets 403 for a file they can see).

use super::model::{AccessLevel, FileMeta, FilePage};
use super::state::FilesState;
use super::storage::{self, StoredFile};
use crate::auth::model::Role;
use crate::auth::service::{now_rfc3339, Principal};
use crate::error::AppError;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sqlx::SqlitePool;

/// Files per page unless the caller asks for fewer or more.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Most files one page may hold.
pub const MAX_PAGE_SIZE: u32 = 100;

const SELECT: &str =
    "SELECT f.seq, f.id, f.tenant_id, f.filename, COALESCE(u.username, '') AS uploaded_by, \
     COALESCE(u.display_name, '') AS uploader_name, f.upload_date, f.access_level, f.size, \
     f.sha256, f.content_type, f.stored_name, f.uploaded_by AS uploader_id \
     FROM files f LEFT JOIN users u ON u.id = f.uploaded_by";

/// The files the caller may see: the tenant, then (for members) tenant-wide or their own.
const VISIBLE: &str = "f.tenant_id = ? AND (? OR f.access_level = 'tenant' OR f.uploaded_by = ?)";

#[derive(sqlx::FromRow)]
struct FileRow {
    seq: i64,
    id: String,
    tenant_id: String,
    filename: String,
    uploaded_by: String,
    uploader_name: String,
    upload_date: String,
    access_level: String,
    size: i64,
    sha256: String,
    content_type: String,
    stored_name: String,
    uploader_id: String,
}

impl FileRow {
    fn meta(&self) -> FileMeta {
        FileMeta {
            id: self.id.clone(),
            tenant_id: self.tenant_id.clone(),
            filename: self.filename.clone(),
            uploaded_by: self.uploaded_by.clone(),
            uploader_name: self.uploader_name.clone(),
            upload_date: self.upload_date.clone(),
            // The column's CHECK allows these two only.
            access_level: AccessLevel::parse(&self.access_level).unwrap_or(AccessLevel::Private),
            size: u64::try_from(self.size).unwrap_or(0),
            sha256: self.sha256.clone(),
            content_type: self.content_type.clone(),
        }
    }
}

/// The access rule as a plain function (the `VISIBLE` clause says the same in SQL).
pub fn may_see(p: &Principal, tenant_id: &str, access: AccessLevel, uploader_id: &str) -> bool {
    tenant_id == p.tenant_id.0
        && (p.role == Role::Admin || access == AccessLevel::Tenant || uploader_id == p.user_id.0)
}

/// What the caller may do with files they can see: only admins delete.
pub fn require_delete(p: &Principal) -> Result<(), AppError> {
    match p.role {
        Role::Admin => Ok(()),
        Role::Member => Err(AppError::forbidden(
            "Only tenant admins can delete files. Ask an admin of your organisation to remove it.",
        )),
    }
}

fn not_found() -> AppError {
    AppError::not_found("File")
}

/// Records a stored file (the file stays only if the row is written) and returns its metadata.
pub async fn create(
    pool: &SqlitePool,
    p: &Principal,
    filename: &str,
    access: AccessLevel,
    content_type: &str,
    stored: StoredFile,
) -> Result<FileMeta, AppError> {
    let id = uuid::Uuid::new_v4().to_string();
    let size = i64::try_from(stored.size).map_err(AppError::internal)?;
    sqlx::query(
        "INSERT INTO files (id, tenant_id, filename, stored_name, content_type, size, sha256, \
         access_level, uploaded_by, upload_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&p.tenant_id.0)
    .bind(filename)
    .bind(&stored.stored_name)
    .bind(content_type)
    .bind(size)
    .bind(&stored.sha256)
    .bind(access.as_str())
    .bind(&p.user_id.0)
    .bind(now_rfc3339())
    .execute(pool)
    .await?;
    stored.keep();
    tracing::info!(file_id = %id, size, access = access.as_str(), "file stored");
    Ok(find(pool, p, &id).await?.meta())
}

/// The caller's file, or 404 (another tenant's, or a colleague's private file, or no file).
async fn find(pool: &SqlitePool, p: &Principal, id: &str) -> Result<FileRow, AppError> {
    let sql = format!("{SELECT} WHERE f.id = ? AND {VISIBLE}");
    let row: Option<FileRow> = sqlx::query_as(&sql)
        .bind(id)
        .bind(&p.tenant_id.0)
        .bind(p.role == Role::Admin)
        .bind(&p.user_id.0)
        .fetch_optional(pool)
        .await?;
    let row = row.ok_or_else(not_found)?;
    let access = AccessLevel::parse(&row.access_level).unwrap_or(AccessLevel::Private);
    if !may_see(p, &row.tenant_id, access, &row.uploader_id) {
        return Err(not_found());
    }
    Ok(row)
}

/// One file's metadata.
pub async fn get(pool: &SqlitePool, p: &Principal, id: &str) -> Result<FileMeta, AppError> {
    Ok(find(pool, p, id).await?.meta())
}

/// The cursor is the last row's upload sequence number, base64url JSON: opaque to clients,
/// stable under inserts and deletes (never repeats or skips a row).
fn encode_cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::json!([seq]).to_string())
}

fn decode_cursor(cursor: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<(i64,)>(&bytes).ok())
        .map(|(seq,)| seq)
        .ok_or_else(|| AppError::invalid_field("cursor", "cursor is not one this API issued."))
}

/// One page of what the caller may see, newest first.
pub async fn list(
    pool: &SqlitePool,
    p: &Principal,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<FilePage, AppError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(AppError::invalid_field(
            "limit",
            &format!("limit must be between 1 and {MAX_PAGE_SIZE}."),
        ));
    }
    let after = cursor
        .filter(|c| !c.is_empty())
        .map(decode_cursor)
        .transpose()?;
    let mut sql = format!("{SELECT} WHERE {VISIBLE}");
    if after.is_some() {
        sql.push_str(" AND f.seq < ?");
    }
    sql.push_str(" ORDER BY f.seq DESC LIMIT ?");
    let mut query = sqlx::query_as::<_, FileRow>(&sql)
        .bind(&p.tenant_id.0)
        .bind(p.role == Role::Admin)
        .bind(&p.user_id.0);
    if let Some(seq) = after {
        query = query.bind(seq);
    }
    let mut rows = query.bind(i64::from(limit) + 1).fetch_all(pool).await?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| encode_cursor(r.seq))
    } else {
        None
    };
    Ok(FilePage {
        documents: rows.iter().map(FileRow::meta).collect(),
        next_cursor,
    })
}

/// A file to send: its metadata, the open file and its length on disk.
#[derive(Debug)]
pub struct Download {
    pub meta: FileMeta,
    pub file: tokio::fs::File,
    pub len: u64,
}

/// Opens the caller's file for download (404 as for [`get`]).
pub async fn open(
    files: &FilesState,
    pool: &SqlitePool,
    p: &Principal,
    id: &str,
) -> Result<Download, AppError> {
    let row = find(pool, p, id).await?;
    let path = storage::stored_path(files, &row.tenant_id, &row.stored_name)?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| AppError::internal(format!("open {}: {e}", path.display())))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| AppError::internal(format!("stat {}: {e}", path.display())))?
        .len();
    let meta = row.meta();
    if len != meta.size {
        tracing::error!(file_id = %meta.id, stored = len, recorded = meta.size, "stored file changed size");
    }
    Ok(Download { meta, file, len })
}

/// Deletes the caller's file (admins only): the row and the file go together — the row's
/// delete commits only once the file is removed.
pub async fn delete(
    files: &FilesState,
    pool: &SqlitePool,
    p: &Principal,
    id: &str,
) -> Result<(), AppError> {
    find(pool, p, id).await?;
    require_delete(p)?;
    let mut tx = pool.begin().await?;
    let stored: Option<String> = sqlx::query_scalar(
        "DELETE FROM files WHERE id = ? AND tenant_id = ? RETURNING stored_name",
    )
    .bind(id)
    .bind(&p.tenant_id.0)
    .fetch_optional(&mut *tx)
    .await?;
    let stored = stored.ok_or_else(not_found)?;
    storage::remove(&storage::stored_path(files, &p.tenant_id.0, &stored)?).await?;
    tx.commit().await?;
    tracing::info!(file_id = %id, "file deleted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::{TenantId, UserId};

    fn principal(tenant: &str, user: &str, role: Role) -> Principal {
        Principal {
            tenant_id: TenantId(tenant.into()),
            user_id: UserId(user.into()),
            username: user.into(),
            role,
        }
    }

    #[test]
    fn the_access_rule() {
        let admin = principal("company_a", "admin", Role::Admin);
        let member = principal("company_a", "member", Role::Member);
        let other = principal("company_b", "admin_b", Role::Admin);
        use AccessLevel::{Private, Tenant};
        // Tenant-wide files: everyone in the tenant.
        assert!(may_see(&admin, "company_a", Tenant, "member"));
        assert!(may_see(&member, "company_a", Tenant, "admin"));
        // Private files: the uploader and the tenant's admins.
        assert!(may_see(&member, "company_a", Private, "member"));
        assert!(may_see(&admin, "company_a", Private, "member"));
        assert!(!may_see(&member, "company_a", Private, "admin"));
        assert!(!may_see(&member, "company_a", Private, "someone_else"));
        // Another tenant: never, admin or not.
        assert!(!may_see(&other, "company_a", Tenant, "member"));
        assert!(!may_see(&other, "company_a", Private, "admin_b"));
    }

    #[test]
    fn only_admins_delete() {
        assert!(require_delete(&principal("t", "a", Role::Admin)).is_ok());
        let err = require_delete(&principal("t", "m", Role::Member)).expect_err("member");
        assert_eq!(err.status(), 403);
        assert!(err.message.contains("Only tenant admins"));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_named_error() {
        assert_eq!(decode_cursor(&encode_cursor(42)).ok(), Some(42));
        let err = decode_cursor("garbage").expect_err("garbage");
        assert_eq!(err.status(), 422);
    }
}
