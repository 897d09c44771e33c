//! Challenge rows: loading, the caller as an [`Actor`], and seeding
//! every tenant with the built-in library.
//!
//! Seeding is idempotent: at start-up for every existing tenant, and lazily the first time a
//! tenant uses the area in this process (so tenants created later get the library too). A
//! built-in row whose spec changed is updated in place (same id, so progress is kept).

use super::columns::columns;
use super::rules::{effective_role, Actor, ChallengeFacts};
use crate::auth::service::{now_rfc3339, Principal};
use crate::challenges::library::{self, TaskSpec};
use crate::challenges::state::ChallengesState;
use crate::error::AppError;
use sqlx::SqlitePool;

/// A stored challenge.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChallengeRow {
    pub id: String,
    pub tenant_id: String,
    pub slug: String,
    pub builtin: bool,
    pub spec: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub difficulty: String,
    pub level: i64,
    pub estimated_minutes: i64,
    pub is_public: bool,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

impl ChallengeRow {
    /// The facts the rules look at.
    pub fn facts(&self) -> ChallengeFacts<'_> {
        ChallengeFacts {
            tenant_id: &self.tenant_id,
            created_by: self.created_by.as_deref(),
            is_public: self.is_public,
            builtin: self.builtin,
            deleted: self.deleted_at.is_some(),
        }
    }

    /// The full task (server-only: solutions and hidden tests).
    pub fn task(&self) -> Result<TaskSpec, AppError> {
        serde_json::from_str(&self.spec).map_err(AppError::internal)
    }
}

/// Columns of [`ChallengeRow`], for `SELECT`.
pub const COLUMNS: &str = "c.id, c.tenant_id, c.slug, c.builtin, c.spec, c.title, c.summary, \
    c.category, c.difficulty, c.level, c.estimated_minutes, c.is_public, c.created_by, \
    c.created_at, c.updated_at, c.deleted_at";

/// The caller with their challenge role.
pub async fn actor(pool: &SqlitePool, p: &Principal) -> Result<Actor, AppError> {
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT role FROM challenge_roles WHERE tenant_id = ? AND user_id = ?")
            .bind(&p.tenant_id.0)
            .bind(&p.user_id.0)
            .fetch_optional(pool)
            .await?;
    Ok(Actor {
        tenant_id: p.tenant_id.0.clone(),
        user_id: p.user_id.0.clone(),
        username: p.username.clone(),
        role: effective_role(p.role, stored.as_ref().map(|r| r.0.as_str())),
    })
}

/// A challenge of the caller's tenant by id (deleted ones included; the rules decide).
pub async fn find(
    pool: &SqlitePool,
    tenant_id: &str,
    id: &str,
) -> Result<Option<ChallengeRow>, AppError> {
    Ok(sqlx::query_as::<_, ChallengeRow>(&format!(
        "SELECT {COLUMNS} FROM challenges c WHERE c.id = ? AND c.tenant_id = ?"
    ))
    .bind(id)
    .bind(tenant_id)
    .fetch_optional(pool)
    .await?)
}

