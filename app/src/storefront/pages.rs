//! Pages of the Storefront area.

use crate::ui::placeholder::AreaPlaceholder;
use leptos::prelude::*;

/// The Storefront area's landing page.
#[component]
pub fn StorefrontPage() -> impl IntoView {
    view! { <AreaPlaceholder title="Storefront" summary="Products, cart and checkout for your organisation's shoppers arrive here." /> }
}
