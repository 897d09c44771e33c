//! Who may do what with a document: the owner and tenant admins are admins, collaborators
//! have their granted permission, everyone else (and every other tenant) has none.

use super::model::Permission;
use crate::auth::model::Role;
use crate::auth::service::Principal;
use crate::error::AppError;
use sqlx::SqlitePool;

/// The caller's permission on `doc_id`, or `None` when the document does not exist in the
/// caller's tenant or is not shared with them (callers answer 404 then, so ids leak nothing).
pub async fn permission_for(
    pool: &SqlitePool,
    principal: &Principal,
    doc_id: &str,
) -> Result<Option<Permission>, AppError> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT d.owner_id, c.permission FROM docs d \
         LEFT JOIN doc_collaborators c ON c.doc_id = d.id AND c.user_id = ? \
         WHERE d.id = ? AND d.tenant_id = ?",
    )
    .bind(&principal.user_id.0)
    .bind(doc_id)
    .bind(&principal.tenant_id.0)
    .fetch_optional(pool)
    .await?;
    let Some((owner, granted)) = row else {
        return Ok(None);
    };
    if owner == principal.user_id.0 || principal.role == Role::Admin {
        return Ok(Some(Permission::Admin));
    }
    Ok(granted.as_deref().and_then(Permission::parse))
}

/// The caller's permission when it is at least `needed`; 404 when they have none, 403 when
/// they have less.
pub async fn require(
    pool: &SqlitePool,
    principal: &Principal,
    doc_id: &str,
    needed: Permission,
) -> Result<Permission, AppError> {
    match permission_for(pool, principal, doc_id).await? {
        None => Err(AppError::not_found("Document")),
        Some(p) if p < needed => Err(AppError::forbidden(match needed {
            Permission::View => "You cannot open this document.",
            Permission::Edit => "You can only view this document.",
            Permission::Admin => "Only the owner or an admin of this document can do that.",
        })),
        Some(p) => Ok(p),
    }
}
