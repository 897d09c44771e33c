//! The revision history panel: saved versions, viewing one, naming the current one, and
//! restoring (admins; restoring is a new edit, so every open editor converges on it).

use super::components::{css, ConfirmDialog};
use super::model::RevisionInfo;
use super::revisions_api::{create_revision, list_revisions, restore_revision, revision_html};
use crate::ui::toast;
use leptos::prelude::*;

/// Longest revision name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// History of `doc_id`; `can_edit` may name versions, `is_admin` may restore.
#[component]
pub fn RevisionsPanel(doc_id: String, can_edit: bool, is_admin: bool) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let version = RwSignal::new(0u32);
    let revisions = LocalResource::new(move || {
        version.track();
        list_revisions(doc_id.get_value())
    });
    let viewing = RwSignal::new(None::<(RevisionInfo, Result<String, String>)>);
    let view_rev = Action::new(move |rev: &RevisionInfo| {
        let rev = rev.clone();
        async move {
            let html = revision_html(doc_id.get_value(), rev.id)
                .await
                .map_err(|e| e.message);
            viewing.set(Some((rev, html)));
        }
    });
    let restore = Action::new(move |id: &i64| {
        let id = *id;
        async move { restore_revision(doc_id.get_value(), id).await.map(|_| ()) }
    });
    Effect::new(move |_| match restore.value().get() {
        Some(Ok(())) => {
            toast::push(toast::ToastKind::Success, "Version restored for everyone.");
            viewing.set(None);
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => toast::push_error(e.message),
        None => {}
    });
    let mounted = crate::ui::client_only::mounted();
    let confirm_restore = RwSignal::new(false);
    let to_restore = RwSignal::new(None::<RevisionInfo>);
    view! {
        <aside class=css::history aria-labelledby="doc-history-title" data-testid="doc-history">
            <h2 id="doc-history-title">"History"</h2>
            {can_edit.then(|| view! { <NameVersionForm doc_id=doc_id.get_value() version /> })}
            // Client-only: a LocalResource read during SSR would hold the page's Suspense.
            {move || mounted.get().then(|| revisions.get()).flatten().map(|res| match res {
                Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">"No saved versions yet."</p> }.into_any(),
                Ok(list) => view! {
                    <ol class=css::revisions>
                        {list.into_iter().map(|rev| {
                            let stored = StoredValue::new(rev.clone());
                            let name = label_of(&rev);
                            view! {
                                <li data-testid="doc-revision">
                                    <span class=css::rev_name>{name.clone()}</span>
                                    <span class="muted">{rev.created_at.clone()} {rev.created_by.clone().map(|b| format!(" · {b}"))}</span>
                                    <div class="row">
                                        <button type="button" class="btn btn-ghost" aria-label=format!("View {name}")
                                            on:click=move |_| { view_rev.dispatch(stored.get_value()); }>"View"</button>
                                        {is_admin.then(|| view! {
                                            <button type="button" class="btn btn-ghost" aria-haspopup="dialog" aria-label=format!("Restore {name}")
                                                on:click=move |_| { to_restore.set(Some(stored.get_value())); confirm_restore.set(true); }>"Restore"</button>
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
            {move || viewing.get().map(|(rev, html)| view! {
                <section class=css::rev_view aria-label=format!("Content of {}", label_of(&rev)) data-testid="doc-revision-view">
                    <div class="row">
                        <h3>{label_of(&rev)}</h3>
                        <button type="button" class="btn btn-ghost" on:click=move |_| viewing.set(None)>"Close"</button>
                    </div>
                    {match html {
                        // Rendered on the server from the stored document, text escaped there.
                        Ok(html) => view! { <div class=css::rev_html inner_html=html></div> }.into_any(),
                        Err(e) => view! { <p class="form-error">{e}</p> }.into_any(),
                    }}
                </section>
            })}
            {is_admin.then(|| view! {
                <ConfirmDialog open=confirm_restore title="Restore this version?".to_string()
                    message=Signal::derive(move || format!("The document will be replaced by “{}” for everyone editing it. The current content stays in the history.",
                        to_restore.get().map(|r| label_of(&r)).unwrap_or_default()))
                    confirm="Restore"
                    on_confirm=Callback::new(move |_| if let Some(r) = to_restore.get_untracked() { restore.dispatch(r.id); }) />
            })}
        </aside>
    }
}

fn label_of(rev: &RevisionInfo) -> String {
    rev.name
        .clone()
        .unwrap_or_else(|| format!("Autosave {}", rev.created_at))
}

#[component]
fn NameVersionForm(doc_id: String, version: RwSignal<u32>) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = Action::new(move |n: &String| {
        let n = n.clone();
        async move { create_revision(doc_id.get_value(), n).await.map(|_| ()) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            name.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            error.set(Some("Enter a name for this version.".into()));
        } else if n.chars().count() > MAX_NAME_CHARS {
            error.set(Some(format!("Use at most {MAX_NAME_CHARS} characters.")));
        } else {
            save.dispatch(n);
        }
    };
    view! {
        <form class=css::name_version on:submit=submit novalidate>
            <div class="field">
                <label for="doc-version-name">"Name this version"</label>
                <input id="doc-version-name" autocomplete="off" prop:value=name
                    aria-invalid=move || error.get().is_some().to_string() aria-describedby="doc-version-error"
                    on:input=move |ev| { name.set(event_target_value(&ev)); error.set(None); } />
                <p id="doc-version-error" class="field-error" role="alert">{move || error.get()}</p>
            </div>
            <button type="submit" class="btn" disabled=move || save.pending().get()>"Save version"</button>
        </form>
    }
}
