//! One challenge in the list.

use super::css;
use super::format::{difficulty_label, language_label, progress_label, score};
use crate::challenges::views::{ChallengeSummary, ProgressStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// A card: title (the link), summary, facts, tags and the caller's standing.
#[component]
pub fn ChallengeCard(c: ChallengeSummary) -> impl IntoView {
    let href = format!("/challenges/{}", c.id);
    let languages = c
        .languages
        .iter()
        .map(|l| language_label(*l))
        .collect::<Vec<_>>()
        .join(", ");
    let status_class = match c.status {
        ProgressStatus::Completed => css::status_done,
        ProgressStatus::InProgress => css::status_started,
        ProgressStatus::NotStarted => css::status_new,
    };
    let standing = match c.best_score {
        Some(s) => format!("{} · best {}", progress_label(c.status), score(s)),
        None => progress_label(c.status).to_string(),
    };
    view! {
        <article class=css::card_item data-testid="challenge-card">
            <h3 class=css::card_title><A href=href>{c.title.clone()}</A></h3>
            <p class=css::card_summary>{c.summary.clone()}</p>
            <dl class=css::facts>
                <div><dt>"Difficulty"</dt><dd>{difficulty_label(c.difficulty)}" · level "{c.level}</dd></div>
                <div><dt>"Category"</dt><dd>{c.category.clone()}</dd></div>
                <div><dt>"Languages"</dt><dd>{languages}</dd></div>
                <div><dt>"Time"</dt><dd>{c.estimated_minutes}" min"</dd></div>
            </dl>
            <ul class=css::tags aria-label="Tags">
                {c.tags.iter().map(|t| view! { <li class="badge">{t.clone()}</li> }).collect_view()}
            </ul>
            <p class=status_class data-testid="challenge-status">{standing}</p>
        </article>
    }
}

/// A grey placeholder card while the list loads.
#[component]
pub fn SkeletonCard() -> impl IntoView {
    view! {
        <div class=css::skeleton aria-hidden="true">
            <span></span>
            <span></span>
            <span></span>
        </div>
    }
}
