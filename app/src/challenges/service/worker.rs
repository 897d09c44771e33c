//! The worker pool: `workers` tasks take submission ids from the bounded queue and grade them,
//! PENDING → RUNNING → PASSED | FAILED | ERROR, then (Submit mode) update progress and ask for
//! feedback. Every committed change is published to the submission's live-update channel.
//!
//! On start-up, submissions a crash left PENDING or RUNNING are re-queued from the start (their
//! code is stored; grading is idempotent). Those that do not fit in the queue are marked ERROR.

use super::progress;
use super::repo;
use super::submissions::{self, enum_str, SubmissionRow};
use crate::auth::service::now_rfc3339;
use crate::challenges::feedback::{self, ReviewRequest};
use crate::challenges::library;
use crate::challenges::model::{LimitBreach, SubmissionStatus, TestResult};
use crate::challenges::state::ChallengesState;
use crate::challenges::views::RunMode;
use crate::error::AppError;
use sqlx::SqlitePool;
use std::sync::Arc;
use tokio::sync::{mpsc, Mutex};

/// Longest error text stored for a submission.
const MAX_ERROR_CHARS: usize = 4000;

/// Starts the workers (once; later calls do nothing) and re-queues unfinished submissions.
pub async fn start(pool: SqlitePool, state: Arc<ChallengesState>) -> Result<(), AppError> {
    let Some(receiver) = state.take_receiver() else {
        return Ok(());
    };
    let receiver = Arc::new(Mutex::new(receiver));
    for _ in 0..state.settings.workers.max(1) {
        let (pool, state, receiver) = (pool.clone(), state.clone(), receiver.clone());
        tokio::spawn(async move { work(pool, state, receiver).await });
    }
    requeue_unfinished(&pool, &state).await
}

async fn work(
    pool: SqlitePool,
    state: Arc<ChallengesState>,
    receiver: Arc<Mutex<mpsc::Receiver<String>>>,
) {
    loop {
        let next = receiver.lock().await.recv().await;
        let Some(id) = next else { return };
        if let Err(e) = process(&pool, &state, &id).await {
            tracing::warn!(submission = %id, error = %e, "grading failed");
            let _ = finish_error(&pool, &state, &id, "The grader failed; try again.").await;
        }
    }
}

async fn requeue_unfinished(pool: &SqlitePool, state: &ChallengesState) -> Result<(), AppError> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM challenge_submissions WHERE status IN ('PENDING', 'RUNNING') \
         ORDER BY created_at",
    )
    .fetch_all(pool)
    .await?;
    for (id,) in ids {
        sqlx::query("UPDATE challenge_submissions SET status = 'PENDING' WHERE id = ?")
            .bind(&id)
            .execute(pool)
            .await?;
        if state.queue().try_send(id.clone()).is_err() {
            finish_error(
                pool,
                state,
                &id,
                "The server restarted and the queue was full.",
            )
            .await?;
        }
    }
    Ok(())
}

async fn publish(pool: &SqlitePool, state: &ChallengesState, id: &str) -> Result<(), AppError> {
    if let Some(row) = submissions::load(pool, id).await? {
        let view = row.view();
        state.publish(&view, submissions::is_final(&view));
    }
    Ok(())
}

fn trimmed(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let mut s: String = t.chars().take(MAX_ERROR_CHARS).collect();
    if t.chars().count() > MAX_ERROR_CHARS {
        s.push('…');
    }
    Some(s)
}

async fn finish_error(
    pool: &SqlitePool,
    state: &ChallengesState,
    id: &str,
    error: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE challenge_submissions SET status = 'ERROR', error = ?, feedback_status = NULL, \
         finished_at = ? WHERE id = ?",
    )
    .bind(error)
    .bind(now_rfc3339())
    .bind(id)
    .execute(pool)
    .await?;
    publish(pool, state, id).await
}

/// What grading concluded.
struct Graded {
    status: SubmissionStatus,
    tests: Vec<TestResult>,
    score: Option<f64>,
    error: Option<String>,
    breach: Option<LimitBreach>,
    query_plan: Option<String>,
    wall_ms: u64,
    peak_kb: u64,
}

