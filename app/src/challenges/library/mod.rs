//! The built-in challenge library: each task's text, starter code, reference solution and
//! tests, and how a submission in a given language is turned into a run plan and graded.
//! Server-only: it holds reference solutions and hidden tests' expected output.
//!
//! Tasks are plain data (serde) so instructor-authored tasks stored as JSON use the same
//! format, the same harnesses and the same grader; the format is documented in
//! `docs/challenges/library.md`.

mod builtin;
mod grade;
mod plan;
mod selfcheck;
#[cfg(test)]
mod tests;

use super::model::{Difficulty, Language};
use serde::{Deserialize, Serialize};

pub use builtin::all_tasks;
pub use grade::{grade, query_plan};
pub use plan::{build_plan, validate};
pub use selfcheck::{self_checks, SelfCheck};

/// A file shipped next to the user's code (a stub service, a fake client, fixture data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportFile {
    /// Relative path in the run's working directory, e.g. `fakehttp.py` or `data/a.csv`.
    pub path: String,
    pub content: String,
}

/// One language a task can be solved in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageVariant {
    pub language: Language,
    pub starter: String,
    pub solution: String,
    /// Files placed beside the user's code (stubs, fixtures); importable by code and tests.
    #[serde(default)]
    pub files: Vec<SupportFile>,
    /// SQL only: a script (schema and data) run on the fresh database before the user's SQL.
    #[serde(default)]
    pub setup: String,
}

/// A test's body in one language.
///
/// Python and JavaScript: `code` is the body of a function run after a fresh load of the
/// user's module (its top-level names are in scope); with `expected` its return value is
/// compared after normalisation to JSON, without `expected` the test passes when the body
/// returns without raising (assertion style). SQL: `code` is SQL run on a copy of the
/// database after the user's script; the last statement's rows (lists of column values)
/// are compared with `expected`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestCheck {
    pub language: Language,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<serde_json::Value>,
    /// Compare lists (SQL rows) ignoring order.
    #[serde(default)]
    pub unordered: bool,
}

/// One test of a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestSpec {
    pub name: String,
    /// Shown to the user with its expected output; hidden tests show only pass/fail.
    pub public: bool,
    /// Human description ("add(2, 3) returns 5").
    pub description: String,
    /// The test's body per language; every language variant of the task needs one.
    #[serde(default)]
    pub checks: Vec<TestCheck>,
}

/// A library task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// Stable id, e.g. `t04-test-a-math-function`.
    pub slug: String,
    pub title: String,
    /// One line for lists.
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub category: String,
    pub difficulty: Difficulty,
    /// 1–10.
    pub level: u8,
    pub skills: Vec<String>,
    pub roles: Vec<String>,
    pub tools: Vec<String>,
    pub estimated_minutes: u32,
    pub objectives: Vec<String>,
    pub hints: Vec<String>,
    /// How the task is graded here, honestly (e.g. "static checks of the workflow YAML").
    pub grading_note: String,
    pub variants: Vec<LanguageVariant>,
    pub tests: Vec<TestSpec>,
}

impl TaskSpec {
    /// The variant for `language`, if the task offers it.
    pub fn variant(&self, language: Language) -> Option<&LanguageVariant> {
        self.variants.iter().find(|v| v.language == language)
    }
}

impl TestSpec {
    /// This test's body in `language`.
    pub fn check(&self, language: Language) -> Option<&TestCheck> {
        self.checks.iter().find(|c| c.language == language)
    }
}
