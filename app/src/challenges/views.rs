//! What the pages and the REST API show: challenge summaries and details, submissions,
//! progress and the leaderboard. Built on [`super::model`]; wasm-safe.

use super::model::{Difficulty, Feedback, Language, LimitBreach, SubmissionStatus, TestResult};
use serde::{Deserialize, Serialize};

/// A user's standing on one challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProgressStatus {
    #[default]
    NotStarted,
    InProgress,
    Completed,
}

/// A challenge in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChallengeSummary {
    pub id: String,
    pub title: String,
    /// One-line summary.
    pub summary: String,
    pub difficulty: Difficulty,
    pub level: u8,
    pub category: String,
    pub tags: Vec<String>,
    pub languages: Vec<Language>,
    pub estimated_minutes: u32,
    pub is_public: bool,
    pub builtin: bool,
    /// The caller's status on it.
    pub status: ProgressStatus,
    pub best_score: Option<f32>,
    pub created_at: String,
}

/// List filters and paging (`GET /api/v1/challenges` query).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChallengeQuery {
    pub search: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub category: Option<String>,
    /// Comma-separated; all must match.
    pub tags: Option<String>,
    pub status: Option<ProgressStatus>,
    /// `difficulty` (default), `title`, `created_at`, `estimated_time`, `level`.
    pub sort_by: Option<String>,
    /// `asc` (default) or `desc`.
    pub sort_order: Option<String>,
    /// 1-based, default 1.
    pub page: Option<u32>,
    /// Default 20, at most 100.
    pub limit: Option<u32>,
}

/// The brief's pagination envelope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pagination {
    pub page: u32,
    pub limit: u32,
    pub total: u64,
    pub pages: u32,
}

/// One page of challenges.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChallengeList {
    pub challenges: Vec<ChallengeSummary>,
    pub pagination: Pagination,
    /// The caller may create challenges (instructor or admin).
    #[serde(default)]
    pub can_author: bool,
}

/// A test as the caller may see it (hidden tests: name and description only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestView {
    pub name: String,
    pub description: String,
    pub public: bool,
}

/// Starter (and, for authors and admins only, solution) code in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeVariant {
    pub language: Language,
    pub starter: String,
    /// Only for the challenge's creator and admins; never for students.
    pub solution: Option<String>,
}

/// The challenge page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChallengeDetail {
    pub summary: ChallengeSummary,
    /// Markdown.
    pub description: String,
    pub objectives: Vec<String>,
    pub hints: Vec<String>,
    pub skills: Vec<String>,
    pub roles: Vec<String>,
    pub tools: Vec<String>,
    /// How the task is graded here.
    pub grading_note: String,
    pub variants: Vec<CodeVariant>,
    pub tests: Vec<TestView>,
    /// The caller's autosaved draft, if any.
    pub draft: Option<Draft>,
    pub attempts: u32,
    /// The caller may edit or delete it.
    pub can_edit: bool,
}

/// Autosaved editor text per user, challenge and language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub language: Language,
    pub code: String,
    pub saved_at: String,
}

/// Run only the public tests (`Run`) or all of them (`Submit`, counts for progress).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    Run,
    Submit,
}

/// Whether feedback is ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    Pending,
    Ready,
    Error,
}

/// A submission (`GET /api/v1/submissions/{id}` and every live update).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmissionView {
    /// Also the job id.
    pub id: String,
    pub challenge_id: String,
    pub language: Language,
    pub mode: RunMode,
    pub status: SubmissionStatus,
    pub tests: Vec<TestResult>,
    /// 0–100; None until graded.
    pub score: Option<f32>,
    pub execution_ms: Option<u64>,
    pub peak_memory_kb: Option<u64>,
    pub breach: Option<LimitBreach>,
    /// Compiler/runtime error or sandbox failure text, trimmed.
    pub error: Option<String>,
    /// SQL runs: `EXPLAIN QUERY PLAN` of the last query.
    #[serde(default)]
    pub query_plan: Option<String>,
    pub feedback_status: Option<FeedbackStatus>,
    pub feedback: Option<Feedback>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// Completion within one group (category, difficulty or skill).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompletionGroup {
    pub name: String,
    pub completed: u32,
    pub total: u32,
}

/// The caller's progress page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    pub completed: u32,
    pub in_progress: u32,
    pub total: u32,
    pub attempts: u32,
    pub by_category: Vec<CompletionGroup>,
    pub by_difficulty: Vec<CompletionGroup>,
    pub by_skill: Vec<CompletionGroup>,
    /// Most recent first.
    pub recent: Vec<SubmissionView>,
}

/// One leaderboard row (per tenant).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    pub rank: u32,
    pub username: String,
    pub solved: u32,
    /// Sum of best scores.
    pub score: f32,
}

/// A challenge as its author writes it: the REST create/replace body (a `TaskSpec` without its
/// slug, plus `is_public`). It holds reference solutions and hidden tests' expected output, so
/// the server sends it only to callers who may edit the challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChallengeInput {
    pub title: String,
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
    pub grading_note: String,
    pub variants: Vec<VariantInput>,
    pub tests: Vec<TestInput>,
    pub is_public: bool,
}

/// One language of an authored challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantInput {
    pub language: Language,
    pub starter: String,
    pub solution: String,
    /// Files placed beside the user's code (kept as they are by the browser form).
    #[serde(default)]
    pub files: Vec<FileInput>,
    /// SQL only: schema and data run before the user's SQL.
    #[serde(default)]
    pub setup: String,
}

/// A support file of a variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileInput {
    pub path: String,
    pub content: String,
}

/// One test of an authored challenge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestInput {
    pub name: String,
    /// Public tests show their expected output; hidden ones only pass/fail.
    pub public: bool,
    pub description: String,
    #[serde(default)]
    pub checks: Vec<CheckInput>,
}

/// A test's body in one language (see `library::TestCheck`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckInput {
    pub language: Language,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<serde_json::Value>,
    /// Compare lists (SQL rows) ignoring order.
    #[serde(default)]
    pub unordered: bool,
}
