//! The built-in challenge library: each task's text, starter code, reference solution and
//! tests, and how a submission in a given language is turned into a run plan and graded.
//! Server-only: it holds reference solutions and hidden tests' expected output.

use super::model::{Difficulty, Language, TestResult};
use super::run::{RunOutcome, RunPlan};

/// One language a task can be solved in.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LanguageVariant {
    pub language: Language,
    pub starter: String,
    pub solution: String,
}

/// One test of a task.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TestSpec {
    pub name: String,
    /// Shown to the user with its expected output; hidden tests show only pass/fail.
    pub public: bool,
    /// Human description ("add(2, 3) returns 5").
    pub description: String,
}

/// A library task.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TaskSpec {
    /// Stable id, e.g. `t04-test-a-math-function`.
    pub slug: String,
    pub title: String,
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

/// Every built-in task, in the brief's order.
pub fn all_tasks() -> Vec<TaskSpec> {
    Vec::new()
}

/// The plan that runs `code` against the task's tests (hidden ones too when `include_hidden`).
pub fn build_plan(
    task: &TaskSpec,
    language: Language,
    code: &str,
    include_hidden: bool,
) -> Result<RunPlan, String> {
    let _ = (task, language, code, include_hidden);
    Err("the challenge library is not built yet".into())
}

/// Reads a run's output into one result per test run (hidden tests' expected/actual removed).
pub fn grade(task: &TaskSpec, include_hidden: bool, outcome: &RunOutcome) -> Vec<TestResult> {
    let _ = (task, include_hidden, outcome);
    Vec::new()
}
