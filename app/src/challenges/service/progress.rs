//! Progress per user and challenge (updated by graded submissions), the progress report and
//! the tenant's leaderboard.

use super::catalog::parse_status;
use super::repo::{ChallengeRow, COLUMNS};
use super::rules::Actor;
use super::submissions::{SubmissionRow, COLUMNS as SUB_COLUMNS};
use crate::auth::service::now_rfc3339;
use crate::challenges::model::SubmissionStatus;
use crate::challenges::views::{CompletionGroup, LeaderboardRow, ProgressReport, ProgressStatus};
use crate::error::AppError;
use sqlx::SqlitePool;
use std::collections::BTreeMap;

/// Submissions listed in a report's `recent`.
const RECENT: i64 = 10;
/// Rows of the leaderboard.
const LEADERBOARD_ROWS: i64 = 50;

/// Records a graded submission: one more attempt, the best score and submission, completion.
pub async fn record(
    pool: &SqlitePool,
    sub: &SubmissionRow,
    status: SubmissionStatus,
    score: f64,
) -> Result<(), AppError> {
    let now = now_rfc3339();
    let passed = status == SubmissionStatus::Passed;
    sqlx::query(
        "INSERT INTO challenge_progress (tenant_id, user_id, challenge_id, status, attempts, \
             best_score, best_submission_id, first_attempted_at, completed_at) \
         VALUES (?1, ?2, ?3, CASE WHEN ?4 THEN 'COMPLETED' ELSE 'IN_PROGRESS' END, 1, ?5, ?6, ?7, \
             CASE WHEN ?4 THEN ?7 END) \
         ON CONFLICT (user_id, challenge_id) DO UPDATE SET \
             attempts = attempts + 1, \
             status = CASE WHEN ?4 OR status = 'COMPLETED' THEN 'COMPLETED' ELSE 'IN_PROGRESS' END, \
             best_submission_id = CASE WHEN best_score IS NULL OR ?5 > best_score THEN ?6 \
                 ELSE best_submission_id END, \
             best_score = MAX(COALESCE(best_score, 0), ?5), \
             completed_at = COALESCE(completed_at, CASE WHEN ?4 THEN ?7 END)",
    )
    .bind(&sub.tenant_id)
    .bind(&sub.user_id)
    .bind(&sub.challenge_id)
    .bind(passed)
    .bind(score)
    .bind(&sub.id)
    .bind(&now)
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    c: ChallengeRow,
    p_status: Option<String>,
    p_attempts: Option<i64>,
}

fn bump(groups: &mut BTreeMap<String, (u32, u32)>, key: &str, done: bool) {
    let entry = groups.entry(key.to_string()).or_default();
    entry.1 += 1;
    if done {
        entry.0 += 1;
    }
}

fn to_groups(groups: BTreeMap<String, (u32, u32)>) -> Vec<CompletionGroup> {
    groups
        .into_iter()
        .map(|(name, (completed, total))| CompletionGroup {
            name,
            completed,
            total,
        })
        .collect()
}

/// The caller's progress over the challenges they may see.
pub async fn report(pool: &SqlitePool, actor: &Actor) -> Result<ProgressReport, AppError> {
    let visibility = if actor.is_admin() {
        ""
    } else {
        " AND (c.is_public = 1 OR c.created_by = ?3)"
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, p.status AS p_status, p.attempts AS p_attempts \
         FROM challenges c LEFT JOIN challenge_progress p \
             ON p.challenge_id = c.id AND p.user_id = ?2 \
         WHERE c.tenant_id = ?1 AND c.deleted_at IS NULL{visibility} \
         ORDER BY c.difficulty_rank, c.level"
    ))
    .bind(&actor.tenant_id)
    .bind(&actor.user_id)
    .bind(&actor.user_id)
    .fetch_all(pool)
    .await?;
    let mut report = ProgressReport {
        completed: 0,
        in_progress: 0,
        total: 0,
        attempts: 0,
        by_category: Vec::new(),
        by_difficulty: Vec::new(),
        by_skill: Vec::new(),
        recent: Vec::new(),
    };
    let (mut cat, mut diff, mut skill) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for r in &rows {
        let status = parse_status(r.p_status.as_deref());
        let done = status == ProgressStatus::Completed;
        report.total += 1;
        report.completed += u32::from(done);
        report.in_progress += u32::from(status == ProgressStatus::InProgress);
        report.attempts += u32::try_from(r.p_attempts.unwrap_or(0)).unwrap_or(0);
        bump(&mut cat, &r.c.category, done);
        bump(&mut diff, &r.c.difficulty, done);
        if let Ok(task) = r.c.task() {
            for s in &task.skills {
                bump(&mut skill, s, done);
            }
        }
    }
    report.by_category = to_groups(cat);
    report.by_difficulty = to_groups(diff);
    report.by_skill = to_groups(skill);
    let recent: Vec<SubmissionRow> = sqlx::query_as(&format!(
        "SELECT {SUB_COLUMNS} FROM challenge_submissions s \
         WHERE s.tenant_id = ? AND s.user_id = ? ORDER BY s.created_at DESC, s.id LIMIT ?"
    ))
    .bind(&actor.tenant_id)
    .bind(&actor.user_id)
    .bind(RECENT)
    .fetch_all(pool)
    .await?;
    report.recent = recent.iter().map(SubmissionRow::view).collect();
    Ok(report)
}

/// The tenant's users by the sum of their best scores on live challenges, then by solved.
pub async fn leaderboard(
    pool: &SqlitePool,
    actor: &Actor,
) -> Result<Vec<LeaderboardRow>, AppError> {
    let rows: Vec<(String, i64, f64)> = sqlx::query_as(
        "SELECT u.username, \
             SUM(CASE WHEN p.status = 'COMPLETED' THEN 1 ELSE 0 END) AS solved, \
             COALESCE(SUM(p.best_score), 0.0) AS score \
         FROM challenge_progress p \
         JOIN challenges c ON c.id = p.challenge_id AND c.deleted_at IS NULL \
         JOIN users u ON u.id = p.user_id \
         WHERE p.tenant_id = ? \
         GROUP BY p.user_id, u.username \
         ORDER BY score DESC, solved DESC, u.username ASC LIMIT ?",
    )
    .bind(&actor.tenant_id)
    .bind(LEADERBOARD_ROWS)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, (username, solved, score))| LeaderboardRow {
            rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
            username,
            solved: u32::try_from(solved).unwrap_or(0),
            score: score as f32,
        })
        .collect())
}
