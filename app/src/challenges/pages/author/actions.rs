//! Edit and Delete on the challenge page (shown only when the server says `can_edit`).
//! Deleting asks for confirmation in the page, then goes to the list with a notice.

use crate::challenges::api::delete_challenge;
use crate::ui::toast;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// The author's actions for one challenge.
#[component]
pub fn AuthorActions(id: String, title: String) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    let navigate = use_navigate();
    let title = StoredValue::new(title);
    let delete = Action::new(move |id: &String| delete_challenge(id.clone()));
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(kind)) => {
            let kept = if kind == "soft" {
                " Its submissions are kept."
            } else {
                ""
            };
            toast::push(
                toast::ToastKind::Success,
                format!("Deleted “{}”.{kept}", title.get_value()),
            );
            navigate("/challenges", Default::default());
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    // Focus moves to the confirmation so keyboard users land on it.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(b) = confirm_ref.get() {
                let _ = b.focus();
            }
        }
    });
    let delete_id = id.clone();
    view! {
        <div class="row" data-testid="author-actions">
            <A href=format!("/challenges/{id}/edit") attr:class="btn">"Edit"</A>
            <button type="button" class="btn btn-danger" aria-expanded=move || confirming.get().to_string()
                aria-controls="delete-confirm" on:click=move |_| confirming.set(true)>
                "Delete"
            </button>
        </div>
        <div id="delete-confirm" class="card stack" role="group" aria-labelledby="delete-confirm-text"
            hidden=move || !confirming.get()>
            <p id="delete-confirm-text">
                {move || format!("Delete “{}”? Students will no longer see it. This cannot be undone.", title.get_value())}
            </p>
            <div class="row">
                <button type="button" class="btn btn-danger" node_ref=confirm_ref disabled=move || delete.pending().get()
                    on:click=move |_| { delete.dispatch(delete_id.clone()); }>
                    {move || if delete.pending().get() { "Deleting…" } else { "Yes, delete it" }}
                </button>
                <button type="button" class="btn btn-ghost" on:click=move |_| confirming.set(false)>"Cancel"</button>
            </div>
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </div>
    }
}
