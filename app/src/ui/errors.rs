//! Error pages: 404 for unknown routes, 500 when the server could not answer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Shown for any unknown route (the server answers 404).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(404);
    view! {
        <Title text="Page not found" />
        <main id="main" class="shell-main error-page">
            <h1 class="page-title">"Page not found"</h1>
            <p class="muted">"There is nothing at this address. It may have moved, or the link is mistyped."</p>
            <A href="/" attr:class="btn btn-primary">"Go to Atrium"</A>
        </main>
    }
}

/// Shown when the server failed to answer (the server answers 500).
#[component]
pub fn InternalErrorPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(500);
    view! {
        <Title text="Something went wrong" />
        <main id="main" class="shell-main error-page">
            <h1 class="page-title">"Something went wrong"</h1>
            <p class="muted">"Atrium could not load this page. Nothing you entered was lost; try again in a moment."</p>
            <a href="" class="btn btn-primary">"Try again"</a>
        </main>
    }
}

/// Sends the page being rendered with this HTTP status (no-op outside a server request).
#[cfg(feature = "ssr")]
pub fn set_status(code: u16) {
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
}
