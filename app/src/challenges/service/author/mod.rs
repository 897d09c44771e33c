//! Authoring: creating, replacing and deleting challenges (instructors and admins), and drafts.
//!
//! The body is a TaskSpec as JSON plus an optional `is_public` (default true on create, kept
//! on replace); `input` turns it into a checked task and back into the editor's form. The slug
//! is generated from the title; a client's slug is ignored.

mod input;

pub use input::{parse_input, slugify, to_input, validate, MAX_CODE_BYTES};

use super::catalog;
use super::columns::columns;
use super::repo;
use super::rules::{self, Actor, DeleteKind};
use crate::auth::service::now_rfc3339;
use crate::challenges::model::Language;
use crate::challenges::views::{ChallengeDetail, ChallengeInput};
use crate::error::AppError;
use sqlx::SqlitePool;

/// Creates a challenge owned by the caller.
pub async fn create(
    pool: &SqlitePool,
    actor: &Actor,
    body: &serde_json::Value,
) -> Result<ChallengeDetail, AppError> {
    rules::can_author(actor)?;
    let id = uuid::Uuid::new_v4().to_string();
    let title = body.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let base = slugify(title);
    let slug = format!(
        "{}-{}",
        if base.is_empty() { "challenge" } else { &base },
        &id[..8]
    );
    let (task, is_public) = parse_input(body, &slug)?;
    validate(&task)?;
    let c = columns(&task)?;
    let now = now_rfc3339();
    let insert = sqlx::query(
        "INSERT INTO challenges (id, tenant_id, slug, builtin, spec, spec_hash, title, summary, \
             category, difficulty, difficulty_rank, level, tags, languages, estimated_minutes, \
             is_public, created_by, created_at, updated_at) \
         VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(&actor.tenant_id)
    .bind(&slug);
    c.bind(insert)
        .bind(is_public.unwrap_or(true))
        .bind(&actor.user_id)
        .bind(&now)
        .bind(&now)
        .execute(pool)
        .await?;
    catalog::detail(pool, actor, &id).await
}

/// Replaces a challenge (owner or admin).
pub async fn update(
    pool: &SqlitePool,
    actor: &Actor,
    id: &str,
    body: &serde_json::Value,
) -> Result<ChallengeDetail, AppError> {
    let row = repo::visible(pool, actor, id).await?;
    rules::can_edit(actor, &row.facts())?;
    let (task, is_public) = parse_input(body, &row.slug)?;
    validate(&task)?;
    let c = columns(&task)?;
    let update = sqlx::query(
        "UPDATE challenges SET spec = ?, spec_hash = ?, title = ?, summary = ?, category = ?, \
             difficulty = ?, difficulty_rank = ?, level = ?, tags = ?, languages = ?, \
             estimated_minutes = ?, is_public = ?, updated_at = ? \
         WHERE id = ? AND tenant_id = ?",
    );
    c.bind(update)
        .bind(is_public.unwrap_or(row.is_public))
        .bind(now_rfc3339())
        .bind(&row.id)
        .bind(&actor.tenant_id)
        .execute(pool)
        .await?;
    catalog::detail(pool, actor, &row.id).await
}

/// Deletes a challenge (owner or admin): soft when submissions exist, else hard.
pub async fn delete(pool: &SqlitePool, actor: &Actor, id: &str) -> Result<DeleteKind, AppError> {
    let row = repo::visible(pool, actor, id).await?;
    rules::can_edit(actor, &row.facts())?;
    let (subs,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM challenge_submissions WHERE challenge_id = ?")
            .bind(&row.id)
            .fetch_one(pool)
            .await?;
    let kind = rules::delete_kind(subs);
    let mut tx = pool.begin().await?;
    match kind {
        DeleteKind::Soft => {
            sqlx::query("UPDATE challenges SET deleted_at = ? WHERE id = ?")
                .bind(now_rfc3339())
                .bind(&row.id)
                .execute(&mut *tx)
                .await?;
        }
        DeleteKind::Hard => {
            for table in ["challenge_drafts", "challenge_progress"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE challenge_id = ?"))
                    .bind(&row.id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM challenges WHERE id = ?")
                .bind(&row.id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(kind)
}

/// The full challenge (solutions, hidden tests' expected output) for whoever may edit it:
/// 404 if the caller may not see it, 403 if they may not change it.
pub async fn for_edit(
    pool: &SqlitePool,
    actor: &Actor,
    id: &str,
) -> Result<ChallengeInput, AppError> {
    let row = repo::visible(pool, actor, id).await?;
    rules::can_edit(actor, &row.facts())?;
    to_input(&row.task()?, row.is_public)
}

/// Saves the caller's editor text for a challenge and language.
pub async fn save_draft(
    pool: &SqlitePool,
    actor: &Actor,
    challenge_id: &str,
    language: Language,
    code: &str,
) -> Result<(), AppError> {
    let row = repo::visible(pool, actor, challenge_id).await?;
    if code.len() > MAX_CODE_BYTES {
        return Err(AppError::invalid_field(
            "code",
            "Code must be at most 64 KB.",
        ));
    }
    let task = row.task()?;
    if !task.variants.iter().any(|v| v.language == language) {
        return Err(AppError::invalid_field(
            "language",
            "This challenge is not offered in that language.",
        ));
    }
    sqlx::query(
        "INSERT INTO challenge_drafts (tenant_id, user_id, challenge_id, language, code, saved_at) \
         VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (user_id, challenge_id, language) DO UPDATE SET code = excluded.code, \
             saved_at = excluded.saved_at",
    )
    .bind(&actor.tenant_id)
    .bind(&actor.user_id)
    .bind(&row.id)
    .bind(language.as_str())
    .bind(code)
    .bind(now_rfc3339())
    .execute(pool)
    .await?;
    Ok(())
}
