//! Parts of the sales dashboard: the KPI cards, the note on how the numbers were computed, and
//! the top products / categories tables.

use super::css;
use super::format::{cents, count, relative_error};
use super::remote::Remote;
use crate::analytics::metrics::model::SalesMetrics;
use leptos::prelude::*;

/// Rows shown in a top-N table.
const TOP_ROWS: usize = 10;

/// Orders, revenue, unique customers, average and p95 order value over the whole range.
#[component]
pub fn Kpis(metrics: RwSignal<Option<SalesMetrics>>) -> impl IntoView {
    let pick = move |f: fn(&SalesMetrics) -> String| {
        move || metrics.with(|m| m.as_ref().map(f).unwrap_or_default())
    };
    let approx = move || {
        metrics.with(|m| {
            m.as_ref()
                .and_then(|m| m.error_bounds.as_ref())
                .map(|b| relative_error(b.unique_customers_relative))
        })
    };
    view! {
        <dl class=css::kpis>
            <div class=css::kpi>
                <dt>"Orders"</dt>
                <dd data-testid="kpi-orders">{pick(|m| count(m.totals.orders))}</dd>
            </div>
            <div class=css::kpi>
                <dt>"Revenue"</dt>
                <dd data-testid="kpi-revenue">{pick(|m| cents(m.totals.revenue_cents))}</dd>
            </div>
            <div class=css::kpi>
                <dt>"Unique customers"</dt>
                <dd data-testid="kpi-customers">
                    {pick(|m| count(m.totals.unique_customers))}
                    {move || approx().map(|e| view! { <span class=css::kpi_note>{e}</span> })}
                </dd>
            </div>
            <div class=css::kpi>
                <dt>"Average order"</dt>
                <dd data-testid="kpi-average">
                    {pick(|m| cents(m.totals.revenue_cents.checked_div(m.totals.orders as i64).unwrap_or(0)))}
                </dd>
            </div>
            <div class=css::kpi>
                <dt>"95th percentile order"</dt>
                <dd data-testid="kpi-p95">{pick(|m| cents(m.totals.p95_order_cents))}</dd>
            </div>
        </dl>
    }
}

/// How the numbers were computed and, in approximate mode, their error bounds.
#[component]
pub fn MethodNote(metrics: RwSignal<Option<SalesMetrics>>) -> impl IntoView {
    let method = move || metrics.with(|m| m.as_ref().map(|m| m.method.clone()));
    let bounds = move || {
        metrics.with(|m| match m.as_ref().and_then(|m| m.error_bounds.as_ref()) {
            Some(b) => format!(
                "Error bounds: unique customers {} (relative standard error); percentiles within ±{:.1} rank points.",
                relative_error(b.unique_customers_relative),
                b.percentile_rank * 100.0
            ),
            None => "Exact: no estimation error.".to_string(),
        })
    };
    let elapsed = move || metrics.with(|m| m.as_ref().map(|m| format!("{:.1} ms", m.elapsed_ms)));
    view! {
        <div class=css::method>
            <p data-testid="sales-method">"Method: "{method}" · computed in "{elapsed}</p>
            <p data-testid="error-bounds">{bounds}</p>
        </div>
    }
}

/// The top products or categories by revenue.
#[component]
pub fn TopTable(
    title: &'static str,
    /// The key column's heading.
    what: &'static str,
    remote: Remote<SalesMetrics>,
    testid: &'static str,
) -> impl IntoView {
    let rows = move || {
        remote.data.with(|d| {
            d.as_ref()
                .map(|m| m.groups.iter().take(TOP_ROWS).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let heading = format!("{testid}-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by data-testid=testid>
            <h2 id=heading>{title}</h2>
            {move || remote.error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {move || match remote.data.with(|d| d.as_ref().map(|m| m.groups.is_empty())) {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(true) => view! { <p class="muted">"No sales in this range."</p> }.into_any(),
                Some(false) => view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{what}</th>
                                <th scope="col" class=css::num>"Orders"</th>
                                <th scope="col" class=css::num>"Units"</th>
                                <th scope="col" class=css::num>"Revenue"</th>
                            </tr></thead>
                            <tbody>
                                <For each=rows key=|b| (b.key.clone(), b.orders, b.units, b.revenue_cents) let:b>
                                    <tr>
                                        <th scope="row">{b.key.clone()}</th>
                                        <td class=css::num>{count(b.orders)}</td>
                                        <td class=css::num>{count(b.units)}</td>
                                        <td class=css::num>{cents(b.revenue_cents)}</td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
