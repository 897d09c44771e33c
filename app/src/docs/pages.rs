//! Pages of the Documents area.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// The Documents area's landing page.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Documents" summary="Files and collaborative documents of your organisation will live here." /> }
}
