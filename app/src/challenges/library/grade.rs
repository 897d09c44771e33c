//! Reading a run's output back into one `TestResult` per requested test.
//!
//! The harness prints `ATRIUM-HARNESS <nonce>` as its first line, before any user code
//! runs, then one `@@ATRIUM-<nonce>@@ <json>` line per test. Only lines carrying that
//! nonce count, so a user's `print` cannot pass for a result.

use super::plan::requested;
use super::TaskSpec;
use crate::challenges::model::{LimitBreach, TestResult};
use crate::challenges::run::RunOutcome;
use serde::Deserialize;
use std::collections::HashMap;

/// One harness line, as printed by `harness/*.{py,js}`.
#[derive(Debug, Default, Deserialize)]
struct Line {
    i: Option<usize>,
    passed: Option<bool>,
    expected: Option<String>,
    actual: Option<String>,
    /// `mismatch`, `assertion`, `error` or `timeout`.
    kind: Option<String>,
    message: Option<String>,
    ms: Option<u32>,
    stdout: Option<String>,
    /// The user's code could not be loaded (syntax error, SQL error): every test fails.
    fatal: Option<String>,
    /// SQL: EXPLAIN QUERY PLAN of the user's last query, as an indented tree.
    plan: Option<String>,
}

#[derive(Debug, Default)]
struct Parsed {
    results: HashMap<usize, Line>,
    fatal: Option<String>,
    plan: Option<String>,
}

fn parse(stdout: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut lines = stdout.lines();
    let Some(nonce) = lines
        .next()
        .and_then(|l| l.strip_prefix("ATRIUM-HARNESS "))
        .map(str::trim)
        .filter(|n| n.len() >= 16)
    else {
        return parsed;
    };
    let marker = format!("@@ATRIUM-{nonce}@@ ");
    for line in lines {
        let Some(pos) = line.find(&marker) else {
            continue;
        };
        let Ok(l) = serde_json::from_str::<Line>(&line[pos + marker.len()..]) else {
            continue;
        };
        if let Some(f) = l.fatal {
            parsed.fatal.get_or_insert(f);
        } else if let Some(p) = l.plan {
            parsed.plan.get_or_insert(p);
        } else if let Some(i) = l.i {
            parsed.results.entry(i).or_insert(l);
        }
    }
    parsed
}

/// The EXPLAIN QUERY PLAN of a SQL run's last query, for the page to show.
pub fn query_plan(outcome: &RunOutcome) -> Option<String> {
    parse(&String::from_utf8_lossy(&outcome.stdout)).plan
}

fn tail(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let start = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| text.len() - i <= max)
        .unwrap_or(text.len());
    text[start..].to_string()
}

/// Why a requested test has no result line.
fn not_run_reason(outcome: &RunOutcome, parsed: &Parsed) -> String {
    if let Some(e) = &outcome.sandbox_error {
        return format!("not run: the sandbox failed ({e})");
    }
    if let Some(f) = &parsed.fatal {
        return f.clone();
    }
    let limit = match outcome.breach {
        Some(LimitBreach::CpuTime) => Some("time limit (CPU time)"),
        Some(LimitBreach::WallTime) => Some("time limit (wall clock)"),
        Some(LimitBreach::Memory) => Some("memory limit"),
        Some(LimitBreach::Output) => Some("output limit (too much printed)"),
        Some(LimitBreach::FileSize) => Some("file size limit"),
        Some(LimitBreach::Processes) => Some("process limit"),
        Some(LimitBreach::Killed) => Some("the run was killed"),
        None => None,
    };
    if let Some(limit) = limit {
        return format!("not run: {limit}");
    }
    let stderr = tail(&outcome.stderr, 1500);
    match outcome.exit_code {
        Some(0) | None if stderr.is_empty() => "not run: no result was reported".into(),
        Some(code) => format!("not run: the program exited with code {code}\n{stderr}")
            .trim()
            .to_string(),
        None => format!("not run: the program stopped\n{stderr}"),
    }
}

/// Reads a run's output into one result per test run (hidden tests' expected/actual removed).
pub fn grade(task: &TaskSpec, include_hidden: bool, outcome: &RunOutcome) -> Vec<TestResult> {
    let mut parsed = parse(&String::from_utf8_lossy(&outcome.stdout));
    let reason = not_run_reason(outcome, &parsed);
    requested(task, include_hidden)
        .into_iter()
        .map(|(i, spec)| {
            let Some(line) = parsed.results.remove(&i) else {
                return TestResult {
                    name: spec.name.clone(),
                    public: spec.public,
                    passed: false,
                    expected: None,
                    actual: None,
                    message: Some(reason.clone()),
                    time_ms: None,
                };
            };
            let passed = line.passed.unwrap_or(false);
            let shows_plan = spec.checks.iter().any(|c| c.code.contains("atrium_plan"));
            let mut message = if spec.public {
                line.message
            } else {
                // Hidden: no values, and no assertion text that could quote them.
                match line.kind.as_deref() {
                    Some("mismatch") => Some("wrong result".into()),
                    Some("assertion") => Some("a hidden check failed".into()),
                    _ => line.message,
                }
            };
            if spec.public {
                if let Some(out) = line.stdout.filter(|s| !s.trim().is_empty()) {
                    let m = message.get_or_insert_with(String::new);
                    if !m.is_empty() {
                        m.push_str("\n\n");
                    }
                    m.push_str("Your output:\n");
                    m.push_str(out.trim_end());
                }
            }
            if let (true, Some(plan)) = (shows_plan, parsed.plan.as_ref()) {
                let m = message.get_or_insert_with(String::new);
                if !m.is_empty() {
                    m.push_str("\n\n");
                }
                m.push_str("Query plan of your last query:\n");
                m.push_str(plan);
            }
            TestResult {
                name: spec.name.clone(),
                public: spec.public,
                passed,
                expected: line.expected.filter(|_| spec.public),
                actual: line.actual.filter(|_| spec.public),
                message,
                time_ms: line.ms,
            }
        })
        .collect()
}
