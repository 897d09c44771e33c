//! The price anomalies dashboard (`/dashboards/anomalies`): the latest anomalies, then new ones
//! live from the Server-Sent Events stream (reconnecting on its own).

use super::format::{cents, percent_change, timestamp};
use super::review::ReviewCell;
use super::{css, DashboardsNav, WithTenant};
use crate::analytics::catalog::model::PriceAnomaly;
use leptos::prelude::*;
use leptos_meta::Title;

/// Most anomalies kept on the page.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(super) const KEEP: usize = 200;

/// State of the live stream, as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(super) enum Live {
    Connecting,
    Open,
    Reconnecting,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// Adds `new` anomalies to `list` (newest first, no repeats, at most [`KEEP`]).
pub(super) fn merge(list: &mut Vec<PriceAnomaly>, new: Vec<PriceAnomaly>) {
    for a in new {
        if !list.iter().any(|b| b.event_id == a.event_id) {
            list.push(a);
        }
    }
    list.sort_by(|a, b| b.received_at.cmp(&a.received_at));
    list.truncate(KEEP);
}

/// The anomalies page.
#[component]
pub fn AnomaliesPage() -> impl IntoView {
    view! {
        <Title text="Price anomalies" />
        <div class="stack">
            <h1 class="page-title">"Price anomalies"</h1>
            <DashboardsNav />
            <WithTenant page=|tenant| view! { <AnomalyBoard tenant /> } />
        </div>
    }
}

#[component]
fn AnomalyBoard(tenant: String) -> impl IntoView {
    let list = RwSignal::new(Vec::<PriceAnomaly>::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let live = RwSignal::new(Live::Connecting);
    #[cfg(feature = "hydrate")]
    super::live::connect(tenant.clone(), list, loaded, error, live);
    let tenant = StoredValue::new(tenant);

    let status = move || match live.get() {
        Live::Connecting => "Connecting…",
        Live::Open => "Live",
        Live::Reconnecting => "Reconnecting…",
    };
    view! {
        <section class="card stack" aria-labelledby="anomalies-heading">
            <div class="row">
                <h2 id="anomalies-heading">"Latest anomalies"</h2>
                <span class="badge" role="status" data-testid="live-status">{status}</span>
            </div>
            {move || error.get().map(|m| view! { <p class="form-error" role="alert" data-testid="anomalies-error">{m}</p> })}
            <Show when=move || loaded.get() || error.with(Option::is_some)
                fallback=|| view! { <p class="muted">"Loading anomalies…"</p> }>
                <Show when=move || !list.with(Vec::is_empty)
                    fallback=|| view! { <div class="empty-state"><p>"No price anomalies yet. New ones appear here as they happen."</p></div> }>
                    <div class="table-wrap">
                        <table class="table" data-testid="anomalies">
                            <caption class="visually-hidden">"Price anomalies, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"Product"</th>
                                <th scope="col" class=css::num>"Old price"</th>
                                <th scope="col" class=css::num>"New price"</th>
                                <th scope="col" class=css::num>"Change"</th>
                                <th scope="col">"Seen (UTC)"</th>
                                <th scope="col">"Review"</th>
                            </tr></thead>
                            <tbody aria-live="polite">
                                <For each=move || list.get() key=|a| a.event_id.clone() let:a>
                                    <tr data-testid="anomaly-row">
                                        <th scope="row">{a.product_id.clone()}</th>
                                        <td class=css::num>{cents(a.old_price_cents)}</td>
                                        <td class=css::num>{cents(a.new_price_cents)}</td>
                                        <td class=move || if a.change_pct < 0.0 { css::down } else { css::up }>
                                            {if a.change_pct < 0.0 { "▼ " } else { "▲ " }}{percent_change(a.change_pct)}
                                        </td>
                                        <td class=css::nowrap>{timestamp(&a.observed_at)}</td>
                                        <ReviewCell tenant=tenant.get_value() anomaly=a.clone() list error />
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </div>
                </Show>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anomaly(id: &str, at: &str) -> PriceAnomaly {
        PriceAnomaly {
            event_id: id.to_string(),
            product_id: "p-1".to_string(),
            old_price_cents: 1000,
            new_price_cents: 1300,
            change_pct: 30.0,
            observed_at: at.to_string(),
            received_at: at.to_string(),
            review_status: "pending".to_string(),
        }
    }

    #[test]
    fn merging_keeps_newest_first_without_repeats() {
        let mut list = vec![anomaly("a", "2026-11-24T10:00:00Z")];
        merge(
            &mut list,
            vec![
                anomaly("b", "2026-11-24T11:00:00Z"),
                anomaly("a", "2026-11-24T10:00:00Z"),
            ],
        );
        let ids: Vec<_> = list.iter().map(|a| a.event_id.as_str()).collect();
        assert_eq!(ids, vec!["b", "a"]);
    }
}
