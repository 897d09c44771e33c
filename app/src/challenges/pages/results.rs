//! The results panel: live status, per-test rows, score, time, memory and limits in words.

use super::css;
use super::format::{breach_text, memory, millis, score, status_label};
use crate::challenges::model::{SubmissionStatus, TestResult};
use crate::challenges::views::{RunMode, SubmissionView};
use leptos::prelude::*;

/// Shows the latest run or submission as it progresses.
#[component]
pub fn ResultsPanel(current: RwSignal<Option<SubmissionView>>) -> impl IntoView {
    let status = move || {
        current.with(|c| match c {
            None => "Nothing run yet.".to_string(),
            Some(s) => {
                let what = match s.mode {
                    RunMode::Run => "Run",
                    RunMode::Submit => "Submission",
                };
                format!("{what}: {}", status_label(s.status))
            }
        })
    };
    let status_class = move || {
        current.with(|c| match c.as_ref().map(|c| c.status) {
            Some(SubmissionStatus::Passed) => css::status_done,
            Some(SubmissionStatus::Failed | SubmissionStatus::Error) => css::status_failed,
            _ => css::status_new,
        })
    };
    view! {
        <section class="card stack" aria-labelledby="results-heading" data-testid="results">
            <h2 id="results-heading">"Results"</h2>
            <p class=status_class role="status" aria-live="polite" data-testid="submission-status">{status}</p>
            {move || current.get().map(|s| view! { <Details s /> })}
        </section>
    }
}

#[component]
fn Details(s: SubmissionView) -> impl IntoView {
    let passed = s.tests.iter().filter(|t| t.passed).count();
    let total = s.tests.len();
    view! {
        <dl class=css::facts>
            {s.score.map(|v| view! { <div><dt>"Score"</dt><dd data-testid="score">{score(v)}" / 100"</dd></div> })}
            {(total > 0).then(|| view! { <div><dt>"Tests passed"</dt><dd data-testid="tests-passed">{passed}" of "{total}</dd></div> })}
            {s.execution_ms.map(|v| view! { <div><dt>"Execution time"</dt><dd>{millis(v)}</dd></div> })}
            {s.peak_memory_kb.map(|v| view! { <div><dt>"Peak memory"</dt><dd>{memory(v)}</dd></div> })}
        </dl>
        {s.breach.map(|b| view! { <p class="form-error" role="alert" data-testid="breach">{breach_text(b)}</p> })}
        {s.error.clone().map(|e| view! {
            <div class="stack">
                <p class="form-error">"Your code stopped with an error:"</p>
                <pre class=css::output>{e}</pre>
            </div>
        })}
        {s.query_plan.clone().map(|plan| view! {
            <div class="stack" data-testid="query-plan">
                <p>"Query plan (" <code>"EXPLAIN QUERY PLAN"</code> " of your last query):"</p>
                <pre class=css::output>{plan}</pre>
            </div>
        })}
        {(total > 0).then(|| view! {
            <ul class=css::tests aria-label="Test results">
                {s.tests.into_iter().map(|t| view! { <TestRow t /> }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn TestRow(t: TestResult) -> impl IntoView {
    let (mark, verdict, class) = if t.passed {
        ("✓", "passed", css::test_pass)
    } else {
        ("✗", "failed", css::test_fail)
    };
    let show_diff = !t.passed && (t.expected.is_some() || t.actual.is_some());
    view! {
        <li class=class data-testid="test-row" data-passed=t.passed.to_string()>
            <div class=css::test_head>
                <span aria-hidden="true">{mark}</span>
                <strong>{t.name.clone()}</strong>
                <span>{verdict}</span>
                {(!t.public).then(|| view! { <span class="badge">"hidden"</span> })}
                {t.time_ms.map(|ms| view! { <span class="muted">{millis(u64::from(ms))}</span> })}
            </div>
            {show_diff.then(|| view! {
                <div class=css::diff>
                    <div><span class="muted">"Expected"</span><pre>{t.expected.clone().unwrap_or_default()}</pre></div>
                    <div><span class="muted">"Actual"</span><pre>{t.actual.clone().unwrap_or_default()}</pre></div>
                </div>
            })}
            {(!t.passed).then(|| t.message.clone()).flatten().map(|m| view! { <pre class=css::output>{m}</pre> })}
        </li>
    }
}
