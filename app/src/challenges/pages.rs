//! Pages of the Challenges area.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// The Challenges area's landing page.
#[component]
pub fn ChallengesPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Challenges" summary="Coding challenges with an in-browser editor and a sandboxed runner will be here." /> }
}
