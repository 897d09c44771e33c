//! The caller's progress (`/challenges/progress`) and the tenant's leaderboard
//! (`/challenges/leaderboard`).

use super::format::{language_label, score, status_label};
use super::{css, ChallengesNav, ErrorState};
use crate::challenges::api::{leaderboard, list_challenges, my_progress};
use crate::challenges::views::{ChallengeQuery, CompletionGroup, ProgressReport, RunMode};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use std::collections::HashMap;

/// Totals, completion by category, difficulty and skill, and recent submissions.
#[component]
pub fn ProgressPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| my_progress());
    // Titles for the recent submissions (which carry only the challenge id).
    let titles = Resource::new(
        || (),
        |_| {
            list_challenges(ChallengeQuery {
                limit: Some(100),
                ..Default::default()
            })
        },
    );
    view! {
        <Title text="My progress" />
        <div class="stack">
            <h1 class="page-title">"My progress"</h1>
            <ChallengesNav />
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading your progress…"</p> }>
                {move || Suspend::new(async move {
                    let titles: HashMap<String, String> = titles
                        .await
                        .map(|l| l.challenges.into_iter().map(|c| (c.id, c.title)).collect())
                        .unwrap_or_default();
                    match report.await {
                        Err(e) => view! { <ErrorState error=e /> }.into_any(),
                        Ok(r) => view! { <Report r titles /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Report(r: ProgressReport, titles: HashMap<String, String>) -> impl IntoView {
    view! {
        <dl class=css::kpis data-testid="progress-totals">
            <div><dt>"Completed"</dt><dd data-testid="progress-completed">{r.completed}" of "{r.total}</dd></div>
            <div><dt>"In progress"</dt><dd>{r.in_progress}</dd></div>
            <div><dt>"Submissions"</dt><dd data-testid="progress-attempts">{r.attempts}</dd></div>
        </dl>
        <div class=css::columns>
            <Bars title="By category" groups=r.by_category />
            <Bars title="By difficulty" groups=r.by_difficulty />
            <Bars title="By skill" groups=r.by_skill />
        </div>
        <section class="card stack" aria-labelledby="recent-heading">
            <h2 id="recent-heading">"Recent submissions"</h2>
            {if r.recent.is_empty() {
                view! { <p class="muted">"No submissions yet. "<A href="/challenges">"Pick a challenge"</A></p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="recent-submissions">
                            <thead><tr><th scope="col">"Challenge"</th><th scope="col">"Kind"</th><th scope="col">"Language"</th><th scope="col">"Status"</th><th scope="col">"Score"</th><th scope="col">"When"</th></tr></thead>
                            <tbody>
                                {r.recent.into_iter().map(|s| (titles.get(&s.challenge_id).cloned().unwrap_or_else(|| s.challenge_id.clone()), s)).map(|(title, s)| view! {
                                    <tr>
                                        <td><A href=format!("/challenges/{}", s.challenge_id)>{title}</A></td>
                                        <td>{match s.mode { RunMode::Run => "Run", RunMode::Submit => "Submit" }}</td>
                                        <td>{language_label(s.language)}</td>
                                        <td>{status_label(s.status)}</td>
                                        <td>{s.score.map(score).unwrap_or_else(|| "—".into())}</td>
                                        <td>{s.created_at.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// Completion bars of one grouping.
#[component]
fn Bars(title: &'static str, groups: Vec<CompletionGroup>) -> impl IntoView {
    view! {
        <section class="card stack">
            <h2>{title}</h2>
            {if groups.is_empty() {
                view! { <p class="muted">"Nothing yet."</p> }.into_any()
            } else {
                view! {
                    <ul class=css::bars>
                        {groups.into_iter().map(|g| {
                            let pct = (g.completed * 100).checked_div(g.total).unwrap_or(0);
                            view! {
                                <li>
                                    <span>{g.name.clone()}</span>
                                    <progress max=g.total.max(1) value=g.completed aria-label=g.name.clone()></progress>
                                    <span class="muted">{format!("{} / {} ({pct} %)", g.completed, g.total)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The tenant's leaderboard: rank, user, solved challenges and total score.
#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| leaderboard());
    view! {
        <Title text="Leaderboard" />
        <div class="stack">
            <h1 class="page-title">"Leaderboard"</h1>
            <ChallengesNav />
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading the leaderboard…"</p> }>
                {move || rows.get().map(|res| match res {
                    Err(e) => view! { <ErrorState error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="empty-state">"Nobody has solved a challenge yet."</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="leaderboard">
                                <thead><tr><th scope="col">"Rank"</th><th scope="col">"User"</th><th scope="col">"Solved"</th><th scope="col">"Score"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr><td>{r.rank}</td><td>{r.username}</td><td>{r.solved}</td><td>{score(r.score)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
}
