//! The library's own checks: every built-in task's reference solution passes and its starter
//! fails, run through a small local executor (no sandbox), plus grade() edge cases.

mod local;

use super::*;
use crate::challenges::model::{Language, LimitBreach};
use crate::challenges::run::RunOutcome;
use local::run_local;

fn task(slug_prefix: &str) -> TaskSpec {
    all_tasks()
        .into_iter()
        .find(|t| t.slug.starts_with(slug_prefix))
        .expect("task exists")
}

#[test]
fn builtin_tasks_parse_and_follow_the_rules() {
    let parsed = builtin::parse_all();
    for r in &parsed {
        if let Err(e) = r {
            panic!("{e}");
        }
    }
    let tasks = all_tasks();
    assert_eq!(tasks.len(), parsed.len());
    assert_eq!(tasks.len(), 21, "the brief's 21 tasks");
    let mut slugs = std::collections::HashSet::new();
    for t in &tasks {
        let s = &t.slug;
        validate(t).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert!(slugs.insert(s.clone()), "{s}: duplicate slug");
        assert!(
            !t.summary.is_empty() && !t.summary.contains('\n'),
            "{s}: summary"
        );
        assert!((1..=10).contains(&t.level), "{s}: level");
        assert!((1..=3).contains(&t.hints.len()), "{s}: 1-3 hints");
        assert!((5..=8).contains(&t.tests.len()), "{s}: 5-8 tests");
        assert!(
            t.tests.iter().filter(|x| x.public).count() >= 2,
            "{s}: 2 public"
        );
        assert!(t.tests.iter().any(|x| !x.public), "{s}: 1 hidden");
        assert!(
            !t.grading_note.is_empty() && !t.objectives.is_empty(),
            "{s}"
        );
        assert!(
            !t.skills.is_empty() && !t.roles.is_empty() && !t.tools.is_empty(),
            "{s}"
        );
    }
}

#[test]
fn every_language_is_covered() {
    let tasks = all_tasks();
    for lang in [Language::Python, Language::Javascript, Language::Sql] {
        assert!(tasks.iter().any(|t| t.variant(lang).is_some()), "{lang:?}");
    }
}

/// The reference solution passes every test; the starter fails at least one.
#[test]
fn solutions_pass_and_starters_fail() {
    let checks = self_checks().expect("plans");
    assert!(checks.len() >= 42, "{} runs", checks.len());
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = checks
            .iter()
            .map(|c| scope.spawn(move || c.verdict(&run_local(&c.plan)).err()))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_killed_run_fails_the_tests_it_did_not_reach() {
    let t = task("t04");
    let nonce = "0123456789abcdef0123";
    let line = r#"{"i":0,"ok":true,"value":{"at_least_5_tests":true,"failures":0.0},"ms":3}"#;
    let stdout = format!("ATRIUM-HARNESS {nonce} python\nhello@@ATRIUM-{nonce}@@ {line}\n");
    let outcome = RunOutcome {
        breach: Some(LimitBreach::CpuTime),
        stdout: stdout.into_bytes(),
        ..Default::default()
    };
    let results = grade(&t, false, &outcome);
    assert!(results[0].passed);
    assert_eq!(results[0].time_ms, Some(3));
    assert!(results[1..]
        .iter()
        .all(|r| !r.passed && r.message.as_deref() == Some("not run: time limit (CPU time)")));
    let oom = RunOutcome {
        breach: Some(LimitBreach::Memory),
        ..Default::default()
    };
    assert!(grade(&t, true, &oom)
        .iter()
        .all(|r| r.message.as_deref() == Some("not run: memory limit")));
}

#[test]
fn a_syntax_error_fails_every_test_with_its_text() {
    for (slug, lang, code) in [
        ("t04", Language::Python, "def broken(:\n    pass\n"),
        ("t11", Language::Javascript, "function (\n"),
        ("t02", Language::Sql, "SELEC * FROM sales;"),
    ] {
        let t = task(slug);
        let plan = build_plan(&t, lang, code, false).expect("plan");
        let results = grade(&t, false, &run_local(&plan));
        assert!(!results.is_empty());
        for r in &results {
            let m = r.message.as_deref().unwrap_or("");
            assert!(!r.passed && m.contains("rror"), "{slug}: {m}");
        }
    }
}

#[test]
fn forged_result_lines_are_ignored() {
    let t = task("t04");
    let forged: String = (0..t.tests.len())
        .map(|i| {
            format!(
                "@@ATRIUM-{}@@ {{\"i\":{i},\"passed\":true}}\\n",
                "f".repeat(24)
            )
        })
        .collect();
    let code = format!(
        "import os, sys\nos.write(1, b\"{forged}\")\nprint(\"ATRIUM-HARNESS {} python\")\n",
        "f".repeat(24)
    );
    let plan = build_plan(&t, Language::Python, &code, true).expect("plan");
    let results = grade(&t, true, &run_local(&plan));
    assert!(results.iter().all(|r| !r.passed), "{results:#?}");
}

#[test]
fn hidden_tests_are_redacted_or_left_out() {
    let t = task("t02");
    let v = t.variant(Language::Sql).expect("sql");
    let hidden = t.tests.iter().filter(|x| !x.public).count();
    let plan = build_plan(&t, Language::Sql, &v.starter, true).expect("plan");
    let outcome = run_local(&plan);
    let all = grade(&t, true, &outcome);
    assert_eq!(all.len(), t.tests.len());
    for r in all.iter().filter(|r| !r.public) {
        assert!(r.expected.is_none() && r.actual.is_none(), "{r:?}");
        assert!(!r.message.as_deref().unwrap_or("").contains("19927"));
    }
    assert!(all.iter().any(|r| r.public && r.expected.is_some()));
    let public_plan = build_plan(&t, Language::Sql, &v.starter, false).expect("plan");
    let tests_json = public_plan
        .files
        .iter()
        .find(|(p, _)| p == "tests.json")
        .map(|(_, c)| String::from_utf8_lossy(c).to_string())
        .expect("tests.json");
    assert!(
        !tests_json.contains("19927"),
        "hidden expectations left the server"
    );
    let public = grade(&t, false, &run_local(&public_plan));
    assert_eq!(public.len(), t.tests.len() - hidden);
    assert!(query_plan(&outcome).is_some_and(|p| p.contains("SCAN sales")));
}

#[test]
fn tasks_round_trip_through_json() {
    for t in all_tasks() {
        let json = serde_json::to_string(&t).expect("serialise");
        let back: TaskSpec = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, t);
    }
}

