//! Pages of the Dashboards area.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// The Dashboards area's landing page.
#[component]
pub fn DashboardsPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Dashboards" summary="Ingested events, metrics and exports will be charted here." /> }
}
