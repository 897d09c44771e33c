//! The Dashboards area: sales (`/dashboards`), order ingest, product events and price anomalies.
//! Every page reads the REST APIs from the browser (same origin, the session cookie
//! authenticates), so the server renders the frame and the loading states only.

mod anomalies;
#[cfg(feature = "hydrate")]
mod browser;
mod chart;
mod events;
pub mod events_table;
mod format;
mod ingest;
#[cfg(feature = "hydrate")]
mod live;
mod remote;
mod review;
mod sales;
mod sales_parts;
#[cfg(feature = "hydrate")]
mod upload;

pub use anomalies::AnomaliesPage;
pub use events::EventsDashboardPage;
pub use ingest::IngestPage;
pub use sales::DashboardsPage;

use crate::auth::SessionResource;
use crate::ui::errors::InternalErrorPage;
use crate::ui::subnav::SubNav;
use leptos::prelude::*;

stylance::import_crate_style!(pub(crate) css, "src/analytics/pages/dashboards.module.css");

/// The dashboards, in sub-navigation order: (path, label).
const DASHBOARDS: &[(&str, &str)] = &[
    ("/dashboards", "Sales"),
    ("/dashboards/ingest", "Ingest orders"),
    ("/dashboards/events", "Product events"),
    ("/dashboards/anomalies", "Price anomalies"),
];

/// The dashboards' own navigation.
#[component]
pub fn DashboardsNav() -> impl IntoView {
    view! { <SubNav label="Dashboards" links=DASHBOARDS /> }
}

/// Renders `page` with the signed-in tenant's id (the Shell has already sent visitors away).
#[component]
fn WithTenant<V, F>(page: F) -> impl IntoView
where
    F: Fn(String) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    let session = expect_context::<SessionResource>().0;
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(info)) => page(info.tenant_id.0).into_any(),
                    _ => view! { <InternalErrorPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
