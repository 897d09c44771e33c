//! Rule-based review (pure): patterns per language find strengths, improvements and conceptual
//! errors in the code; the test results add what passed, what failed and any limit breach.
//!
//! "Enough to say" ([`enough`]): at least one conceptual error in the code, or at least
//! [`MIN_IMPROVEMENTS`] improvements. Below that the rules' findings only feed the model's
//! prompt or the local reviewer.

mod javascript;
mod python;
mod sql;

use super::results::TestSummary;
use super::validate::{clip, MAX_ITEMS};
use crate::challenges::model::{Feedback, FeedbackSource, Language};
use regex::Regex;

/// Improvements (without a conceptual error) needed before the rules answer on their own.
pub const MIN_IMPROVEMENTS: usize = 2;

/// What a finding says about the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Strength,
    Improvement,
    ConceptualError,
}

/// One rule's match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id (e.g. `py-bare-except`), for tests and logs.
    pub rule: &'static str,
    pub kind: Kind,
    pub message: String,
    /// What to do about it, when there is something to do.
    pub suggestion: Option<String>,
}

impl Finding {
    pub(crate) fn new(rule: &'static str, kind: Kind, message: &str, suggestion: &str) -> Self {
        Self {
            rule,
            kind,
            message: message.to_string(),
            suggestion: (!suggestion.is_empty()).then(|| suggestion.to_string()),
        }
    }
}

/// Compiles a rule's pattern: a constant, so a typo panics in every test of that language.
pub(crate) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("rule patterns are valid constants")
}

/// Every rule's finding for `code`, in a fixed order.
pub fn analyse(language: Language, code: &str) -> Vec<Finding> {
    match language {
        Language::Python => python::analyse(code),
        Language::Javascript => javascript::analyse(code),
        Language::Sql => sql::analyse(code),
    }
}

/// Whether the rules found enough to answer without the model (see the module docs).
pub fn enough(findings: &[Finding]) -> bool {
    let count = |k: Kind| findings.iter().filter(|f| f.kind == k).count();
    count(Kind::ConceptualError) >= 1 || count(Kind::Improvement) >= MIN_IMPROVEMENTS
}

/// The score both the rules and the local reviewer give: up to 70 for the tests (35 when none
/// ran), up to 30 for the code, less 10 per conceptual error and 5 per improvement; a limit
/// breach caps the code's part at 10.
pub fn score(findings: &[Finding], tests: &TestSummary) -> u8 {
    let tests_part = (tests.passed * 70).checked_div(tests.total).unwrap_or(35);
    let penalty: usize = findings
        .iter()
        .map(|f| match f.kind {
            Kind::ConceptualError => 10,
            Kind::Improvement => 5,
            Kind::Strength => 0,
        })
        .sum();
    let mut code_part = 30usize.saturating_sub(penalty);
    if tests.breach.is_some() {
        code_part = code_part.min(10);
    }
    (tests_part + code_part).min(100) as u8
}

/// The four lists from the findings and the test summary (tests first), each deduplicated and
/// capped at [`MAX_ITEMS`].
pub fn lists(findings: &[Finding], tests: &TestSummary) -> [Vec<String>; 4] {
    let mut strengths = tests.strengths.clone();
    let mut improvements = tests.improvements.clone();
    let mut errors = tests.conceptual_errors.clone();
    let mut suggestions = tests.suggestions.clone();
    for f in findings {
        match f.kind {
            Kind::Strength => strengths.push(f.message.clone()),
            Kind::Improvement => improvements.push(f.message.clone()),
            Kind::ConceptualError => errors.push(f.message.clone()),
        }
        if let Some(s) = &f.suggestion {
            suggestions.push(s.clone());
        }
    }
    [strengths, improvements, errors, suggestions].map(tidy)
}

pub(crate) fn tidy(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = clip(&item, super::validate::MAX_ITEM_CHARS);
        if !item.is_empty() && !out.contains(&item) && out.len() < MAX_ITEMS {
            out.push(item);
        }
    }
    out
}

/// The rules' review (source `Rules`).
pub fn review(findings: &[Finding], tests: &TestSummary) -> Feedback {
    let [strengths, improvements, conceptual_errors, suggestions] = lists(findings, tests);
    Feedback {
        strengths,
        improvements,
        conceptual_errors,
        suggestions,
        score: score(findings, tests),
        source: FeedbackSource::Rules,
        model: None,
        cached_from: None,
    }
}

#[cfg(test)]
pub(crate) fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::model::LimitBreach;

    fn f(kind: Kind) -> Finding {
        Finding::new("x", kind, "m", "")
    }

    #[test]
    fn enough_means_one_conceptual_error_or_two_improvements() {
        assert!(!enough(&[]));
        assert!(!enough(&[f(Kind::Improvement), f(Kind::Strength)]));
        assert!(enough(&[f(Kind::Improvement), f(Kind::Improvement)]));
        assert!(enough(&[f(Kind::ConceptualError)]));
    }

    #[test]
    fn score_weighs_tests_and_findings() {
        let all = TestSummary {
            total: 4,
            passed: 4,
            ..Default::default()
        };
        assert_eq!(score(&[], &all), 100);
        assert_eq!(
            score(&[f(Kind::ConceptualError), f(Kind::Improvement)], &all),
            85
        );
        let half = TestSummary {
            total: 4,
            passed: 2,
            breach: Some(LimitBreach::CpuTime),
            ..Default::default()
        };
        assert_eq!(score(&[], &half), 45);
        assert_eq!(score(&[], &TestSummary::default()), 65);
    }

    #[test]
    fn lists_are_deduplicated_and_capped() {
        let many: Vec<Finding> = (0..9)
            .map(|i| Finding {
                rule: "x",
                kind: Kind::Improvement,
                message: format!("m{}", i % 7),
                suggestion: Some("same".into()),
            })
            .collect();
        let [_, improvements, _, suggestions] = lists(&many, &TestSummary::default());
        assert_eq!(improvements.len(), MAX_ITEMS);
        assert_eq!(suggestions, ["same"]);
    }
}

#[cfg(test)]
mod cost {
    use super::*;
    use std::time::{Duration, Instant};

    /// The rules read at most 100 000 characters; the worst shape (every line a loop nested in
    /// the previous one) must still be quick.
    #[test]
    fn the_rules_on_a_large_submission_stay_quick() {
        let mut code = String::new();
        let mut i = 0;
        while code.len() < 100_000 {
            code.push_str(&format!("{}for x{i} in data{i}:\n", " ".repeat(i % 60)));
            i += 1;
        }
        let started = Instant::now();
        for language in [Language::Python, Language::Javascript, Language::Sql] {
            analyse(language, &code);
        }
        let elapsed = started.elapsed();
        eprintln!("rules on {} chars x 3 languages: {elapsed:?}", code.len());
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    }
}
