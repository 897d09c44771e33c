//! The library's self-check as data, so any runner (the unit tests' local executor, the
//! server's sandbox in an integration test) can prove every built-in task gradeable: each
//! variant's reference solution passes every test and its starter fails at least one.

use super::{all_tasks, build_plan, grade, TaskSpec};
use crate::challenges::model::Language;
use crate::challenges::run::{RunOutcome, RunPlan};

/// One run to make: a task's reference solution or starter in one language, hidden tests on.
#[derive(Clone, Debug)]
pub struct SelfCheck {
    pub task: TaskSpec,
    pub language: Language,
    /// The reference solution (must pass everything) rather than the starter (must fail).
    pub reference: bool,
    pub plan: RunPlan,
}

impl SelfCheck {
    /// `slug language solution|starter`, for messages.
    pub fn label(&self) -> String {
        let which = if self.reference {
            "solution"
        } else {
            "starter"
        };
        format!("{} {} {which}", self.task.slug, self.language.as_str())
    }

    /// Whether the run came out as it should; the error lists what went wrong.
    pub fn verdict(&self, outcome: &RunOutcome) -> Result<(), String> {
        let results = grade(&self.task, true, outcome);
        if results.len() != self.task.tests.len() {
            return Err(format!("{}: {} results", self.label(), results.len()));
        }
        let failed: Vec<String> = results
            .iter()
            .filter(|r| !r.passed)
            .map(|r| format!("{}: {}", r.name, r.message.as_deref().unwrap_or("")))
            .collect();
        match (self.reference, failed.is_empty()) {
            (true, true) | (false, false) => Ok(()),
            (true, false) => Err(format!("{} fails: {}", self.label(), failed.join("; "))),
            (false, true) => Err(format!("{} passes every test", self.label())),
        }
    }
}

/// Every (task, language, solution|starter) run of the built-in library.
pub fn self_checks() -> Result<Vec<SelfCheck>, String> {
    let mut out = Vec::new();
    for task in all_tasks() {
        for v in &task.variants {
            for reference in [true, false] {
                let code = if reference { &v.solution } else { &v.starter };
                let plan = build_plan(&task, v.language, code, true)
                    .map_err(|e| format!("{}: {e}", task.slug))?;
                out.push(SelfCheck {
                    task: task.clone(),
                    language: v.language,
                    reference,
                    plan,
                });
            }
        }
    }
    Ok(out)
}
