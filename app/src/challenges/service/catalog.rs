//! Reading challenges: the filtered, sorted, paged list, categories, and one challenge's page
//! (redacted for the caller).

use super::columns;
use super::repo::{self, ChallengeRow, COLUMNS};
use super::rules::{self, Actor};
use crate::challenges::model::Language;
use crate::challenges::views::{
    ChallengeDetail, ChallengeList, ChallengeQuery, ChallengeSummary, CodeVariant, Draft,
    Pagination, ProgressStatus, TestView,
};
use crate::error::AppError;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

/// Default page size.
pub const DEFAULT_LIMIT: u32 = 20;
/// Largest page size.
pub const MAX_LIMIT: u32 = 100;

#[derive(sqlx::FromRow)]
struct ListRow {
    #[sqlx(flatten)]
    c: ChallengeRow,
    p_status: Option<String>,
    p_best: Option<f64>,
}

/// Parses a stored progress status.
pub fn parse_status(s: Option<&str>) -> ProgressStatus {
    match s {
        Some("COMPLETED") => ProgressStatus::Completed,
        Some("IN_PROGRESS") => ProgressStatus::InProgress,
        _ => ProgressStatus::NotStarted,
    }
}

/// The list entry of a row, with the caller's standing.
pub fn summary(
    row: &ChallengeRow,
    status: ProgressStatus,
    best: Option<f64>,
) -> Result<ChallengeSummary, AppError> {
    let task = row.task()?;
    Ok(ChallengeSummary {
        id: row.id.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        difficulty: columns::parse_difficulty(&row.difficulty),
        level: u8::try_from(row.level).unwrap_or(1),
        category: row.category.clone(),
        tags: columns::tags_of(&task),
        languages: task.variants.iter().map(|v| v.language).collect(),
        estimated_minutes: u32::try_from(row.estimated_minutes).unwrap_or(0),
        is_public: row.is_public,
        builtin: row.builtin,
        status,
        best_score: best.map(|b| b as f32),
        created_at: row.created_at.clone(),
    })
}

/// Appends `AND <the caller may see it>` for alias `c`.
fn push_visible(q: &mut QueryBuilder<'_, Sqlite>, actor: &Actor) {
    q.push(" AND c.tenant_id = ")
        .push_bind(actor.tenant_id.clone())
        .push(" AND c.deleted_at IS NULL");
    if !actor.is_admin() {
        q.push(" AND (c.is_public = 1 OR c.created_by = ")
            .push_bind(actor.user_id.clone())
            .push(")");
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn push_filters(q: &mut QueryBuilder<'_, Sqlite>, actor: &Actor, query: &ChallengeQuery) {
    push_visible(q, actor);
    if let Some(search) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pat = format!("%{}%", escape_like(&search.to_lowercase()));
        q.push(" AND (lower(c.title) LIKE ")
            .push_bind(pat.clone())
            .push(" ESCAPE '\\' OR lower(c.summary) LIKE ")
            .push_bind(pat.clone())
            .push(" ESCAPE '\\' OR c.tags LIKE ")
            .push_bind(pat)
            .push(" ESCAPE '\\')");
    }
    if let Some(d) = query.difficulty {
        q.push(" AND c.difficulty = ")
            .push_bind(columns::difficulty_str(d).0);
    }
    if let Some(cat) = query
        .category
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        q.push(" AND lower(c.category) = ")
            .push_bind(cat.to_lowercase());
    }
    for tag in query
        .tags
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        q.push(" AND c.tags LIKE ")
            .push_bind(format!("%,{},%", escape_like(&tag.to_lowercase())))
            .push(" ESCAPE '\\'");
    }
    match query.status {
        Some(ProgressStatus::NotStarted) => {
            q.push(" AND (p.status IS NULL OR p.status = 'NOT_STARTED')");
        }
        Some(ProgressStatus::InProgress) => {
            q.push(" AND p.status = 'IN_PROGRESS'");
        }
        Some(ProgressStatus::Completed) => {
            q.push(" AND p.status = 'COMPLETED'");
        }
        None => {}
    }
}

fn from_progress(q: &mut QueryBuilder<'_, Sqlite>, actor: &Actor) {
    q.push(
        " FROM challenges c LEFT JOIN challenge_progress p \
          ON p.challenge_id = c.id AND p.user_id = ",
    )
    .push_bind(actor.user_id.clone())
    .push(" WHERE 1 = 1");
}

