//! Auth rules and queries. Every query that touches tenant data takes the tenant id.

use super::model::{ApiTokenInfo, Membership, NewApiToken, Role, SessionInfo, TenantId, UserId};
use super::password::{dummy_hash, verify_password, PasswordHashString};
use super::tokens::{generate_token, hash_token};
use crate::error::AppError;
use sqlx::SqlitePool;

/// Who is acting, in which tenant, with which role: the same for session, token and JWT.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub username: String,
    pub role: Role,
}

impl Principal {
    /// Err(403) unless the principal is an admin of its tenant.
    pub fn require_admin(&self) -> Result<(), AppError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Member => Err(AppError::forbidden("Only tenant admins can do that.")),
        }
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct PrincipalRow {
    tenant_id: String,
    user_id: String,
    username: String,
    role: String,
}

impl From<PrincipalRow> for Principal {
    fn from(r: PrincipalRow) -> Self {
        Principal {
            tenant_id: TenantId(r.tenant_id),
            user_id: UserId(r.user_id),
            username: r.username,
            role: Role::parse(&r.role),
        }
    }
}

const PRINCIPAL_SELECT: &str = "SELECT m.tenant_id, u.id AS user_id, u.username, m.role \
     FROM memberships m JOIN users u ON u.id = m.user_id";

/// Checks a username and password. Returns the user id, or None for any mismatch (same timing
/// whether or not the user exists).
pub async fn verify_credentials(
    pool: &SqlitePool,
    username: &str,
    password: &str,
) -> Result<Option<UserId>, AppError> {
    let row: Option<UserRow> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE username = ?")
            .bind(username.trim())
            .fetch_optional(pool)
            .await?;
    let password = password.to_string();
    let verified = tokio::task::spawn_blocking(move || match row {
        Some(row) => verify_password(&password, &PasswordHashString(row.password_hash))
            .then_some(UserId(row.id)),
        None => {
            verify_password(&password, dummy_hash());
            None
        }
    })
    .await
    .map_err(AppError::internal)?;
    Ok(verified)
}

/// The user's tenants, ordered by name.
pub async fn memberships(pool: &SqlitePool, user: &UserId) -> Result<Vec<Membership>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.tenant_id, t.name AS tenant_name, m.role FROM memberships m \
         JOIN tenants t ON t.id = m.tenant_id WHERE m.user_id = ? ORDER BY t.name",
    )
    .bind(user)
    .fetch_all(pool)
    .await?)
}

/// The principal for a user in a tenant, or None when the user is not a member.
pub async fn principal_for_user(
    pool: &SqlitePool,
    tenant: &TenantId,
    user: &UserId,
) -> Result<Option<Principal>, AppError> {
    let sql = format!("{PRINCIPAL_SELECT} WHERE m.tenant_id = ? AND m.user_id = ?");
    let row: Option<PrincipalRow> = sqlx::query_as(&sql)
        .bind(tenant)
        .bind(user)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(Into::into))
}

/// The principal for a username in a tenant (JWT `sub` + `org_id`).
pub async fn principal_for_username(
    pool: &SqlitePool,
    tenant: &str,
    username: &str,
) -> Result<Option<Principal>, AppError> {
    let sql = format!("{PRINCIPAL_SELECT} WHERE m.tenant_id = ? AND u.username = ?");
    let row: Option<PrincipalRow> = sqlx::query_as(&sql)
        .bind(tenant)
        .bind(username)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(Into::into))
}

/// The principal behind a bearer token; None when unknown or revoked. Records its use.
pub async fn principal_for_token(
    pool: &SqlitePool,
    token: &str,
) -> Result<Option<Principal>, AppError> {
    let hash = hash_token(token);
    let sql = format!(
        "{PRINCIPAL_SELECT} JOIN api_tokens k ON k.tenant_id = m.tenant_id AND k.user_id = m.user_id \
         WHERE k.token_hash = ? AND k.revoked_at IS NULL"
    );
    let row: Option<PrincipalRow> = sqlx::query_as(&sql)
        .bind(&hash)
        .fetch_optional(pool)
        .await?;
    if row.is_some() && due_for_touch(&hash) {
        // Bookkeeping, off the request's path: while a bulk ingest holds SQLite's write lock this
        // write may wait seconds, and it must never fail or delay the caller's authentication.
        let pool = pool.clone();
        tokio::spawn(async move {
            let touched =
                sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?")
                    .bind(now_rfc3339())
                    .bind(&hash)
                    .execute(&pool)
                    .await;
            if let Err(e) = touched {
                tracing::debug!(error = %e, "api token last_used_at not updated");
            }
        });
    }
    Ok(row.map(Into::into))
}

