//! The product events dashboard (`/dashboards/events`): the 30-day summary and the events table.

use super::events_table::EventsTable;
use super::format::count;
use super::remote::Remote;
use super::sales::REFRESH;
use super::{css, DashboardsNav};
use crate::analytics::events::model::MetricsSummary;
use leptos::prelude::*;
use leptos_meta::Title;

/// Events per day and type over the last 30 days, and the events themselves.
#[component]
pub fn EventsDashboardPage() -> impl IntoView {
    let summary = Remote::<MetricsSummary>::new();
    let refresh = move || summary.load("/api/v1/metrics/summary".to_string());
    Effect::new(move |_| refresh());
    #[cfg(feature = "hydrate")]
    super::browser::every_while_visible(REFRESH, refresh);
    #[cfg(not(feature = "hydrate"))]
    let _ = REFRESH;

    let by_type = move || {
        summary.data.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.totals
                        .by_type
                        .iter()
                        .map(|(k, v)| (k.clone(), *v))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <Title text="Product events" />
        <div class="stack">
            <h1 class="page-title">"Product events"</h1>
            <DashboardsNav />
            <section class="card stack" aria-labelledby="summary-heading" data-testid="events-summary">
                <h2 id="summary-heading">
                    {move || summary.data.with(|s| match s {
                        Some(s) => format!("Last 30 days ({} to {})", s.from, s.to),
                        None => "Last 30 days".to_string(),
                    })}
                </h2>
                {move || summary.error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                {move || summary.data.with(|s| s.as_ref().map(|s| (s.totals.events, s.totals.unique_users))).map(|(events, users)| view! {
                    <dl class=css::kpis>
                        <div class=css::kpi><dt>"Events"</dt><dd data-testid="summary-events">{count(events.max(0) as u64)}</dd></div>
                        <div class=css::kpi><dt>"Unique users"</dt><dd data-testid="summary-users">{count(users.max(0) as u64)}</dd></div>
                    </dl>
                })}
                <Show when=move || summary.data.with(Option::is_some)
                    fallback=move || view! { <p class="muted" hidden=move || summary.error.with(Option::is_some)>"Loading summary…"</p> }>
                    <Show when=move || !by_type().is_empty() fallback=|| view! { <p class="muted">"No events yet."</p> }>
                        <ul class=css::chips aria-label="Events by type">
                            <For each=by_type key=|t| t.clone() let:t>
                                <li><span class="badge">{t.0.clone()}</span>" "{count(t.1.max(0) as u64)}</li>
                            </For>
                        </ul>
                    </Show>
                </Show>
            </section>
            <section class="card stack" aria-labelledby="events-heading">
                <h2 id="events-heading">"Events"</h2>
                <EventsTable />
            </section>
        </div>
    }
}
