//! What the test results say (pure): all passed, which failed and why, and any limit breach,
//! as feedback items and as a line for the model's prompt.

use super::validate::{clip, one_line};
use crate::challenges::model::{LimitBreach, TestResult};

/// Failed test names listed in one item.
const MAX_NAMES: usize = 3;

/// The test results, digested.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestSummary {
    pub total: usize,
    pub passed: usize,
    pub breach: Option<LimitBreach>,
    /// Names of the failed tests, in run order.
    pub failed: Vec<String>,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    pub conceptual_errors: Vec<String>,
    pub suggestions: Vec<String>,
}

fn breach_text(b: LimitBreach) -> (&'static str, &'static str) {
    match b {
        LimitBreach::CpuTime | LimitBreach::WallTime => (
            "The run was stopped at the time limit: an endless loop, or an algorithm that grows too fast for the input.",
            "Check every loop's exit condition, and prefer one pass with a set or dict over nested loops.",
        ),
        LimitBreach::Memory => (
            "The run went over the memory limit: it holds more data at once than it needs.",
            "Process the input in a stream or in chunks instead of loading it all.",
        ),
        LimitBreach::Output => (
            "The program printed more than the output limit.",
            "Remove debugging output and print only the answer.",
        ),
        LimitBreach::FileSize => (
            "A file written by the program went over the size limit, or the program filled the sandbox's /work or /tmp space.",
            "Write only what the task asks for, and remove temporary files you no longer need.",
        ),
        LimitBreach::Processes => (
            "The program started too many processes.",
            "Do the work in one process; the task does not need subprocesses.",
        ),
        LimitBreach::Killed => (
            "The program was killed before it finished.",
            "Look for a crash or a resource it waits on forever.",
        ),
    }
}

/// Digests `results` (and the run's breach, if any).
pub fn summarise(results: &[TestResult], breach: Option<LimitBreach>) -> TestSummary {
    let total = results.len();
    let passed = results.iter().filter(|r| r.passed).count();
    let failed: Vec<&TestResult> = results.iter().filter(|r| !r.passed).collect();
    let mut s = TestSummary {
        total,
        passed,
        breach,
        failed: failed.iter().map(|r| one_line(&r.name)).collect(),
        ..Default::default()
    };
    if total > 0 && failed.is_empty() {
        s.strengths.push(format!(
            "All {total} tests pass{}.",
            if results.iter().any(|r| !r.public) {
                ", hidden ones included"
            } else {
                ""
            }
        ));
    } else if !failed.is_empty() {
        let names: Vec<String> = s
            .failed
            .iter()
            .take(MAX_NAMES)
            .map(|n| clip(n, 60))
            .collect();
        let more = failed.len().saturating_sub(MAX_NAMES);
        s.improvements.push(format!(
            "{} of {total} tests fail: {}{}.",
            failed.len(),
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
        if passed > 0 {
            s.strengths
                .push(format!("{passed} of {total} tests already pass."));
        }
        if let Some(first) = failed.iter().find(|r| r.public && r.message.is_some()) {
            let msg = one_line(first.message.as_deref().unwrap_or_default());
            s.suggestions.push(format!(
                "Start with `{}`: {}",
                clip(&one_line(&first.name), 60),
                clip(&msg, 120)
            ));
        } else {
            s.suggestions.push(
                "Re-read the task's edge cases: empty input, negative numbers, wrong types.".into(),
            );
        }
    }
    if let Some(b) = breach {
        let (error, suggestion) = breach_text(b);
        s.conceptual_errors.push(error.into());
        s.suggestions.push(suggestion.into());
    }
    s
}

impl TestSummary {
    /// One line for the model: counts, failed names, breach.
    pub fn prompt_line(&self) -> String {
        let mut line = format!("{} of {} tests passed", self.passed, self.total);
        if !self.failed.is_empty() {
            let names: Vec<String> = self.failed.iter().take(5).map(|n| clip(n, 60)).collect();
            line.push_str(&format!("; failed: {}", names.join(", ")));
        }
        if let Some(b) = self.breach {
            line.push_str(&format!("; stopped by a limit: {b:?}"));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, public: bool, passed: bool, message: Option<&str>) -> TestResult {
        TestResult {
            name: name.into(),
            public,
            passed,
            expected: None,
            actual: None,
            message: message.map(str::to_string),
            time_ms: None,
        }
    }

    #[test]
    fn all_passed_is_a_strength() {
        let s = summarise(
            &[
                result("a", true, true, None),
                result("b", false, true, None),
            ],
            None,
        );
        assert_eq!(s.strengths, ["All 2 tests pass, hidden ones included."]);
        assert!(s.improvements.is_empty() && s.conceptual_errors.is_empty());
        assert_eq!(s.prompt_line(), "2 of 2 tests passed");
    }

    #[test]
    fn failures_are_named_and_the_first_public_message_suggested() {
        let s = summarise(
            &[
                result("adds", true, true, None),
                result("hidden", false, false, Some("secret")),
                result("negatives", true, false, Some("expected -3\ngot 3")),
            ],
            Some(LimitBreach::CpuTime),
        );
        assert_eq!(s.improvements, ["2 of 3 tests fail: hidden, negatives."]);
        assert_eq!(s.strengths, ["1 of 3 tests already pass."]);
        assert_eq!(
            s.suggestions[0],
            "Start with `negatives`: expected -3 got 3"
        );
        assert!(s.conceptual_errors[0].contains("time limit"));
        assert_eq!(
            s.prompt_line(),
            "1 of 3 tests passed; failed: hidden, negatives; stopped by a limit: CpuTime"
        );
    }

    #[test]
    fn no_results_say_nothing() {
        assert_eq!(summarise(&[], None), TestSummary::default());
    }
}