/// A token's `last_used_at` is written at most this often: a client polling many times a second
/// would otherwise queue a write per request, each holding a pool connection while it waits for
/// the write lock (an export's status polls exhausted the pool during a bulk load).
const TOUCH_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Whether the token's use should be recorded now (and notes that it is).
fn due_for_touch(hash: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    use std::time::Instant;
    static TOUCHED: LazyLock<Mutex<HashMap<String, Instant>>> = LazyLock::new(Mutex::default);
    let Ok(mut touched) = TOUCHED.lock() else {
        return true;
    };
    let now = Instant::now();
    if touched.len() > 10_000 {
        touched.retain(|_, at| now.duration_since(*at) < TOUCH_EVERY);
    }
    match touched.get(hash) {
        Some(at) if now.duration_since(*at) < TOUCH_EVERY => false,
        _ => {
            touched.insert(hash.to_string(), now);
            true
        }
    }
}

/// The shell's view of a principal: names and every tenant of the user.
pub async fn session_info(pool: &SqlitePool, p: &Principal) -> Result<SessionInfo, AppError> {
    let (display_name,): (String,) = sqlx::query_as("SELECT display_name FROM users WHERE id = ?")
        .bind(&p.user_id)
        .fetch_one(pool)
        .await?;
    let memberships = memberships(pool, &p.user_id).await?;
    let tenant_name = memberships
        .iter()
        .find(|m| m.tenant_id == p.tenant_id)
        .map(|m| m.tenant_name.clone())
        .unwrap_or_else(|| p.tenant_id.0.clone());
    Ok(SessionInfo {
        user_id: p.user_id.clone(),
        username: p.username.clone(),
        display_name,
        tenant_id: p.tenant_id.clone(),
        tenant_name,
        role: p.role,
        memberships,
    })
}

/// Creates a token for the principal in its tenant; the secret is returned once.
pub async fn create_token(
    pool: &SqlitePool,
    p: &Principal,
    name: &str,
) -> Result<NewApiToken, AppError> {
    let name = super::model::validate_token_name(name)?;
    let secret = generate_token();
    let info = insert_token(pool, &p.tenant_id, &p.user_id, &name, &secret).await?;
    Ok(NewApiToken {
        token: info,
        secret,
    })
}

/// Stores a token by hash (also used by the demo seed with its fixed tokens).
pub async fn insert_token(
    pool: &SqlitePool,
    tenant: &TenantId,
    user: &UserId,
    name: &str,
    secret: &str,
) -> Result<ApiTokenInfo, AppError> {
    let id = uuid::Uuid::new_v4().to_string();
    let created_at = now_rfc3339();
    sqlx::query(
        "INSERT INTO api_tokens (id, tenant_id, user_id, name, token_hash, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(tenant)
    .bind(user)
    .bind(name)
    .bind(hash_token(secret))
    .bind(&created_at)
    .execute(pool)
    .await?;
    Ok(ApiTokenInfo {
        id,
        name: name.to_string(),
        created_at,
        last_used_at: None,
    })
}

/// The principal's own live tokens in its tenant, newest first.
pub async fn list_tokens(pool: &SqlitePool, p: &Principal) -> Result<Vec<ApiTokenInfo>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, last_used_at FROM api_tokens \
         WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC",
    )
    .bind(&p.tenant_id)
    .bind(&p.user_id)
    .fetch_all(pool)
    .await?)
}

/// Revokes one of the principal's tokens. Another user's or tenant's token is "not found".
pub async fn revoke_token(pool: &SqlitePool, p: &Principal, id: &str) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = ? \
         WHERE id = ? AND tenant_id = ? AND user_id = ? AND revoked_at IS NULL",
    )
    .bind(now_rfc3339())
    .bind(id)
    .bind(&p.tenant_id)
    .bind(&p.user_id)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("Token"));
    }
    Ok(())
}

/// Current UTC time as RFC 3339 with milliseconds (sorts lexicographically).
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::due_for_touch;

    #[test]
    fn a_token_is_touched_once_per_interval() {
        assert!(due_for_touch("hash-under-test-a"));
        assert!(!due_for_touch("hash-under-test-a"));
        assert!(due_for_touch("hash-under-test-b"));
    }
}
