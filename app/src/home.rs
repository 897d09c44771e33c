//! The signed-in landing page: where to go next.

use crate::auth::SessionResource;
use crate::ui::layout::AREAS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Home: a greeting and a card per area.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = expect_context::<SessionResource>().0;
    let tenant = move || {
        session
            .get()
            .and_then(|r| r.ok().flatten())
            .map(|s| s.tenant_name)
            .unwrap_or_default()
    };
    view! {
        <Title text="Home" />
        <h1 class="page-title">"Home"</h1>
        <p class="muted">"Everything of " {tenant} " in one place."</p>
        <ul class="area-grid">
            {AREAS
                .iter()
                .skip(1)
                .map(|(href, label)| view! {
                    <li class="card"><A href=*href>{*label}</A></li>
                })
                .collect_view()}
        </ul>
    }
}
