//! The caller's earlier runs and submissions of this challenge (from their progress report),
//! reloaded whenever the latest one reaches a final state.

use super::format::{is_final, score, status_label};
use crate::challenges::api::my_progress;
use crate::challenges::views::{RunMode, SubmissionView};
use leptos::prelude::*;

/// "Submissions so far" and a short table of the recent attempts on `challenge_id`.
#[component]
pub fn Attempts(
    challenge_id: String,
    /// Submissions counted so far (the server's number plus this page's).
    attempts: RwSignal<u32>,
    current: RwSignal<Option<SubmissionView>>,
) -> impl IntoView {
    let id = StoredValue::new(challenge_id);
    let settled_key = Memo::new(move |_| {
        current.with(|c| {
            c.as_ref()
                .filter(|c| is_final(c.status))
                .map(|c| c.id.clone())
        })
    });
    // Browser-only: the list is secondary and must not hold up the page's first render.
    let report = LocalResource::new(move || {
        settled_key.track();
        my_progress()
    });
    let mounted = crate::ui::client_only::mounted();
    let mine = move || {
        mounted
            .get()
            .then(|| report.get())
            .flatten()
            .and_then(Result::ok)
            .map(|r| {
                r.recent
                    .into_iter()
                    .filter(|s| id.with_value(|id| s.challenge_id == *id))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <details class="stack" data-testid="attempts-list">
            <summary data-testid="attempts">{move || format!("Submissions so far: {}", attempts.get())}</summary>
            {move || {
                let rows = mine();
                if rows.is_empty() {
                    view! { <p class="muted">"No recent attempts."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">"Your recent attempts"</caption>
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Kind"</th><th scope="col">"Status"</th><th scope="col">"Score"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|s| view! {
                                        <tr>
                                            <td>{s.created_at.clone()}</td>
                                            <td>{match s.mode { RunMode::Run => "Run", RunMode::Submit => "Submit" }}</td>
                                            <td>{status_label(s.status)}</td>
                                            <td>{s.score.map(score).unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </details>
    }
}
