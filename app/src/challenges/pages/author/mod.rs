//! Authoring in the browser: `/challenges/new` and `/challenges/:id/edit` (instructors and
//! admins; editing for the challenge's creator or an admin), and the Edit / Delete actions of
//! the challenge page. Every rule is the server's (`service::author`, `service::rules`).

mod actions;
mod collect;
mod field;
mod fields;
mod form;
mod rows;
mod state;

pub use actions::AuthorActions;

use super::{ChallengesNav, ErrorState};
use crate::challenges::api::{get_challenge_for_edit, list_challenges};
use crate::challenges::views::ChallengeQuery;
use crate::error::{AppError, ErrorCode};
use form::AuthorForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use state::{blank, Form};

stylance::import_crate_style!(pub(crate) css, "src/challenges/pages/author/author.module.css");

/// `/challenges/new`: an empty form for instructors and admins; students see "Not allowed".
#[component]
pub fn NewChallengePage() -> impl IntoView {
    // The list answers whether the caller may author (one row is enough).
    let allowed = Resource::new(
        || (),
        |_| async {
            let query = ChallengeQuery {
                limit: Some(1),
                ..Default::default()
            };
            list_challenges(query).await.map(|l| l.can_author)
        },
    );
    view! {
        <Title text="New challenge" />
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
            {move || allowed.get().map(|res| match res {
                Ok(true) => view! {
                    <div class="stack">
                        <h1 class="page-title">"New challenge"</h1>
                        <ChallengesNav />
                        <AuthorForm form=Form::new(&blank()) id=None />
                    </div>
                }.into_any(),
                Ok(false) => view! {
                    <ErrorState error=AppError::forbidden("Only instructors and admins can create challenges.") />
                }.into_any(),
                Err(e) => view! { <ErrorState error=e /> }.into_any(),
            })}
        </Transition>
    }
}

/// `/challenges/:id/edit`: the full challenge for its creator or an admin.
#[component]
pub fn EditChallengePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let input = Resource::new(id, get_challenge_for_edit);
    view! {
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading the challenge…"</p> }>
            {move || input.get().map(|res| match res {
                Ok(input) => {
                    let title = input.title.clone();
                    view! {
                        <Title text=format!("Edit {title}") />
                        <div class="stack">
                            <h1 class="page-title">"Edit “"{title}"”"</h1>
                            <ChallengesNav />
                            <AuthorForm form=Form::new(&input) id=Some(id()) />
                        </div>
                    }.into_any()
                }
                Err(e) if e.code == ErrorCode::Forbidden => view! {
                    <Title text="Not allowed" /> <ErrorState error=e />
                }.into_any(),
                Err(e) => view! { <Title text="Challenge" /> <ErrorState error=e /> }.into_any(),
            })}
        </Transition>
    }
}
