//! Submissions: validation and queueing, reading one (owner, challenge creator, admin), the
//! caller's history, and feedback regeneration.

use super::author::MAX_CODE_BYTES;
use super::repo;
use super::rules::{self, Actor};
use crate::auth::service::now_rfc3339;
use crate::challenges::feedback::{self, ReviewRequest};
use crate::challenges::model::{Language, SubmissionStatus};
use crate::challenges::state::ChallengesState;
use crate::challenges::views::{FeedbackStatus, RunMode, SubmissionView};
use crate::error::{AppError, ErrorCode};
use serde::de::DeserializeOwned;
use sqlx::SqlitePool;

/// A stored submission.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: String,
    pub challenge_id: String,
    pub language: String,
    pub mode: String,
    pub code: String,
    pub status: String,
    pub results: String,
    pub score: Option<f64>,
    pub execution_ms: Option<i64>,
    pub peak_memory_kb: Option<i64>,
    pub breach: Option<String>,
    pub error: Option<String>,
    pub query_plan: Option<String>,
    pub feedback: Option<String>,
    pub feedback_status: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// Columns of [`SubmissionRow`] for alias `s`.
pub const COLUMNS: &str = "s.id, s.tenant_id, s.user_id, s.challenge_id, s.language, s.mode, \
    s.code, s.status, s.results, s.score, s.execution_ms, s.peak_memory_kb, s.breach, s.error, \
    s.query_plan, s.feedback, s.feedback_status, s.created_at, s.finished_at";

/// The stored (serde) form of a unit-like enum.
pub fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn parse_enum<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

impl SubmissionRow {
    /// The wire form.
    pub fn view(&self) -> SubmissionView {
        SubmissionView {
            id: self.id.clone(),
            challenge_id: self.challenge_id.clone(),
            language: parse_enum(&self.language).unwrap_or(Language::Python),
            mode: parse_enum(&self.mode).unwrap_or(RunMode::Submit),
            status: parse_enum(&self.status).unwrap_or(SubmissionStatus::Error),
            tests: serde_json::from_str(&self.results).unwrap_or_default(),
            score: self.score.map(|s| s as f32),
            execution_ms: self.execution_ms.and_then(|v| u64::try_from(v).ok()),
            peak_memory_kb: self.peak_memory_kb.and_then(|v| u64::try_from(v).ok()),
            breach: self.breach.as_deref().and_then(parse_enum),
            error: self.error.clone(),
            query_plan: self.query_plan.clone(),
            feedback_status: self.feedback_status.as_deref().and_then(parse_enum),
            feedback: self
                .feedback
                .as_deref()
                .and_then(|f| serde_json::from_str(f).ok()),
            created_at: self.created_at.clone(),
            finished_at: self.finished_at.clone(),
        }
    }
}

/// True once nothing more will change by itself (graded, and feedback settled).
pub fn is_final(v: &SubmissionView) -> bool {
    !matches!(
        v.status,
        SubmissionStatus::Pending | SubmissionStatus::Running
    ) && v.feedback_status != Some(FeedbackStatus::Pending)
}

