//! The boundary between grading (which builds a run plan and reads its output) and the
//! sandbox (which runs it). Plain data; the sandbox itself lives in `server/`.

use super::model::LimitBreach;
use serde::{Deserialize, Serialize};

/// Files to place in the run's private working directory, and the command to run there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    /// (relative path, contents). Paths never start with `/` nor contain `..`.
    pub files: Vec<(String, Vec<u8>)>,
    /// argv\[0\] is a program name looked up in the sandbox (`python3`, `node`, `sqlite3`).
    pub argv: Vec<String>,
    pub stdin: Vec<u8>,
}

/// What came back from one sandboxed run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// Exit code when the program exited by itself.
    pub exit_code: Option<i32>,
    /// Set when a limit stopped the run (or the program was killed).
    pub breach: Option<LimitBreach>,
    /// Capped by the parent at the output limit.
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub wall_ms: u64,
    pub cpu_ms: u64,
    pub peak_memory_kb: u64,
    /// The sandbox itself failed (not the user's code); the run may be retried.
    pub sandbox_error: Option<String>,
}

/// Runs plans; implemented by the server's sandbox and by test fakes.
#[cfg(feature = "ssr")]
pub trait CodeRunner: Send + Sync + std::fmt::Debug {
    /// Runs one plan to completion under the configured limits.
    fn run(&self, plan: RunPlan) -> futures::future::BoxFuture<'static, RunOutcome>;
}
