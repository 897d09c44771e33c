//! Pages of collaborative documents: the list and the editor.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// Documents owned by or shared with the caller.
#[component]
pub fn DocsListPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Documents" summary="Collaborative documents of your organisation." /> }
}

/// One document in the collaborative editor.
#[component]
pub fn DocEditorPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Document" summary="The editor." /> }
}