/// A submission by id, whatever the caller (the worker's view).
pub async fn load(pool: &SqlitePool, id: &str) -> Result<Option<SubmissionRow>, AppError> {
    Ok(sqlx::query_as::<_, SubmissionRow>(&format!(
        "SELECT {COLUMNS} FROM challenge_submissions s WHERE s.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// A submission the caller may read, or 404.
pub async fn readable(
    pool: &SqlitePool,
    actor: &Actor,
    id: &str,
) -> Result<SubmissionRow, AppError> {
    let row = load(pool, id)
        .await?
        .filter(|r| r.tenant_id == actor.tenant_id)
        .ok_or_else(|| AppError::not_found("Submission"))?;
    let creator = repo::find(pool, &actor.tenant_id, &row.challenge_id)
        .await?
        .and_then(|c| c.created_by);
    rules::can_read_submission(actor, &row.tenant_id, &row.user_id, creator.as_deref())?;
    Ok(row)
}

/// Validates, stores as PENDING and queues a run; 429 past the per-user limit, 503 when the
/// queue is full.
pub async fn submit(
    pool: &SqlitePool,
    state: &ChallengesState,
    actor: &Actor,
    challenge_id: &str,
    language: Language,
    code: &str,
    mode: RunMode,
) -> Result<SubmissionView, AppError> {
    let challenge = repo::visible(pool, actor, challenge_id).await?;
    let task = challenge.task()?;
    if !task.variants.iter().any(|v| v.language == language) {
        return Err(AppError::invalid_field(
            "language",
            "This challenge is not offered in that language.",
        ));
    }
    if code.trim().is_empty() {
        return Err(AppError::invalid_field("code", "Code must not be empty."));
    }
    if code.len() > MAX_CODE_BYTES {
        return Err(AppError::invalid_field(
            "code",
            "Code must be at most 64 KB.",
        ));
    }
    state
        .submit_limit
        .check(&format!("{}/{}", actor.tenant_id, actor.user_id))
        .map_err(AppError::rate_limited)?;
    let permit = state.queue().try_reserve().map_err(|_| {
        let mut err = AppError::new(
            ErrorCode::Unavailable,
            "The grader is busy. Try again in a moment.",
        );
        err.retry_after_secs = Some(5);
        err
    })?;
    let id = uuid::Uuid::new_v4().to_string();
    let feedback_status = (mode == RunMode::Submit).then(|| enum_str(&FeedbackStatus::Pending));
    sqlx::query(
        "INSERT INTO challenge_submissions (id, tenant_id, user_id, challenge_id, language, mode, \
             code, status, feedback_status, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)",
    )
    .bind(&id)
    .bind(&actor.tenant_id)
    .bind(&actor.user_id)
    .bind(&challenge.id)
    .bind(language.as_str())
    .bind(enum_str(&mode))
    .bind(code)
    .bind(feedback_status)
    .bind(now_rfc3339())
    .execute(pool)
    .await?;
    let row = load(pool, &id)
        .await?
        .ok_or_else(|| AppError::internal("submission vanished"))?;
    permit.send(id);
    Ok(row.view())
}

/// The caller's own submissions, newest first, optionally of one challenge.
pub async fn history(
    pool: &SqlitePool,
    actor: &Actor,
    challenge_id: Option<&str>,
    page: u32,
    limit: u32,
) -> Result<(Vec<SubmissionView>, u64), AppError> {
    let filter = if challenge_id.is_some() {
        " AND s.challenge_id = ?"
    } else {
        ""
    };
    let count_sql = format!(
        "SELECT COUNT(*) FROM challenge_submissions s WHERE s.tenant_id = ? AND s.user_id = ?{filter}"
    );
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql)
        .bind(&actor.tenant_id)
        .bind(&actor.user_id);
    if let Some(c) = challenge_id {
        count = count.bind(c);
    }
    let (total,) = count.fetch_one(pool).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM challenge_submissions s WHERE s.tenant_id = ? AND s.user_id = ?\
         {filter} ORDER BY s.created_at DESC, s.id LIMIT ? OFFSET ?"
    );
    let mut q = sqlx::query_as::<_, SubmissionRow>(&sql)
        .bind(&actor.tenant_id)
        .bind(&actor.user_id);
    if let Some(c) = challenge_id {
        q = q.bind(c);
    }
    let rows = q
        .bind(i64::from(limit))
        .bind(i64::from(page.saturating_sub(1)) * i64::from(limit))
        .fetch_all(pool)
        .await?;
    Ok((
        rows.iter().map(SubmissionRow::view).collect(),
        u64::try_from(total).unwrap_or(0),
    ))
}

/// Fresh feedback on a graded submission (owner or admin; the reviewer applies the quota).
pub async fn regenerate(
    pool: &SqlitePool,
    state: &ChallengesState,
    actor: &Actor,
    id: &str,
) -> Result<SubmissionView, AppError> {
    let row = readable(pool, actor, id).await?;
    if row.user_id != actor.user_id && !actor.is_admin() {
        return Err(AppError::forbidden(
            "Only the author of a submission or an admin can ask for new feedback.",
        ));
    }
    let view = row.view();
    if !matches!(
        view.status,
        SubmissionStatus::Passed | SubmissionStatus::Failed
    ) {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "Only graded submissions get feedback.",
        ));
    }
    let challenge = repo::find(pool, &row.tenant_id, &row.challenge_id)
        .await?
        .ok_or_else(|| AppError::not_found("Challenge"))?;
    let feedback = feedback::review(
        pool,
        &state.feedback,
        ReviewRequest {
            tenant_id: row.tenant_id.clone(),
            user_id: row.user_id.clone(),
            challenge_id: row.challenge_id.clone(),
            challenge_title: challenge.title.clone(),
            language: view.language,
            code: row.code.clone(),
            results: view.tests.clone(),
            regenerate: true,
            breach: view.breach,
        },
    )
    .await?;
    sqlx::query(
        "UPDATE challenge_submissions SET feedback = ?, feedback_status = 'ready' WHERE id = ?",
    )
    .bind(serde_json::to_string(&feedback).map_err(AppError::internal)?)
    .bind(&row.id)
    .execute(pool)
    .await?;
    let view = load(pool, &row.id)
        .await?
        .ok_or_else(|| AppError::not_found("Submission"))?
        .view();
    state.publish(&view, true);
    Ok(view)
}