async fn grade(state: &ChallengesState, row: &SubmissionRow, task: &library::TaskSpec) -> Graded {
    let view = row.view();
    let hidden = view.mode == RunMode::Submit;
    let plan = match library::build_plan(task, view.language, &row.code, hidden) {
        Ok(plan) => plan,
        Err(e) => {
            return Graded {
                status: SubmissionStatus::Error,
                tests: Vec::new(),
                score: None,
                error: trimmed(&e),
                breach: None,
                query_plan: None,
                wall_ms: 0,
                peak_kb: 0,
            }
        }
    };
    let outcome = state.runner().run(plan).await;
    let tests = if outcome.sandbox_error.is_some() {
        Vec::new()
    } else {
        library::grade(task, hidden, &outcome)
    };
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    let (status, score, error) = if let Some(e) = &outcome.sandbox_error {
        (
            SubmissionStatus::Error,
            None,
            trimmed(&format!("Sandbox error: {e}")),
        )
    } else if tests.is_empty() {
        let why = trimmed(&stderr).unwrap_or_else(|| "The code produced no test results.".into());
        (SubmissionStatus::Error, None, Some(why))
    } else {
        let passed = tests.iter().filter(|t| t.passed).count();
        let score = passed as f64 * 100.0 / tests.len() as f64;
        let status = if passed == tests.len() {
            SubmissionStatus::Passed
        } else {
            SubmissionStatus::Failed
        };
        let error = (status != SubmissionStatus::Passed)
            .then(|| trimmed(&stderr))
            .flatten();
        (status, Some(score), error)
    };
    Graded {
        status,
        tests,
        score,
        error,
        breach: outcome.breach,
        query_plan: library::query_plan(&outcome),
        wall_ms: outcome.wall_ms,
        peak_kb: outcome.peak_memory_kb,
    }
}

async fn process(pool: &SqlitePool, state: &ChallengesState, id: &str) -> Result<(), AppError> {
    let Some(row) = submissions::load(pool, id).await? else {
        return Ok(());
    };
    let Some(challenge) = repo::find(pool, &row.tenant_id, &row.challenge_id).await? else {
        return finish_error(pool, state, id, "The challenge no longer exists.").await;
    };
    let task = challenge.task()?;
    sqlx::query("UPDATE challenge_submissions SET status = 'RUNNING' WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    publish(pool, state, id).await?;

    let g = grade(state, &row, &task).await;
    let submit = row.view().mode == RunMode::Submit;
    let gets_feedback = submit && g.status != SubmissionStatus::Error;
    sqlx::query(
        "UPDATE challenge_submissions SET status = ?, results = ?, score = ?, execution_ms = ?, \
             peak_memory_kb = ?, breach = ?, error = ?, query_plan = ?, finished_at = ?, \
             feedback_status = CASE WHEN ? THEN feedback_status ELSE NULL END \
         WHERE id = ?",
    )
    .bind(enum_str(&g.status))
    .bind(serde_json::to_string(&g.tests).map_err(AppError::internal)?)
    .bind(g.score)
    .bind(i64::try_from(g.wall_ms).unwrap_or(i64::MAX))
    .bind(i64::try_from(g.peak_kb).unwrap_or(i64::MAX))
    .bind(g.breach.as_ref().map(enum_str))
    .bind(&g.error)
    .bind(&g.query_plan)
    .bind(now_rfc3339())
    .bind(gets_feedback)
    .bind(id)
    .execute(pool)
    .await?;
    if submit && g.status != SubmissionStatus::Error {
        progress::record(pool, &row, g.status, g.score.unwrap_or(0.0)).await?;
    }
    publish(pool, state, id).await?;
    if !gets_feedback {
        return Ok(());
    }

    let review = feedback::review(
        pool,
        &state.feedback,
        ReviewRequest {
            tenant_id: row.tenant_id.clone(),
            user_id: row.user_id.clone(),
            challenge_id: row.challenge_id.clone(),
            challenge_title: challenge.title.clone(),
            language: row.view().language,
            code: row.code.clone(),
            results: g.tests.clone(),
            regenerate: false,
            breach: g.breach,
        },
    )
    .await;
    let (feedback, status) = match review {
        Ok(f) => (serde_json::to_string(&f).ok(), "ready"),
        Err(e) => {
            tracing::warn!(submission = %id, error = %e, "feedback failed");
            (None, "error")
        }
    };
    sqlx::query("UPDATE challenge_submissions SET feedback = ?, feedback_status = ? WHERE id = ?")
        .bind(feedback)
        .bind(status)
        .bind(id)
        .execute(pool)
        .await?;
    publish(pool, state, id).await
}
