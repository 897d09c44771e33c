//! Wire types of the Challenges area, shared by the server, the REST API and the browser.
//! Nothing here may carry a reference solution or a hidden test's expected output.

use serde::{Deserialize, Serialize};

/// How hard a challenge is (the brief's four bands; `level` 1–10 refines it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
    Expert,
}

/// A language the runner can grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Javascript,
    Sql,
}

impl Language {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Javascript => "javascript",
            Language::Sql => "sql",
        }
    }
}

/// A submission's life: PENDING → RUNNING → PASSED | FAILED | ERROR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubmissionStatus {
    Pending,
    Running,
    Passed,
    Failed,
    Error,
}

/// What stopped a run early, reported to the user as what it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitBreach {
    /// CPU time limit.
    CpuTime,
    /// Wall-clock limit.
    WallTime,
    /// Memory limit (allocation refused or the process was killed for it).
    Memory,
    /// Stdout/stderr went past the output cap; the rest was dropped.
    Output,
    /// A written file went past the file-size limit, or the sandbox's /work or /tmp space
    /// filled up (ENOSPC).
    FileSize,
    /// Too many processes (fork bomb).
    Processes,
    /// Killed by a signal for another reason.
    Killed,
}

/// One test's result as shown to the user. For hidden tests `expected` and `actual` are `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub public: bool,
    pub passed: bool,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Error text (exception, assertion message), trimmed.
    pub message: Option<String>,
    pub time_ms: Option<u32>,
}

/// Where a piece of feedback came from, shown on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackSource {
    /// An earlier review of the same normalised code, language and challenge.
    Cache,
    /// Rule-based patterns matched the code.
    Rules,
    /// The configured OpenAI-compatible model.
    Model,
    /// The deterministic local reviewer (no model configured, or it failed).
    LocalReviewer,
}

/// Review of a submission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    pub conceptual_errors: Vec<String>,
    pub suggestions: Vec<String>,
    /// 0–100.
    pub score: u8,
    pub source: FeedbackSource,
    /// The model's name when `source` is `Model` (the local reviewer's label when
    /// `LocalReviewer`).
    pub model: Option<String>,
    /// When `source` is `Cache`: where the cached review first came from.
    #[serde(default)]
    pub cached_from: Option<FeedbackSource>,
}