/// `ORDER BY` for a whitelisted sort key; 422 for anything else.
pub fn order_by(sort_by: Option<&str>, sort_order: Option<&str>) -> Result<String, AppError> {
    let dir = match sort_order.unwrap_or("asc") {
        "asc" | "ASC" => "ASC",
        "desc" | "DESC" => "DESC",
        _ => {
            return Err(AppError::invalid_field(
                "sort_order",
                "sort_order must be asc or desc.",
            ))
        }
    };
    let key = match sort_by.unwrap_or("difficulty") {
        "difficulty" => format!("c.difficulty_rank {dir}, c.level {dir}"),
        "title" => format!("lower(c.title) {dir}"),
        "created_at" => format!("c.created_at {dir}"),
        "estimated_time" => format!("c.estimated_minutes {dir}"),
        "level" => format!("c.level {dir}"),
        _ => {
            return Err(AppError::invalid_field(
                "sort_by",
                "sort_by must be difficulty, title, created_at, estimated_time or level.",
            ))
        }
    };
    Ok(format!(" ORDER BY {key}, lower(c.title) ASC, c.id ASC"))
}

/// One page of the challenges the caller may see.
pub async fn list(
    pool: &SqlitePool,
    actor: &Actor,
    query: &ChallengeQuery,
) -> Result<ChallengeList, AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let order = order_by(query.sort_by.as_deref(), query.sort_order.as_deref())?;

    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
    from_progress(&mut count, actor);
    push_filters(&mut count, actor, query);
    let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;

    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COLUMNS}, p.status AS p_status, p.best_score AS p_best"
    ));
    from_progress(&mut q, actor);
    push_filters(&mut q, actor, query);
    q.push(order)
        .push(" LIMIT ")
        .push_bind(i64::from(limit))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(limit));
    let rows: Vec<ListRow> = q.build_query_as().fetch_all(pool).await?;
    let challenges = rows
        .iter()
        .map(|r| summary(&r.c, parse_status(r.p_status.as_deref()), r.p_best))
        .collect::<Result<Vec<_>, _>>()?;
    let total = u64::try_from(total).unwrap_or(0);
    Ok(ChallengeList {
        challenges,
        pagination: Pagination {
            page,
            limit,
            total,
            pages: u32::try_from(total.div_ceil(u64::from(limit))).unwrap_or(u32::MAX),
        },
        can_author: rules::can_author(actor).is_ok(),
    })
}

/// Distinct categories of the challenges the caller may see, sorted.
pub async fn categories(pool: &SqlitePool, actor: &Actor) -> Result<Vec<String>, AppError> {
    let mut q =
        QueryBuilder::<Sqlite>::new("SELECT DISTINCT c.category FROM challenges c WHERE 1 = 1");
    push_visible(&mut q, actor);
    q.push(" ORDER BY c.category");
    let rows: Vec<(String,)> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The caller's most recent draft of a challenge, if any.
async fn latest_draft(
    pool: &SqlitePool,
    actor: &Actor,
    challenge_id: &str,
) -> Result<Option<Draft>, AppError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT language, code, saved_at FROM challenge_drafts \
         WHERE user_id = ? AND challenge_id = ? ORDER BY saved_at DESC LIMIT 1",
    )
    .bind(&actor.user_id)
    .bind(challenge_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(language, code, saved_at)| {
        let language: Language =
            serde_json::from_value(serde_json::Value::String(language)).ok()?;
        Some(Draft {
            language,
            code,
            saved_at,
        })
    }))
}

/// One challenge as the caller may see it: solutions only for its creator and admins; tests
/// show name and description only (expected output never leaves the server here).
pub async fn detail(
    pool: &SqlitePool,
    actor: &Actor,
    id: &str,
) -> Result<ChallengeDetail, AppError> {
    let row = repo::visible(pool, actor, id).await?;
    let task = row.task()?;
    let progress: Option<(String, Option<f64>, i64)> = sqlx::query_as(
        "SELECT status, best_score, attempts FROM challenge_progress \
         WHERE user_id = ? AND challenge_id = ?",
    )
    .bind(&actor.user_id)
    .bind(&row.id)
    .fetch_optional(pool)
    .await?;
    let (status, best, attempts) = match &progress {
        Some((s, b, a)) => (parse_status(Some(s)), *b, *a),
        None => (ProgressStatus::NotStarted, None, 0),
    };
    let facts = row.facts();
    let with_solution = rules::sees_solution(actor, &facts);
    Ok(ChallengeDetail {
        summary: summary(&row, status, best)?,
        description: task.description.clone(),
        objectives: task.objectives.clone(),
        hints: task.hints.clone(),
        skills: task.skills.clone(),
        roles: task.roles.clone(),
        tools: task.tools.clone(),
        grading_note: task.grading_note.clone(),
        variants: task
            .variants
            .iter()
            .map(|v| CodeVariant {
                language: v.language,
                starter: v.starter.clone(),
                solution: with_solution.then(|| v.solution.clone()),
            })
            .collect(),
        tests: task
            .tests
            .iter()
            .map(|t| TestView {
                name: t.name.clone(),
                description: t.description.clone(),
                public: t.public,
            })
            .collect(),
        draft: latest_draft(pool, actor, &row.id).await?,
        attempts: u32::try_from(attempts).unwrap_or(0),
        can_edit: rules::may_edit(actor, &facts),
    })
}
