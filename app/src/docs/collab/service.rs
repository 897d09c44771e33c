//! Documents' metadata: create, list, rename, delete and share. The content (Yjs updates,
//! snapshots, revisions) is the sync store's; this file only knows titles and who may do what.

use super::access;
use super::model::{
    validate_title, Collaborator, DocDetail, DocSummary, Permission, ShareCandidate,
};
use crate::auth::model::Role;
use crate::auth::service::{now_rfc3339, Principal};
use crate::error::AppError;
use sqlx::SqlitePool;

/// Most documents one listing returns (newest first).
pub const LIST_LIMIT: i64 = 500;

#[derive(sqlx::FromRow)]
struct DocRow {
    id: String,
    title: String,
    owner_id: String,
    owner_name: String,
    created_at: String,
    updated_at: String,
    granted: Option<String>,
}

impl DocRow {
    fn summary(self, p: &Principal) -> DocSummary {
        let owned = self.owner_id == p.user_id.0;
        let permission = if owned || p.role == Role::Admin {
            Permission::Admin
        } else {
            self.granted
                .as_deref()
                .and_then(Permission::parse)
                .unwrap_or(Permission::View)
        };
        DocSummary {
            id: self.id,
            title: self.title,
            owner_id: self.owner_id,
            owner_name: self.owner_name,
            permission,
            owned,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const SELECT_DOCS: &str = "SELECT d.id, d.title, d.owner_id, u.display_name AS owner_name, \
     d.created_at, d.updated_at, c.permission AS granted \
     FROM docs d JOIN users u ON u.id = d.owner_id \
     LEFT JOIN doc_collaborators c ON c.doc_id = d.id AND c.user_id = ?1 \
     WHERE d.tenant_id = ?2";

/// Documents the caller owns or that are shared with them; tenant admins see all of the
/// tenant's documents. Most recently updated first.
pub async fn list(pool: &SqlitePool, p: &Principal) -> Result<Vec<DocSummary>, AppError> {
    let sql = format!(
        "{SELECT_DOCS} AND (d.owner_id = ?1 OR c.user_id IS NOT NULL OR ?3) \
         ORDER BY d.updated_at DESC, d.id LIMIT ?4"
    );
    let rows: Vec<DocRow> = sqlx::query_as(&sql)
        .bind(&p.user_id.0)
        .bind(&p.tenant_id.0)
        .bind(p.role == Role::Admin)
        .bind(LIST_LIMIT)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.summary(p)).collect())
}

/// One document the caller may see, or 404.
pub async fn summary(pool: &SqlitePool, p: &Principal, id: &str) -> Result<DocSummary, AppError> {
    access::require(pool, p, id, Permission::View).await?;
    let row: DocRow = sqlx::query_as(&format!("{SELECT_DOCS} AND d.id = ?3"))
        .bind(&p.user_id.0)
        .bind(&p.tenant_id.0)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::not_found("Document"))?;
    Ok(row.summary(p))
}

/// A document with its collaborators.
pub async fn detail(pool: &SqlitePool, p: &Principal, id: &str) -> Result<DocDetail, AppError> {
    let summary = summary(pool, p, id).await?;
    let collaborators = collaborators(pool, id).await?;
    Ok(DocDetail {
        summary,
        collaborators,
    })
}

async fn collaborators(pool: &SqlitePool, id: &str) -> Result<Vec<Collaborator>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, c.permission FROM doc_collaborators c \
         JOIN users u ON u.id = c.user_id WHERE c.doc_id = ? ORDER BY u.display_name",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(user_id, username, display_name, perm)| {
            Some(Collaborator {
                user_id,
                username,
                display_name,
                permission: Permission::parse(&perm)?,
            })
        })
        .collect())
}

