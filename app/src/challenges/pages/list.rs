//! The challenge list (`/challenges`): search, filters, sort and paging live in the URL;
//! results are grouped by difficulty.

use super::card::{ChallengeCard, SkeletonCard};
use super::format::{difficulty_label, difficulty_param, progress_param, DIFFICULTIES};
use super::format::{parse_difficulty, parse_progress, PROGRESS_STATUSES};
use super::query::{from_params, has_filters, to_url, SORTS};
use super::{css, ChallengesNav};
use crate::challenges::api::{list_categories, list_challenges};
use crate::challenges::views::{ChallengeList, ChallengeQuery};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// How long the search box waits after the last key before it searches.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(300);

/// The list of challenges the caller may see.
#[component]
pub fn ChallengesPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| from_params(|k| p.get(k))));
    let list = Resource::new(move || query.get(), list_challenges);
    // Loaded in the browser only: the options fill in after hydration, so nothing mismatches.
    let categories = LocalResource::new(list_categories);
    let mounted = crate::ui::client_only::mounted();

    let navigate = use_navigate();
    // Every filter change starts again at page 1; typing replaces the history entry.
    let apply = Callback::new(move |(change, replace): (ChallengeQuery, bool)| {
        let mut q = change;
        q.page = None;
        navigate(
            &to_url(&q),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let edit = move |f: &dyn Fn(&mut ChallengeQuery), replace: bool| {
        let mut q = query.get_untracked();
        f(&mut q);
        apply.run((q, replace));
    };

    let search = RwSignal::new(query.get_untracked().search.unwrap_or_default());
    Effect::new(move |_| {
        let s = query.with(|q| q.search.clone()).unwrap_or_default();
        if search.get_untracked() != s {
            search.set(s);
        }
    });
    let typed = StoredValue::new(0u64);
    let on_search = move |text: String| {
        search.set(text);
        typed.update_value(|n| *n += 1);
        let mine = typed.get_value();
        set_timeout(
            move || {
                if typed.try_get_value() == Some(mine) {
                    let text = search.get_untracked();
                    edit(
                        &|q| q.search = Some(text.trim().to_string()).filter(|s| !s.is_empty()),
                        true,
                    );
                }
            },
            SEARCH_DEBOUNCE,
        );
    };

    view! {
        <Title text="Challenges" />
        <div class="stack">
            <h1 class="page-title">"Challenges"</h1>
            <ChallengesNav />
            <form class=css::filters role="search" aria-label="Filter challenges"
                on:submit=move |ev| {
                    ev.prevent_default();
                    typed.update_value(|n| *n += 1);
                    let text = search.get_untracked();
                    edit(&|q| q.search = Some(text.trim().to_string()).filter(|s| !s.is_empty()), false);
                }>
                <div class="field">
                    <label for="challenge-search">"Search"</label>
                    <input id="challenge-search" type="search" maxlength="100" placeholder="Title, summary or tag"
                        prop:value=move || search.get() on:input=move |ev| on_search(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="challenge-difficulty">"Difficulty"</label>
                    <select id="challenge-difficulty"
                        prop:value=move || query.with(|q| q.difficulty.map(difficulty_param).unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.difficulty = parse_difficulty(&v), false); }>
                        <option value="">"Any"</option>
                        {DIFFICULTIES.into_iter().map(|d| view! {
                            <option value=difficulty_param(d) selected=move || query.with(|q| q.difficulty == Some(d))>{difficulty_label(d)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="challenge-category">"Category"</label>
                    <select id="challenge-category"
                        prop:value=move || query.with(|q| q.category.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.category = Some(v.clone()).filter(|c| !c.is_empty()), false); }>
                        <option value="">"Any"</option>
                        {move || mounted.get().then(|| categories.get()).flatten().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                            let selected = query.with_untracked(|q| q.category.as_deref() == Some(c.as_str()));
                            view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="challenge-tags">"Tags"</label>
                    <input id="challenge-tags" type="text" maxlength="100" placeholder="e.g. python,testing"
                        aria-describedby="challenge-tags-hint"
                        prop:value=move || query.with(|q| q.tags.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.tags = Some(v.trim().to_string()).filter(|t| !t.is_empty()), false); } />
                    <span id="challenge-tags-hint" class="field-hint">"Comma-separated; all must match."</span>
                </div>
                <div class="field">
                    <label for="challenge-status">"Status"</label>
                    <select id="challenge-status"
                        prop:value=move || query.with(|q| q.status.map(progress_param).unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.status = parse_progress(&v), false); }>
                        <option value="">"Any"</option>
                        {PROGRESS_STATUSES.into_iter().map(|(p, v, label)| view! {
                            <option value=v selected=move || query.with(|q| q.status == Some(p))>{label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="challenge-sort">"Sort by"</label>
                    <select id="challenge-sort"
                        prop:value=move || query.with(|q| q.sort_by.clone().unwrap_or_else(|| "difficulty".into()))
                        on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.sort_by = Some(v.clone()).filter(|s| s != "difficulty"), false); }>
                        {SORTS.into_iter().map(|(v, label)| view! {
                            <option value=v selected=move || query.with(|q| q.sort_by.as_deref().unwrap_or("difficulty") == v)>{label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="challenge-order">"Order"</label>
                    <select id="challenge-order"
                        prop:value=move || query.with(|q| q.sort_order.clone().unwrap_or_else(|| "asc".into()))
                        on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.sort_order = Some(v.clone()).filter(|o| o != "asc"), false); }>
                        <option value="asc">"Ascending"</option>
                        <option value="desc" selected=move || query.with(|q| q.sort_order.as_deref() == Some("desc"))>"Descending"</option>
                    </select>
                </div>
            </form>
            <Transition fallback=|| view! {
                <div class=css::grid aria-busy="true" aria-label="Loading challenges">
                    <SkeletonCard /><SkeletonCard /><SkeletonCard />
                </div>
            }>
                {move || list.get().map(|res| match res {
                    Err(e) => view! {
                        <p class="form-error" role="alert" data-testid="challenges-error">
                            "The challenges could not be loaded: " {e.message}
                        </p>
                    }.into_any(),
                    Ok(page) => view! {
                        {page.can_author.then(|| view! {
                            <p><A href="/challenges/new" attr:class="btn btn-primary">"New challenge"</A></p>
                        })}
                        <Results page query=query.get_untracked() />
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}

/// One page of results, grouped by difficulty, with paging links.
#[component]
fn Results(page: ChallengeList, query: ChallengeQuery) -> impl IntoView {
    if page.challenges.is_empty() {
        let filtered = has_filters(&query);
        return view! {
            <div class="empty-state stack" data-testid="challenges-empty">
                <p>{if filtered { "No challenges match these filters." } else { "No challenges yet." }}</p>
                {filtered.then(|| view! { <p><A href="/challenges">"Clear filters"</A></p> })}
            </div>
        }
        .into_any();
    }
    let p = page.pagination.clone();
    let link = move |n: u32| {
        let mut q = query.clone();
        q.page = Some(n);
        to_url(&q)
    };
    let groups = DIFFICULTIES
        .into_iter()
        .filter_map(|d| {
            let cards: Vec<_> = page
                .challenges
                .iter()
                .filter(|c| c.difficulty == d)
                .cloned()
                .collect();
            (!cards.is_empty()).then_some((d, cards))
        })
        .map(|(d, cards)| {
            let id = format!("group-{}", difficulty_param(d));
            let labelled_by = id.clone();
            view! {
                <section class="stack" aria-labelledby=labelled_by data-testid="difficulty-group">
                    <h2 id=id>{difficulty_label(d)}</h2>
                    <ul class=css::grid>
                        {cards.into_iter().map(|c| view! { <li><ChallengeCard c /></li> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <p class="muted" role="status">{format!("{} challenge{}", p.total, if p.total == 1 { "" } else { "s" })}</p>
        {groups}
        <nav class=css::pager aria-label="Pages">
            {(p.page > 1).then(|| view! { <A href=link(p.page - 1)>"← Previous"</A> })}
            <span>{format!("Page {} of {}", p.page, p.pages.max(1))}</span>
            {(p.page < p.pages).then(|| view! { <A href=link(p.page + 1)>"Next →"</A> })}
        </nav>
    }
    .into_any()
}
