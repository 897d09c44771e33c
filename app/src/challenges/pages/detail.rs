//! A challenge (`/challenges/:id`): the task on one side, the editor, results and feedback on
//! the other.

use super::author::AuthorActions;
use super::format::{difficulty_label, language_label};
use super::markdown::Markdown;
use super::workspace::Workspace;
use super::{css, ChallengesNav, ErrorState};
use crate::challenges::api::get_challenge;
use crate::challenges::views::ChallengeDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The challenge page; 404 and 403 answers get their own state.
#[component]
pub fn ChallengePage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_challenge,
    );
    view! {
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading the challenge…"</p> }>
            {move || detail.get().map(|res| match res {
                Err(e) => view! { <Title text="Challenge" /> <ErrorState error=e /> }.into_any(),
                Ok(d) => view! { <Challenge d /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Challenge(d: ChallengeDetail) -> impl IntoView {
    let s = d.summary.clone();
    let languages = s
        .languages
        .iter()
        .map(|l| language_label(*l))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <Title text=s.title.clone() />
        <div class="stack">
            <header class="stack">
                <h1 class="page-title">{s.title.clone()}</h1>
                <p class="muted">
                    {difficulty_label(s.difficulty)}" · level "{s.level}" · "{s.category.clone()}" · "
                    {languages}" · about "{s.estimated_minutes}" min"
                    {(!s.is_public).then(|| view! { " · " <span class="badge">"private"</span> })}
                </p>
                {d.can_edit.then(|| view! { <AuthorActions id=s.id.clone() title=s.title.clone() /> })}
            </header>
            <ChallengesNav />
            <div class=css::split>
                <TaskPanel d=d.clone() />
                <Workspace d />
            </div>
        </div>
    }
}

/// The task: description, objectives, hints one at a time, the grading note and tags.
#[component]
fn TaskPanel(d: ChallengeDetail) -> impl IntoView {
    let shown = RwSignal::new(0usize);
    let hints = StoredValue::new(d.hints.clone());
    let total = d.hints.len();
    view! {
        <section class="card stack" aria-labelledby="task-heading">
            <h2 id="task-heading">"The task"</h2>
            <div class=css::prose data-testid="challenge-description"><Markdown text=d.description.clone() /></div>
            {(!d.objectives.is_empty()).then(|| view! {
                <h3>"Objectives"</h3>
                <ul>{d.objectives.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
            })}
            {(total > 0).then(|| view! {
                <h3>"Hints"</h3>
                <ol class=css::hints aria-live="polite">
                    {move || hints.with_value(|h| h.iter().take(shown.get()).map(|x| view! { <li>{x.clone()}</li> }).collect_view())}
                </ol>
                <Show when=move || { shown.get() < total }>
                    <button type="button" class="btn btn-ghost" on:click=move |_| shown.update(|n| *n += 1)>
                        {move || format!("Show hint {} of {}", shown.get() + 1, total)}
                    </button>
                </Show>
            })}
            {(!d.grading_note.is_empty()).then(|| view! {
                <h3>"How it is graded"</h3>
                <p>{d.grading_note.clone()}</p>
            })}
            {(!d.tests.is_empty()).then(|| view! {
                <h3>"Tests"</h3>
                <ul class=css::test_list>
                    {d.tests.iter().map(|t| view! {
                        <li>
                            <strong>{t.name.clone()}</strong>
                            {(!t.public).then(|| view! { " " <span class="badge">"hidden"</span> })}
                            {(!t.description.is_empty()).then(|| view! { <span class="muted">" — "{t.description.clone()}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <ul class=css::tags aria-label="Tags">
                {d.summary.tags.iter().map(|t| view! { <li class="badge">{t.clone()}</li> }).collect_view()}
            </ul>
        </section>
    }
}
