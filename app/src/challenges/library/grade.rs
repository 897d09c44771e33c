//! Reading a run's output back into one `TestResult` per requested test.
//!
//! The harness prints `ATRIUM-HARNESS <nonce> <language>` as its first line, before any
//! user code runs, then one `@@ATRIUM-<nonce>@@ <json>` line per test carrying the value
//! the test body produced. Only lines with that nonce count, so a user's `print` cannot
//! pass for a result, and the comparison with the expected value happens here, so
//! expected values never enter the sandbox.

use super::plan::requested;
use super::{TaskSpec, TestCheck, TestSpec};
use crate::challenges::model::{Language, LimitBreach, TestResult};
use crate::challenges::run::RunOutcome;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// One harness line, as printed by `harness/*.{py,js}`.
#[derive(Debug, Default, Deserialize)]
struct Line {
    i: Option<usize>,
    /// The test body ran to the end without raising.
    #[serde(default)]
    ok: bool,
    /// The body's return value (SQL: the rows), normalised to JSON.
    value: Option<Value>,
    /// `assertion`, `error` or `timeout` when `ok` is false.
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
    language: Option<Language>,
    results: HashMap<usize, Line>,
    fatal: Option<String>,
    plan: Option<String>,
}

fn parse(stdout: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut lines = stdout.lines();
    let mut header = lines
        .next()
        .and_then(|l| l.strip_prefix("ATRIUM-HARNESS "))
        .unwrap_or_default()
        .split_whitespace();
    let Some(nonce) = header.next().filter(|n| n.len() >= 16) else {
        return parsed;
    };
    parsed.language = match header.next() {
        Some("python") => Some(Language::Python),
        Some("javascript") => Some(Language::Javascript),
        Some("sql") => Some(Language::Sql),
        _ => None,
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

/// Integral floats become integers and object keys are sorted, on both sides alike.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), normalise(&o[k])))
                    .collect(),
            )
        }
        _ => v.clone(),
    }
}

fn sorted_rows(v: Value) -> Value {
    match v {
        Value::Array(mut rows) => {
            rows.sort_by_cached_key(|r| r.to_string());
            Value::Array(rows)
        }
        other => other,
    }
}

/// Text for the page's diff: SQL rows one per line, anything else pretty JSON.
fn display(v: &Value) -> String {
    match v {
        Value::Array(rows) if !rows.is_empty() && rows.iter().all(Value::is_array) => {
            let lines: Vec<String> = rows.iter().map(|r| format!("  {r}")).collect();
            format!("[\n{}\n]", lines.join(",\n"))
        }
        other => serde_json::to_string_pretty(other).unwrap_or_else(|_| other.to_string()),
    }
}

/// (passed, expected text, actual text) of one reported line against its check.
fn judge(line: &Line, check: Option<&TestCheck>) -> (bool, Option<String>, Option<String>) {
    let Some(expected) = check.and_then(|c| c.expected.as_ref()) else {
        return (line.ok, None, None);
    };
    let unordered = check.is_some_and(|c| c.unordered);
    let order = |v: Value| if unordered { sorted_rows(v) } else { v };
    let expected = order(normalise(expected));
    let Some(actual) = line.value.as_ref().filter(|_| line.ok) else {
        return (false, Some(display(&expected)), None);
    };
    let actual = order(normalise(actual));
    (
        actual == expected,
        Some(display(&expected)),
        Some(display(&actual)),
    )
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
        Some(LimitBreach::FileSize) => {
            Some("file size limit (a file too large, or /work or /tmp full)")
        }
        Some(LimitBreach::Processes) => Some("process limit"),
        Some(LimitBreach::Killed) => Some("the run was killed"),
        None => None,
    };
    if let Some(limit) = limit {
        return format!("not run: {limit}");
    }
    let stderr = tail(&outcome.stderr, 1500);
    let text = match outcome.exit_code {
        Some(0) => "not run: the program ended before this test (did the code call exit?)".into(),
        Some(code) => format!("not run: the program exited with code {code}"),
        None => "not run: the program stopped".into(),
    };
    if stderr.is_empty() {
        text
    } else {
        format!("{text}\n{stderr}")
    }
}

fn append(message: &mut Option<String>, heading: &str, text: &str) {
    let m = message.get_or_insert_with(String::new);
    if !m.is_empty() {
        m.push_str("\n\n");
    }
    m.push_str(heading);
    m.push_str(text.trim_end());
}

fn result(spec: &TestSpec, lang: Option<Language>, line: Line, plan: Option<&str>) -> TestResult {
    let check = lang.and_then(|l| spec.check(l));
    let (passed, expected, actual) = judge(&line, check);
    let mut message = match (spec.public, line.ok, line.kind.as_deref()) {
        (_, true, _) if !passed => Some("wrong result".to_string()),
        (_, true, _) => None,
        // Hidden: no assertion text that could quote the values checked.
        (false, false, Some("assertion")) => Some("a hidden check failed".into()),
        _ => line.message,
    };
    if spec.public {
        if let Some(out) = line.stdout.filter(|s| !s.trim().is_empty()) {
            append(&mut message, "Your output:\n", &out);
        }
    }
    let shows_plan = check.is_some_and(|c| c.code.contains("atrium_plan"));
    if let (true, Some(plan)) = (shows_plan, plan) {
        append(&mut message, "Query plan of your last query:\n", plan);
    }
    TestResult {
        name: spec.name.clone(),
        public: spec.public,
        passed,
        expected: expected.filter(|_| spec.public),
        actual: actual.filter(|_| spec.public),
        message,
        time_ms: line.ms,
    }
}

/// Reads a run's output into one result per test run (hidden tests' expected/actual removed).
pub fn grade(task: &TaskSpec, include_hidden: bool, outcome: &RunOutcome) -> Vec<TestResult> {
    let mut parsed = parse(&String::from_utf8_lossy(&outcome.stdout));
    let reason = not_run_reason(outcome, &parsed);
    requested(task, include_hidden)
        .into_iter()
        .map(|(i, spec)| match parsed.results.remove(&i) {
            Some(line) => result(spec, parsed.language, line, parsed.plan.as_deref()),
            None => TestResult {
                name: spec.name.clone(),
                public: spec.public,
                passed: false,
                expected: None,
                actual: None,
                message: Some(reason.clone()),
                time_ms: None,
            },
        })
        .collect()
}
