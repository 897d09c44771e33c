//! The sales dashboard (`/dashboards`): KPIs, revenue and orders over time, top products and
//! categories, for a date range, exact or approximate, refreshed every 2 s while visible.

use super::chart::BarChart;
use super::format::{cents, default_range, range_problem};
use super::remote::Remote;
use super::sales_parts::{Kpis, MethodNote, TopTable};
use super::{css, DashboardsNav, WithTenant};
use crate::analytics::metrics::model::SalesMetrics;
use leptos::prelude::*;
use leptos_meta::Title;

/// How often the dashboard refetches while the tab is visible (a change shows within 2 s).
pub(super) const REFRESH: std::time::Duration = std::time::Duration::from_millis(1500);

/// The query string of the sales metrics endpoint.
fn sales_url(tenant: &str, group_by: &str, start: &str, end: &str, precision: &str) -> String {
    format!(
        "/api/v1/tenants/{tenant}/metrics/sales?group_by={group_by}&start_date={start}&end_date={end}&precision={precision}"
    )
}

/// The Dashboards area's landing page: the sales dashboard.
#[component]
pub fn DashboardsPage() -> impl IntoView {
    view! {
        <Title text="Dashboards" />
        <div class="stack">
            <div>
                <h1 class="page-title">"Dashboards"</h1>
                <p class="muted">"Sales: orders, revenue and customers over time. Refreshes live while this tab is open."</p>
            </div>
            <DashboardsNav />
            <WithTenant page=|tenant| view! { <SalesDashboard tenant /> } />
        </div>
    }
}

#[component]
fn SalesDashboard(tenant: String) -> impl IntoView {
    let (first, last) = default_range(chrono::Utc::now().date_naive());
    let start = RwSignal::new(first);
    let end = RwSignal::new(last);
    let group_by = RwSignal::new("day".to_string());
    let precision = RwSignal::new("exact".to_string());
    let problem = Memo::new(move |_| range_problem(&start.get(), &end.get()));
    let series = Remote::<SalesMetrics>::new();
    let products = Remote::<SalesMetrics>::new();
    let categories = Remote::<SalesMetrics>::new();
    let tenant = StoredValue::new(tenant);

    let refresh = move || {
        let (s, e) = (start.get_untracked(), end.get_untracked());
        if range_problem(&s, &e).is_some() {
            return;
        }
        let p = precision.get_untracked();
        let t = tenant.get_value();
        series.load(sales_url(&t, &group_by.get_untracked(), &s, &e, &p));
        products.load(sales_url(&t, "product", &s, &e, &p));
        categories.load(sales_url(&t, "category", &s, &e, &p));
    };
    Effect::new(move |_| {
        start.track();
        end.track();
        group_by.track();
        precision.track();
        refresh();
    });
    #[cfg(feature = "hydrate")]
    super::browser::every_while_visible(REFRESH, refresh);

    let unit = move || {
        if group_by.get() == "hour" {
            "hour"
        } else {
            "day"
        }
    };
    let points = move |pick: fn(&crate::analytics::metrics::model::SalesBucket) -> f64| {
        Signal::derive(move || {
            series.data.with(|d| {
                d.as_ref()
                    .map(|m| m.groups.iter().map(|b| (b.key.clone(), pick(b))).collect())
                    .unwrap_or_default()
            })
        })
    };
    let revenue = points(|b| b.revenue_cents as f64 / 100.0);
    let orders = points(|b| b.orders as f64);
    let empty = move || {
        series
            .data
            .with(|d| d.as_ref().is_some_and(|m| m.totals.orders == 0))
    };

    view! {
        <form class=css::controls on:submit=|ev| ev.prevent_default() aria-label="Sales dashboard settings">
            <div class="field">
                <label for="sales-start">"From"</label>
                <input id="sales-start" type="date" prop:value=start
                    aria-invalid=move || problem.get().is_some().to_string()
                    aria-describedby="sales-range-error"
                    on:change=move |ev| start.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="sales-end">"To"</label>
                <input id="sales-end" type="date" prop:value=end
                    aria-invalid=move || problem.get().is_some().to_string()
                    aria-describedby="sales-range-error"
                    on:change=move |ev| end.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="sales-group">"Group by"</label>
                <select id="sales-group" on:change=move |ev| group_by.set(event_target_value(&ev))>
                    <option value="day" selected>"Day"</option>
                    <option value="hour">"Hour"</option>
                </select>
            </div>
            <fieldset class=css::toggle>
                <legend>"Precision"</legend>
                <label><input type="radio" name="precision" value="exact" checked
                    on:change=move |_| precision.set("exact".to_string()) />" Exact"</label>
                <label><input type="radio" name="precision" value="approx"
                    on:change=move |_| precision.set("approx".to_string()) />" Approximate"</label>
            </fieldset>
        </form>
        <p id="sales-range-error" class="field-error" role="alert">{move || problem.get()}</p>
        {move || series.error.get().map(|message| view! {
            <p class="form-error" role="alert" data-testid="sales-error">{message}</p>
        })}
        <Show
            when=move || series.data.with(Option::is_some)
            fallback=move || view! {
                <p class="muted" hidden=move || series.error.with(Option::is_some)>"Loading sales…"</p>
            }
        >
            <Kpis metrics=series.data />
            <MethodNote metrics=series.data />
            <Show when=move || !empty() fallback=|| view! {
                <div class="empty-state" data-testid="sales-empty">
                    <p>"No orders in this date range. Upload orders on the Ingest page, or pick other dates."</p>
                </div>
            }>
                <div class=css::charts>
                    <section class="card" aria-labelledby="revenue-heading">
                        <h2 id="revenue-heading">{move || format!("Revenue per {}", unit())}</h2>
                        <BarChart label="Revenue over time" points=revenue format=|v| cents((v * 100.0).round() as i64) testid="revenue-chart" />
                    </section>
                    <section class="card" aria-labelledby="orders-heading">
                        <h2 id="orders-heading">{move || format!("Orders per {}", unit())}</h2>
                        <BarChart label="Orders over time" points=orders format=|v| format!("{v:.0}") testid="orders-chart" />
                    </section>
                </div>
            </Show>
        </Show>
        <div class=css::charts>
            <TopTable title="Top products" what="Product" remote=products testid="top-products" />
            <TopTable title="Top categories" what="Category" remote=categories testid="top-categories" />
        </div>
    }
}
