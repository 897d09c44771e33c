//! The Files page.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// Upload, list, download and (admins) delete the tenant's files.
#[component]
pub fn FilesPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Files" summary="Your organisation's files." /> }
}