/// A challenge the caller may see, or 404.
pub async fn visible(pool: &SqlitePool, actor: &Actor, id: &str) -> Result<ChallengeRow, AppError> {
    let row = find(pool, &actor.tenant_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Challenge"))?;
    super::rules::can_see(actor, &row.facts())?;
    Ok(row)
}

/// Inserts the library's tasks for a tenant, or updates built-in rows whose spec changed.
pub async fn seed_tenant(pool: &SqlitePool, tenant_id: &str) -> Result<(), AppError> {
    let now = now_rfc3339();
    let mut tx = pool.begin().await?;
    for task in library::all_tasks() {
        let c = columns(&task)?;
        let insert = sqlx::query(
            "INSERT INTO challenges (id, tenant_id, slug, builtin, spec, spec_hash, title, summary, \
                 category, difficulty, difficulty_rank, level, tags, languages, estimated_minutes, \
                 is_public, created_by, created_at, updated_at) \
             VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?) \
             ON CONFLICT (tenant_id, slug) DO UPDATE SET spec = excluded.spec, \
                 spec_hash = excluded.spec_hash, title = excluded.title, \
                 summary = excluded.summary, category = excluded.category, \
                 difficulty = excluded.difficulty, difficulty_rank = excluded.difficulty_rank, \
                 level = excluded.level, tags = excluded.tags, languages = excluded.languages, \
                 estimated_minutes = excluded.estimated_minutes, updated_at = excluded.updated_at \
             WHERE challenges.builtin = 1 AND challenges.spec_hash <> excluded.spec_hash",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(tenant_id)
        .bind(&task.slug);
        c.bind(insert)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Seeds the tenant once per process (idempotent anyway).
pub async fn ensure_seeded(
    pool: &SqlitePool,
    state: &ChallengesState,
    tenant_id: &str,
) -> Result<(), AppError> {
    if state.first_visit(tenant_id) {
        if let Err(e) = seed_tenant(pool, tenant_id).await {
            state.forget_visit(tenant_id);
            return Err(e);
        }
    }
    Ok(())
}

/// Seeds every existing tenant (start-up).
pub async fn seed_all(pool: &SqlitePool, state: &ChallengesState) -> Result<(), AppError> {
    let tenants: Vec<(String,)> = sqlx::query_as("SELECT id FROM tenants")
        .fetch_all(pool)
        .await?;
    for (tenant,) in tenants {
        ensure_seeded(pool, state, &tenant).await?;
    }
    Ok(())
}

/// Demo mode: `instructor_a` is an instructor of company_a.
pub async fn seed_demo_roles(pool: &SqlitePool) -> Result<(), AppError> {
    sqlx::query(
        "INSERT OR IGNORE INTO challenge_roles (tenant_id, user_id, role) \
         SELECT m.tenant_id, m.user_id, 'instructor' FROM memberships m \
         JOIN users u ON u.id = m.user_id \
         WHERE u.username = 'instructor_a' AND m.tenant_id = 'company_a'",
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    async fn pool() -> SqlitePool {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("memory db");
        sqlx::migrate!("../migrations")
            .run(&pool)
            .await
            .expect("migrate");
        sqlx::query("INSERT INTO tenants (id, name) VALUES ('t1', 'T1')")
            .execute(&pool)
            .await
            .expect("tenant");
        pool
    }

    async fn rows(pool: &SqlitePool) -> Vec<(String, String, String)> {
        sqlx::query_as("SELECT id, slug, title FROM challenges ORDER BY slug")
            .fetch_all(pool)
            .await
            .expect("rows")
    }

    #[tokio::test]
    async fn seeding_is_idempotent_and_refreshes_changed_builtins_in_place() {
        let pool = pool().await;
        seed_tenant(&pool, "t1").await.expect("seed");
        let first = rows(&pool).await;
        assert_eq!(first.len(), library::all_tasks().len());
        seed_tenant(&pool, "t1").await.expect("seed again");
        assert_eq!(rows(&pool).await, first);

        // A stale copy (an older library version) is brought up to date, keeping its id.
        sqlx::query("UPDATE challenges SET title = 'Old', spec_hash = 'old' WHERE slug = ?")
            .bind(&first[0].1)
            .execute(&pool)
            .await
            .expect("stale");
        seed_tenant(&pool, "t1").await.expect("reseed");
        assert_eq!(rows(&pool).await, first);
    }

    #[tokio::test]
    async fn a_tenant_is_seeded_once_per_process_even_when_asked_often() {
        let pool = pool().await;
        let state = ChallengesState::default();
        ensure_seeded(&pool, &state, "t1").await.expect("seed");
        sqlx::query("DELETE FROM challenges")
            .execute(&pool)
            .await
            .expect("wipe");
        ensure_seeded(&pool, &state, "t1").await.expect("cached");
        assert!(rows(&pool).await.is_empty());
    }
}