/// Creates an empty document owned by the caller.
pub async fn create(pool: &SqlitePool, p: &Principal, title: &str) -> Result<DocSummary, AppError> {
    let title = validate_title(title).map_err(|m| AppError::invalid_field("title", m))?;
    let id = uuid::Uuid::new_v4().to_string();
    let now = now_rfc3339();
    sqlx::query(
        "INSERT INTO docs (id, tenant_id, owner_id, title, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&p.tenant_id.0)
    .bind(&p.user_id.0)
    .bind(&title)
    .bind(&now)
    .bind(&now)
    .execute(pool)
    .await?;
    summary(pool, p, &id).await
}

/// Renames a document (its admins only).
pub async fn rename(
    pool: &SqlitePool,
    p: &Principal,
    id: &str,
    title: &str,
) -> Result<DocSummary, AppError> {
    access::require(pool, p, id, Permission::Admin).await?;
    let title = validate_title(title).map_err(|m| AppError::invalid_field("title", m))?;
    sqlx::query("UPDATE docs SET title = ?, updated_at = ? WHERE id = ? AND tenant_id = ?")
        .bind(&title)
        .bind(now_rfc3339())
        .bind(id)
        .bind(&p.tenant_id.0)
        .execute(pool)
        .await?;
    summary(pool, p, id).await
}

/// Deletes a document's metadata and sharing (its admins only). The caller also drops the
/// live room and stored content.
pub async fn delete(pool: &SqlitePool, p: &Principal, id: &str) -> Result<(), AppError> {
    access::require(pool, p, id, Permission::Admin).await?;
    sqlx::query("DELETE FROM docs WHERE id = ? AND tenant_id = ?")
        .bind(id)
        .bind(&p.tenant_id.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// Grants `permission` on a document to a user of the same tenant, or removes their access
/// with `"none"`. Returns the document with its collaborators.
pub async fn share(
    pool: &SqlitePool,
    p: &Principal,
    id: &str,
    user: &str,
    permission: &str,
) -> Result<DocDetail, AppError> {
    access::require(pool, p, id, Permission::Admin).await?;
    let grant = match permission {
        "none" => None,
        other => Some(Permission::parse(other).ok_or_else(|| {
            AppError::invalid_field("permission", "Choose view, edit, admin or none.")
        })?),
    };
    let target: (String, String) = sqlx::query_as(
        "SELECT u.id, d.owner_id FROM users u JOIN memberships m ON m.user_id = u.id \
         JOIN docs d ON d.id = ? \
         WHERE m.tenant_id = ? AND (u.username = ? OR u.id = ?)",
    )
    .bind(id)
    .bind(&p.tenant_id.0)
    .bind(user)
    .bind(user)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::not_found("User"))?;
    let (user_id, owner_id) = target;
    if user_id == owner_id {
        return Err(AppError::invalid_field(
            "user",
            "The owner always has full access.",
        ));
    }
    match grant {
        Some(g) => {
            sqlx::query(
                "INSERT INTO doc_collaborators (doc_id, user_id, permission, granted_at) \
                 VALUES (?, ?, ?, ?) ON CONFLICT (doc_id, user_id) \
                 DO UPDATE SET permission = excluded.permission",
            )
            .bind(id)
            .bind(&user_id)
            .bind(g.as_str())
            .bind(now_rfc3339())
            .execute(pool)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM doc_collaborators WHERE doc_id = ? AND user_id = ?")
                .bind(id)
                .bind(&user_id)
                .execute(pool)
                .await?;
        }
    }
    detail(pool, p, id).await
}

/// Users of the caller's tenant a document can be shared with (everyone but its owner).
pub async fn share_candidates(
    pool: &SqlitePool,
    p: &Principal,
    id: &str,
) -> Result<Vec<ShareCandidate>, AppError> {
    access::require(pool, p, id, Permission::Admin).await?;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name FROM users u \
         JOIN memberships m ON m.user_id = u.id AND m.tenant_id = ? \
         WHERE u.id <> (SELECT owner_id FROM docs WHERE id = ?) ORDER BY u.display_name",
    )
    .bind(&p.tenant_id.0)
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, username, display_name)| ShareCandidate {
            user_id,
            username,
            display_name,
        })
        .collect())
}

/// Marks a document as changed now (called when its content is edited).
pub async fn touch(pool: &SqlitePool, id: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE docs SET updated_at = ? WHERE id = ?")
        .bind(now_rfc3339())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}
