//! The columns stored beside a challenge's spec JSON (for listing, filtering and sorting without
//! parsing it), computed from the task in one place and bound in one order.

use crate::challenges::library::TaskSpec;
use crate::challenges::model::Difficulty;
use crate::error::AppError;
use sha2::{Digest, Sha256};

/// The stored form of a difficulty, and its sort rank.
pub fn difficulty_str(d: Difficulty) -> (&'static str, i64) {
    match d {
        Difficulty::Beginner => ("BEGINNER", 0),
        Difficulty::Intermediate => ("INTERMEDIATE", 1),
        Difficulty::Advanced => ("ADVANCED", 2),
        Difficulty::Expert => ("EXPERT", 3),
    }
}

/// Parses the stored form.
pub fn parse_difficulty(s: &str) -> Difficulty {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .unwrap_or(Difficulty::Intermediate)
}

/// The one-line summary: the task's own, else the description's first plain line (≤ 200 chars).
pub fn summary_of(task: &TaskSpec) -> String {
    if !task.summary.trim().is_empty() {
        return task.summary.trim().chars().take(300).collect();
    }
    let line = task
        .description
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("```"))
        .unwrap_or("");
    let mut s: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        s.push('…');
    }
    s
}

/// The task's tags: its tools, then its skills, without repeats.
pub fn tags_of(task: &TaskSpec) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in task.tools.iter().chain(task.skills.iter()) {
        let t = t.trim();
        if !t.is_empty() && !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            tags.push(t.to_string());
        }
    }
    tags
}

/// The columns stored beside a task's JSON, in the order [`Columns::bind`] binds them.
pub struct Columns {
    pub spec: String,
    pub spec_hash: String,
    /// Trimmed.
    pub title: String,
    pub summary: String,
    /// Trimmed.
    pub category: String,
    pub difficulty: &'static str,
    pub difficulty_rank: i64,
    /// `,tag,tag,` lower case.
    pub tags: String,
    pub languages: String,
    pub level: i64,
    pub estimated_minutes: i64,
}

/// A `challenges` statement being bound.
type Statement<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

impl Columns {
    /// Binds `spec, spec_hash, title, summary, category, difficulty, difficulty_rank, level,
    /// tags, languages, estimated_minutes`: the run every INSERT and UPDATE of `challenges`
    /// lists in this order.
    pub fn bind<'q>(&'q self, q: Statement<'q>) -> Statement<'q> {
        q.bind(&self.spec)
            .bind(&self.spec_hash)
            .bind(&self.title)
            .bind(&self.summary)
            .bind(&self.category)
            .bind(self.difficulty)
            .bind(self.difficulty_rank)
            .bind(self.level)
            .bind(&self.tags)
            .bind(&self.languages)
            .bind(self.estimated_minutes)
    }
}

/// Computes the columns stored beside a task's JSON.
pub fn columns(task: &TaskSpec) -> Result<Columns, AppError> {
    let spec = serde_json::to_string(task).map_err(AppError::internal)?;
    let spec_hash = hex::encode(Sha256::digest(spec.as_bytes()));
    let (difficulty, difficulty_rank) = difficulty_str(task.difficulty);
    let tags = tags_of(task)
        .iter()
        .map(|t| t.to_lowercase().replace(',', " "))
        .collect::<Vec<_>>()
        .join(",");
    let languages = task
        .variants
        .iter()
        .map(|v| v.language.as_str())
        .collect::<Vec<_>>()
        .join(",");
    Ok(Columns {
        spec,
        spec_hash,
        title: task.title.trim().to_string(),
        summary: summary_of(task),
        category: task.category.trim().to_string(),
        difficulty,
        difficulty_rank,
        tags: format!(",{tags},"),
        languages,
        level: i64::from(task.level),
        estimated_minutes: i64::from(task.estimated_minutes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::library;

    #[test]
    fn library_titles_and_categories_are_stored_as_written() {
        // Seeding binds the trimmed values too; the library has nothing to trim.
        for task in library::all_tasks() {
            let c = columns(&task).expect("columns");
            assert_eq!(
                (c.title.as_str(), c.category.as_str()),
                (task.title.as_str(), task.category.as_str())
            );
        }
    }
}