#[test]
fn unsafe_support_paths_are_refused() {
    let mut t = task("t04");
    t.variants[0].files.push(SupportFile {
        path: "../escape.py".into(),
        content: String::new(),
    });
    assert!(build_plan(&t, Language::Python, "", false).is_err());
    assert!(build_plan(&task("t02"), Language::Python, "", false).is_err());
    let mut big = task("t04");
    big.variants[0].files.push(SupportFile {
        path: "big.txt".into(),
        content: "x".repeat(600 * 1024),
    });
    assert!(validate(&big).is_err());
    let mut untested = task("t04");
    untested.tests[0]
        .checks
        .retain(|c| c.language != Language::Javascript);
    assert!(validate(&untested).is_err_and(|e| e.contains("javascript")));
}

#[test]
fn values_are_compared_after_normalisation() {
    let mut t = task("t04");
    t.tests.truncate(2);
    t.tests[0].public = true;
    t.tests[1].public = false;
    for c in t.tests.iter_mut().flat_map(|x| x.checks.iter_mut()) {
        c.expected = Some(serde_json::json!([[1, "b"], [2.0, "a"]]));
        c.unordered = true;
    }
    let nonce = "abcdefabcdefabcdef";
    let out = |v0: &str, v1: &str| {
        RunOutcome {
        stdout: format!(
            "ATRIUM-HARNESS {nonce} javascript\n@@ATRIUM-{nonce}@@ {{\"i\":0,\"ok\":true,\"value\":{v0}}}\n@@ATRIUM-{nonce}@@ {{\"i\":1,\"ok\":true,\"value\":{v1}}}\n"
        )
        .into_bytes(),
        ..Default::default()
    }
    };
    let r = grade(
        &t,
        true,
        &out(r#"[[2,"a"],[1.0,"b"]]"#, r#"[[2,"a"],[1,"c"]]"#),
    );
    assert!(r[0].passed, "{r:?}");
    assert!(!r[1].passed);
    assert_eq!(r[1].message.as_deref(), Some("wrong result"));
    assert!(r[1].expected.is_none() && r[1].actual.is_none());
    let r = grade(&t, false, &out(r#"[[3,"a"]]"#, "[]"));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].actual.as_deref(), Some("[\n  [3,\"a\"]\n]"));
    assert!(r[0]
        .expected
        .as_deref()
        .is_some_and(|e| e.contains("[1,\"b\"]")));
}

#[test]
fn hidden_assertion_messages_are_not_shown() {
    let t = task("t04");
    let hidden = t
        .tests
        .iter()
        .position(|x| !x.public)
        .expect("a hidden test");
    let nonce = "abcdefabcdefabcdef";
    let stdout = format!(
        "ATRIUM-HARNESS {nonce} python\n@@ATRIUM-{nonce}@@ {{\"i\":{hidden},\"ok\":false,\"kind\":\"assertion\",\"message\":\"AssertionError: 42 != 41\",\"stdout\":\"secret\"}}\n"
    );
    let outcome = RunOutcome {
        stdout: stdout.into_bytes(),
        exit_code: Some(0),
        ..Default::default()
    };
    let r = grade(&t, true, &outcome);
    assert_eq!(r[hidden].message.as_deref(), Some("a hidden check failed"));
    let missing = r.iter().find(|x| x.public).expect("a public test");
    assert!(missing
        .message
        .as_deref()
        .is_some_and(|m| m.contains("exit")));
}
