//! The share dialog: who has access and with which permission; add a user of the same
//! tenant, change a permission, or remove access.

use super::api::{get_doc, share_candidates, share_doc};
use super::components::{css, modal};
use super::model::Permission;
use leptos::prelude::*;

const PERMISSIONS: [(Permission, &str); 3] = [
    (Permission::View, "Can view"),
    (Permission::Edit, "Can edit"),
    (Permission::Admin, "Admin"),
];

/// Share `doc_id` (a modal dialog while `open`).
#[component]
pub fn ShareDialog(open: RwSignal<bool>, doc_id: String, title: RwSignal<String>) -> impl IntoView {
    let dialog = modal(open);
    let doc_id = StoredValue::new(doc_id);
    let version = RwSignal::new(0u32);
    // Loaded only while open, so the list page does not ask once per row.
    let detail = LocalResource::new(move || {
        let (open, _) = (open.get(), version.get());
        async move {
            if open {
                get_doc(doc_id.get_value()).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let candidates = LocalResource::new(move || {
        let (open, _) = (open.get(), version.get());
        async move {
            if open {
                share_candidates(doc_id.get_value()).await
            } else {
                Ok(Vec::new())
            }
        }
    });
    let share = Action::new(move |(user, perm): &(String, String)| {
        let (user, perm) = (user.clone(), perm.clone());
        async move { share_doc(doc_id.get_value(), user, perm).await.map(|_| ()) }
    });
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match share.value().get() {
        Some(Ok(())) => {
            error.set(None);
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let pick_user = RwSignal::new(String::new());
    let pick_perm = RwSignal::new("edit".to_string());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let user = pick_user.get_untracked();
        if user.is_empty() {
            error.set(Some("Choose a person to share with.".into()));
            return;
        }
        share.dispatch((user, pick_perm.get_untracked()));
    };
    view! {
        <dialog node_ref=dialog class=css::dialog aria-labelledby=format!("share-title-{}", doc_id.get_value())
            on:close=move |_| open.set(false) data-testid="doc-share-dialog">
            <h2 id=format!("share-title-{}", doc_id.get_value())>"Share “" {move || title.get()} "”"</h2>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <h3>"People with access"</h3>
            {move || open.get().then(|| detail.get()).flatten().map(|res| match res {
                    Ok(Some(d)) if d.collaborators.is_empty() => view! { <p class="muted">"Only you and your organisation's admins."</p> }.into_any(),
                    Ok(Some(d)) => view! {
                        <ul class=css::people>
                            {d.collaborators.into_iter().map(|c| {
                                let user = StoredValue::new(c.username.clone());
                                let label = format!("Permission of {}", c.display_name);
                                view! {
                                    <li>
                                        <span>{c.display_name.clone()} " "<span class="muted">"(" {c.username.clone()} ")"</span></span>
                                        <select aria-label=label on:change=move |ev| { share.dispatch((user.get_value(), event_target_value(&ev))); }>
                                            {PERMISSIONS.iter().map(|(p, text)| view! {
                                                <option value=p.as_str() selected=*p == c.permission>{*text}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="button" class="btn btn-ghost" aria-label=format!("Remove {}", c.display_name)
                                            on:click=move |_| { share.dispatch((user.get_value(), "none".to_string())); }>"Remove"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <p class="form-error">{e.message}</p> }.into_any(),
                })}
            <form class=css::share_form on:submit=add>
                <div class="field">
                    <label for=format!("share-user-{}", doc_id.get_value())>"Person"</label>
                    <select id=format!("share-user-{}", doc_id.get_value()) on:change=move |ev| pick_user.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || open.get().then(|| candidates.get()).flatten().map(|res| res.unwrap_or_default().into_iter().map(|u| view! {
                            <option value=u.username.clone()>{format!("{} ({})", u.display_name, u.username)}</option>
                        }).collect_view())}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("share-perm-{}", doc_id.get_value())>"Permission"</label>
                    <select id=format!("share-perm-{}", doc_id.get_value()) on:change=move |ev| pick_perm.set(event_target_value(&ev))>
                        {PERMISSIONS.iter().map(|(p, text)| view! {
                            <option value=p.as_str() selected=*p == Permission::Edit>{*text}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || share.pending().get()>"Share"</button>
            </form>
            <div class="row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>"Done"</button>
            </div>
        </dialog>
    }
}
