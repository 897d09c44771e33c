//! Parts of the documents list: the create form, one row with inline rename, and a modal
//! confirmation built on the native `<dialog>` (focus trap and Escape for free).

use super::api::{create_doc, delete_doc, rename_doc};
use super::components_share::ShareDialog;
use super::model::{validate_title, DocSummary};
use crate::ui::toast;
use leptos::prelude::*;
use leptos_router::components::A;

stylance::import_crate_style!(pub(crate) css, "src/docs/collab/docs.module.css");

/// "Title" and "Create document"; opens the new document.
#[component]
pub fn CreateDocForm() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let create = Action::new(|title: &String| create_doc(title.clone()));
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(doc)) => navigate(&format!("/docs/{}", doc.id), Default::default()),
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_title(&title.get_untracked()) {
            Ok(t) => {
                error.set(None);
                create.dispatch(t);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class=css::create on:submit=submit data-testid="doc-create" novalidate>
            <div class="field">
                <label for="doc-new-title">"Title"</label>
                <input id="doc-new-title" name="title" autocomplete="off" prop:value=title
                    aria-invalid=move || error.get().is_some().to_string() aria-describedby="doc-new-title-error"
                    on:input=move |ev| { title.set(event_target_value(&ev)); error.set(None); } />
                <p id="doc-new-title-error" class="field-error" role="alert">{move || error.get()}</p>
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Create document"</button>
        </form>
    }
}

/// One document: its link, owner and access, rename in place, share and delete for admins.
#[component]
pub fn DocRow(doc: DocSummary, changed: RwSignal<u32>) -> impl IntoView {
    let id = StoredValue::new(doc.id.clone());
    let current = RwSignal::new(doc.title.clone());
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sharing = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let is_admin = doc.permission == super::model::Permission::Admin;
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let (true, Some(el)) = (editing.get(), input.get()) {
            let _ = el.focus();
        }
    });
    let rename =
        Action::new(|(id, title): &(String, String)| rename_doc(id.clone(), title.clone()));
    Effect::new(move |_| match rename.value().get() {
        Some(Ok(d)) => {
            current.set(d.title);
            editing.set(false);
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let delete = Action::new(|id: &String| delete_doc(id.clone()));
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(_)) => {
            toast::push(toast::ToastKind::Success, "Document deleted.");
            changed.update(|v| *v += 1);
        }
        Some(Err(e)) => toast::push_error(e.message),
        None => {}
    });
    let save = move || match validate_title(&draft.get_untracked()) {
        Ok(t) => {
            rename.dispatch((id.get_value(), t));
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let err_id = format!("doc-rename-error-{}", doc.id);
    let rename_label = format!("New title of {}", doc.title);
    let access = if doc.owned {
        "Owner".to_string()
    } else {
        format!("Can {}", doc.permission.as_str())
    };
    view! {
        <li class=css::row data-testid="doc-row" data-doc-id=doc.id.clone()>
            <Show when=move || editing.get() fallback=move || view! {
                <A href=format!("/docs/{}", id.get_value()) attr:class=css::doc_link>{move || current.get()}</A>
            }>
                <form class=css::rename on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(); }>
                    <input node_ref=input aria-label=rename_label.clone() prop:value=draft
                        aria-invalid=move || error.get().is_some().to_string() aria-describedby=err_id.clone()
                        on:input=move |ev| { draft.set(event_target_value(&ev)); error.set(None); }
                        on:keydown=move |ev| if ev.key() == "Escape" { editing.set(false); } />
                    <button type="submit" class="btn btn-primary" disabled=move || rename.pending().get()>"Save"</button>
                    <button type="button" class="btn btn-ghost" on:click=move |_| editing.set(false)>"Cancel"</button>
                    <p id=err_id.clone() class="field-error" role="alert">{move || error.get()}</p>
                </form>
            </Show>
            <span class="muted">{doc.owner_name.clone()}</span>
            <span class="badge">{access}</span>
            <div class=css::actions>
                {is_admin.then(|| view! {
                    <button type="button" class="btn btn-ghost" aria-label=format!("Rename {}", doc.title)
                        on:click=move |_| { draft.set(current.get_untracked()); error.set(None); editing.set(true); }>"Rename"</button>
                    <button type="button" class="btn btn-ghost" aria-haspopup="dialog" aria-label=format!("Share {}", doc.title)
                        on:click=move |_| sharing.set(true)>"Share"</button>
                    <button type="button" class="btn btn-ghost" aria-haspopup="dialog" aria-label=format!("Delete {}", doc.title)
                        on:click=move |_| deleting.set(true)>"Delete"</button>
                })}
            </div>
            {is_admin.then(|| view! {
                <ShareDialog open=sharing doc_id=id.get_value() title=current />
                <ConfirmDialog open=deleting title="Delete document?".to_string()
                    message=Signal::derive(move || format!("“{}” will be deleted for everyone it is shared with. This cannot be undone.", current.get()))
                    confirm="Delete"
                    on_confirm=Callback::new(move |_| { delete.dispatch(id.get_value()); }) />
            })}
        </li>
    }
    .into_any()
}

/// A modal confirmation; `on_confirm` runs when the user accepts.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    title: String,
    #[prop(into)] message: Signal<String>,
    confirm: &'static str,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = modal(open);
    view! {
        <dialog node_ref=dialog class=css::dialog aria-label=title.clone() on:close=move |_| open.set(false)>
            <h2>{title.clone()}</h2>
            <p>{move || message.get()}</p>
            <div class="row">
                <button type="button" class="btn btn-danger" on:click=move |_| { open.set(false); on_confirm.run(()); }>{confirm}</button>
                <button type="button" class="btn" autofocus on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </dialog>
    }
}

/// A `<dialog>` that is shown modally while `open` is true.
pub fn modal(open: RwSignal<bool>) -> NodeRef<leptos::html::Dialog> {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let want = open.get();
        if let Some(el) = dialog.get() {
            if want && !el.open() {
                let _ = el.show_modal();
            } else if !want && el.open() {
                el.close();
            }
        }
    });
    dialog
}
