//! The feedback panel: the review of the latest graded submission, its source, "Regenerate".

use super::css;
use super::format::{is_final, source_label};
use crate::challenges::api::regenerate_feedback;
use crate::challenges::model::Feedback;
use crate::challenges::views::{FeedbackStatus, SubmissionView};
use crate::error::ErrorCode;
use leptos::prelude::*;

/// Feedback on `current`; `on_update` takes the submission after "Regenerate".
#[component]
pub fn FeedbackPanel(
    current: RwSignal<Option<SubmissionView>>,
    on_update: Callback<SubmissionView>,
) -> impl IntoView {
    let regenerate = Action::new(move |id: &String| regenerate_feedback(id.clone()));
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match regenerate.value().get() {
        Some(Ok(view)) => {
            error.set(None);
            on_update.run(view);
        }
        Some(Err(e)) => error.set(Some(match (e.code, e.retry_after_secs) {
            (ErrorCode::RateLimited, Some(secs)) => {
                format!("You have asked for new feedback too often. Try again in {secs} s.")
            }
            (ErrorCode::RateLimited, None) => {
                "You have asked for new feedback too often. Try again later.".to_string()
            }
            _ => e.message,
        })),
        None => {}
    });
    let state = move || {
        current.with(|c| {
            c.as_ref()
                .filter(|c| is_final(c.status))
                .map(|c| (c.id.clone(), c.feedback_status, c.feedback.clone()))
        })
    };
    view! {
        <section class="card stack" aria-labelledby="feedback-heading" data-testid="feedback">
            <h2 id="feedback-heading">"Feedback"</h2>
            {move || match state() {
                None => view! { <p class="muted">"Feedback appears here after a run finishes."</p> }.into_any(),
                Some((_, Some(FeedbackStatus::Pending), _)) => view! {
                    <p class="muted" role="status" aria-live="polite">"Reviewing your code…"</p>
                }.into_any(),
                Some((_, Some(FeedbackStatus::Error), _)) => view! {
                    <p class="form-error" role="alert">"The review could not be written. Try Regenerate."</p>
                }.into_any(),
                Some((_, _, Some(f))) => view! { <Review f /> }.into_any(),
                Some(_) => view! { <p class="muted">"No feedback for this run."</p> }.into_any(),
            }}
            {move || state().map(|(id, status, _)| {
                let id = StoredValue::new(id);
                view! {
                    <button type="button" class="btn"
                        disabled=move || regenerate.pending().get() || status == Some(FeedbackStatus::Pending)
                        on:click=move |_| { regenerate.dispatch(id.get_value()); }>
                        "Regenerate feedback"
                    </button>
                }
            })}
            {move || error.get().map(|m| view! { <p class="form-error" role="alert" data-testid="feedback-error">{m}</p> })}
        </section>
    }
}

#[component]
fn Review(f: Feedback) -> impl IntoView {
    let list = |title: &'static str, items: Vec<String>| {
        (!items.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            }
        })
    };
    view! {
        <p class=css::source data-testid="feedback-source">
            "Source: " {source_label(f.source, f.model.as_deref())}
        </p>
        <p data-testid="feedback-score">"Review score: " <strong>{f.score}" / 100"</strong></p>
        {list("Strengths", f.strengths)}
        {list("To improve", f.improvements)}
        {list("Conceptual errors", f.conceptual_errors)}
        {list("Suggestions", f.suggestions)}
    }
}
