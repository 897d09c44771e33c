//! The deterministic local reviewer (no model): the rules' findings and the test results, plus
//! a few measurements of the code (length, functions, comments, long lines). Same input, same
//! review; its first suggestion says it is a local review.

use super::normalize::{has_comments, normalize};
use super::results::TestSummary;
use super::rules::{self, tidy, Finding};
use super::ReviewRequest;
use crate::challenges::model::{Feedback, FeedbackSource, Language};

/// The label in `Feedback::model` and the opening of the first suggestion.
pub const LOCAL_LABEL: &str = "Local review (no AI model)";

/// Lines longer than this are "long".
const LONG_LINE_CHARS: usize = 100;

/// Code longer than this (normalised lines) with no function is "all at top level".
const TOP_LEVEL_LINES: usize = 25;

/// Code longer than this (normalised lines) without a comment gets a nudge to add one.
const UNCOMMENTED_LINES: usize = 15;

/// The local review of `req`.
pub fn review(req: &ReviewRequest, findings: &[Finding], tests: &TestSummary) -> Feedback {
    let [mut strengths, mut improvements, conceptual_errors, mut suggestions] =
        rules::lists(findings, tests);
    let normalised = normalize(req.language, &req.code);
    let lines = normalised.lines().count();
    let commented = has_comments(req.language, &req.code);
    let functions = count_functions(req.language, &normalised);
    let all_passed = tests.total > 0 && tests.passed == tests.total;

    if commented {
        strengths.push("Comments explain the intent of the code.".into());
    }
    if all_passed && lines > 0 && lines <= 30 {
        strengths.push(format!("The solution is compact ({lines} lines)."));
    }
    if req.language != Language::Sql && functions > 1 {
        strengths.push(format!("The work is split into {functions} functions."));
    }
    let long_lines = req
        .code
        .lines()
        .filter(|l| l.chars().count() > LONG_LINE_CHARS)
        .count();
    if long_lines > 0 {
        improvements.push(format!(
            "{long_lines} line(s) are longer than {LONG_LINE_CHARS} characters; they are hard to read."
        ));
    }
    if req.language != Language::Sql && functions == 0 && lines > TOP_LEVEL_LINES {
        improvements.push("All the code is at top level; functions would make it testable.".into());
    }
    if lines == 0 {
        improvements.push("The submission has no code yet.".into());
    }
    if !commented && lines > UNCOMMENTED_LINES {
        suggestions.push("Add a short comment where the logic is not obvious.".into());
    }
    if all_passed && conceptual_errors.is_empty() {
        suggestions.push(
            "Try the next level of this category, or solve this one in another language.".into(),
        );
    }
    suggestions.insert(
        0,
        format!("{LOCAL_LABEL}: based on your test results and static checks only."),
    );
    Feedback {
        strengths: tidy(strengths),
        improvements: tidy(improvements),
        conceptual_errors: tidy(conceptual_errors),
        suggestions: tidy(suggestions),
        score: rules::score(findings, tests),
        source: FeedbackSource::LocalReviewer,
        model: Some(LOCAL_LABEL.into()),
        cached_from: None,
    }
}

/// Functions defined in normalised code.
fn count_functions(language: Language, normalised: &str) -> usize {
    match language {
        Language::Python => normalised
            .lines()
            .filter(|l| l.trim_start().starts_with("def "))
            .count(),
        Language::Javascript => {
            normalised.matches("function").count() + normalised.matches("=>").count()
        }
        Language::Sql => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenges::feedback::results::summarise;
    use crate::challenges::feedback::tests::{passing, request};

    #[test]
    fn the_same_input_gives_the_same_review_and_says_it_is_local() {
        let req = request(Language::Python, "def add(a, b):\n    return a + b\n");
        let run = || {
            let findings = rules::analyse(req.language, &req.code);
            review(&req, &findings, &summarise(&req.results, req.breach))
        };
        let first = run();
        assert_eq!(first, run());
        assert_eq!(first.source, FeedbackSource::LocalReviewer);
        assert!(first.suggestions[0].starts_with(LOCAL_LABEL));
        assert!(first.strengths.contains(&"All 2 tests pass.".to_string()));
        assert!(first
            .strengths
            .contains(&"The solution is compact (2 lines).".to_string()));
        assert_eq!(first.score, 100);
    }

    #[test]
    fn measurements_add_items() {
        let body = "x = 1\n".repeat(TOP_LEVEL_LINES + 1);
        let mut req = request(
            Language::Python,
            &format!("{body}y = '{}'\n", "z".repeat(120)),
        );
        req.results = passing(1);
        let fb = review(&req, &[], &summarise(&req.results, None));
        assert!(fb
            .improvements
            .iter()
            .any(|i| i.contains("longer than 100")));
        assert!(fb.improvements.iter().any(|i| i.contains("top level")));
        assert!(fb.suggestions.iter().any(|s| s.contains("short comment")));
    }
}
