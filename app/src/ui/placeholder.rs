//! The page frame of an area that is still to be built.

use leptos::prelude::*;
use leptos_meta::Title;

/// An area's page: title, heading and a short description of what is coming.
#[component]
pub fn AreaPlaceholder(title: &'static str, summary: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <h1 class="page-title">{title}</h1>
        <div class="empty-state">
            <p>{summary}</p>
        </div>
    }
}
