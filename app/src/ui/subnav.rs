//! An area's own navigation: a row of links, the current one marked by `A`'s
//! `aria-current="page"`.

use leptos::prelude::*;
use leptos_router::components::A;

stylance::import_crate_style!(css, "src/ui/subnav.module.css");

/// The links (`(href, label)`) of one area, under a `nav` named `label`.
#[component]
pub fn SubNav(
    label: &'static str,
    links: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    view! {
        <nav class=css::subnav aria-label=label>
            <ul>
                {links
                    .iter()
                    .map(|(href, text)| view! { <li><A href=*href exact=true>{*text}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}
