//! Pages of the Feed area.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// The Feed area's landing page.
#[component]
pub fn FeedPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Feed" summary="Your organisation's live event feed will stream here." /> }
}
