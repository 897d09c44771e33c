//! Turning a submission into a run plan: the user's code, the task's support files, the
//! language's harness and the requested tests' code as `tests.json` (no expected values).

use super::{TaskSpec, TestSpec};
use crate::challenges::model::Language;
use crate::challenges::run::RunPlan;
use serde_json::json;

const PYTHON_HARNESS: &str = include_str!("harness/python.py");
const JAVASCRIPT_HARNESS: &str = include_str!("harness/javascript.js");
const SQL_HARNESS: &str = include_str!("harness/sql.py");

/// Wall-clock budget of one test inside the harness, so one slow test fails alone.
pub(crate) const PER_TEST_MS: u64 = 2500;
/// Largest accepted submission.
const MAX_CODE_BYTES: usize = 64 * 1024;
/// Most tests a task may have, and most bytes of support files per variant (each file must
/// also fit the sandbox's 1 MB file limit).
const MAX_TESTS: usize = 50;
const MAX_SUPPORT_BYTES: usize = 512 * 1024;

/// Names the harness and the user's file take; support files may not use them.
const RESERVED: [&str; 6] = [
    "harness.py",
    "harness.js",
    "tests.json",
    "solution.py",
    "solution.js",
    "solution.sql",
];

/// The tests a run executes: public ones, and hidden ones too when `include_hidden`.
pub(crate) fn requested(task: &TaskSpec, include_hidden: bool) -> Vec<(usize, &TestSpec)> {
    task.tests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.public || include_hidden)
        .collect()
}

/// Checks that a (possibly instructor-authored) task can be planned and graded: every test
/// has a body for every language variant, support-file paths are safe, names are unique.
pub fn validate(task: &TaskSpec) -> Result<(), String> {
    if task.variants.is_empty() {
        return Err("a task needs at least one language variant".into());
    }
    if task.tests.is_empty() || task.tests.len() > MAX_TESTS {
        return Err(format!("a task needs 1 to {MAX_TESTS} tests"));
    }
    for (i, v) in task.variants.iter().enumerate() {
        if task.variants[..i].iter().any(|o| o.language == v.language) {
            return Err(format!("two {} variants", v.language.as_str()));
        }
        if v.files.iter().map(|f| f.content.len()).sum::<usize>() > MAX_SUPPORT_BYTES {
            return Err(format!(
                "support files of the {} variant exceed {} KB",
                v.language.as_str(),
                MAX_SUPPORT_BYTES / 1024
            ));
        }
        for f in &v.files {
            let p = f.path.as_str();
            let safe = !p.is_empty()
                && !p.starts_with('/')
                && !p.contains('\\')
                && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..");
            if !safe || RESERVED.contains(&p) {
                return Err(format!("support file path {p:?} is not allowed"));
            }
        }
        for t in &task.tests {
            if t.check(v.language).is_none() {
                return Err(format!(
                    "test {:?} has no {} check",
                    t.name,
                    v.language.as_str()
                ));
            }
        }
    }
    Ok(())
}

/// The plan that runs `code` against the task's tests (hidden ones too when `include_hidden`).
pub fn build_plan(
    task: &TaskSpec,
    language: Language,
    code: &str,
    include_hidden: bool,
) -> Result<RunPlan, String> {
    validate(task)?;
    if code.len() > MAX_CODE_BYTES {
        return Err(format!(
            "the code is longer than {} KB",
            MAX_CODE_BYTES / 1024
        ));
    }
    let variant = task
        .variant(language)
        .ok_or_else(|| format!("this challenge cannot be solved in {}", language.as_str()))?;
    let tests: Vec<_> = requested(task, include_hidden)
        .into_iter()
        .filter_map(|(i, t)| {
            let c = t.check(language)?;
            // Expected values stay on the server: grade() compares what the harness reports.
            Some(json!({
                "i": i,
                "name": t.name,
                "code": c.code,
                "compare": c.expected.is_some(),
            }))
        })
        .collect();
    let spec = json!({ "tests": tests, "per_test_ms": PER_TEST_MS, "setup": variant.setup });
    let (user_file, harness_file, harness, argv0) = match language {
        Language::Python => ("solution.py", "harness.py", PYTHON_HARNESS, "python3"),
        Language::Javascript => ("solution.js", "harness.js", JAVASCRIPT_HARNESS, "node"),
        Language::Sql => ("solution.sql", "harness.py", SQL_HARNESS, "python3"),
    };
    let mut files: Vec<(String, Vec<u8>)> = variant
        .files
        .iter()
        .map(|f| (f.path.clone(), f.content.clone().into_bytes()))
        .collect();
    files.push((user_file.into(), code.as_bytes().to_vec()));
    files.push((harness_file.into(), harness.as_bytes().to_vec()));
    files.push(("tests.json".into(), spec.to_string().into_bytes()));
    let mut argv = vec![argv0.to_string()];
    if argv0 == "python3" {
        // No .pyc files in the working directory, no PYTHON* environment.
        argv.extend(["-B".to_string(), "-E".to_string()]);
    }
    argv.push(harness_file.into());
    Ok(RunPlan {
        files,
        argv,
        stdin: Vec::new(),
    })
}
