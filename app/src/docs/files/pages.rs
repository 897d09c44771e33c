//! The Files page: upload (with progress, by file picker or drag and drop), list, download and,
//! for admins, delete.

use super::api::{delete_file, list_files, upload_settings};
use super::model::{format_size, AccessLevel, FileListing, FileMeta};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

stylance::import_crate_style!(pub(super) css, "src/docs/files/files.module.css");

use super::upload_panel::UploadPanel;

/// Upload, list, download and (admins) delete the tenant's files.
#[component]
pub fn FilesPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let listing = Resource::new(move || reload.get(), |_| list_files(None));
    let limits = Resource::new(|| (), |_| upload_settings());
    let on_uploaded = Callback::new(move |_: FileMeta| reload.update(|n| *n += 1));
    view! {
        <Title text="Files" />
        <div class="stack">
            <div>
                <h1 class="page-title">"Files"</h1>
                <p class="muted">
                    "Your organisation's files. Private files are seen by you and your organisation's admins only."
                </p>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let max_bytes = limits.await.ok().map(|l| l.max_bytes);
                    view! { <UploadPanel max_bytes on_uploaded /> }
                })}
            </Suspense>
            <FileList listing reload />
        </div>
    }
    .into_any()
}

/// The files the caller may see: the first page, then whatever "Load more" appended.
#[component]
fn FileList(
    listing: Resource<Result<FileListing, AppError>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let more = RwSignal::new(Vec::<FileMeta>::new());
    let next = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let load_more = Action::new(move |cursor: &String| {
        let cursor = Some(cursor.clone());
        async move { list_files(cursor).await }
    });
    let delete = Action::new(move |(id, name): &(String, String)| {
        let (id, name) = (id.clone(), name.clone());
        async move { delete_file(id).await.map(|()| name) }
    });
    Effect::new(move |_| {
        if let Some(Ok(listing)) = listing.get() {
            more.set(Vec::new());
            next.set(listing.page.next_cursor);
        }
    });
    Effect::new(move |_| match load_more.value().get() {
        Some(Ok(listing)) => {
            more.update(|m| m.extend(listing.page.documents));
            next.set(listing.page.next_cursor);
        }
        Some(Err(e)) => problem.set(Some(e.message)),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(name)) => {
            problem.set(None);
            crate::ui::toast::push(
                crate::ui::toast::ToastKind::Success,
                format!("Deleted {name}."),
            );
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => problem.set(Some(e.message)),
        None => {}
    });
    view! {
        <section class="stack" aria-labelledby="files-heading">
            <h2 id="files-heading">"Files you can see"</h2>
            {move || problem.get().map(|message| view! {
                <p class="form-error" role="alert" data-testid="files-error">{message}</p>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading files…"</p> }>
                {move || listing.get().map(|res| match res {
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                    Ok(l) if l.page.documents.is_empty() => view! {
                        <div class="empty-state" data-testid="files-empty">
                            <p>"No files yet. Upload one above and it will be listed here."</p>
                        </div>
                    }.into_any(),
                    Ok(l) => view! {
                        <FileTable files=l.page.documents more can_delete=l.can_delete delete />
                    }.into_any(),
                })}
            </Transition>
            <Show when=move || next.with(Option::is_some)>
                <p>
                    <button type="button" class="btn" disabled=move || load_more.pending().get()
                        on:click=move |_| { if let Some(c) = next.get_untracked() { load_more.dispatch(c); } }>
                        {move || if load_more.pending().get() { "Loading…" } else { "Load more" }}
                    </button>
                </p>
            </Show>
        </section>
    }
    .into_any()
}

type DeleteAction = Action<(String, String), Result<String, AppError>>;

#[component]
fn FileTable(
    files: Vec<FileMeta>,
    more: RwSignal<Vec<FileMeta>>,
    can_delete: bool,
    delete: DeleteAction,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="files-table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Size"</th>
                        <th scope="col">"Uploaded by"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Access"</th>
                        {can_delete.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {files.into_iter().map(|f| view! { <FileRow f can_delete delete /> }).collect_view()}
                    <For each=move || more.get() key=|f| f.id.clone() let:f>
                        <FileRow f can_delete delete />
                    </For>
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `2026-01-20T09:30:00.000Z` → `2026-01-20 09:30 UTC` (the same on server and browser).
fn short_date(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

#[component]
fn FileRow(f: FileMeta, can_delete: bool, delete: DeleteAction) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = StoredValue::new(f.id.clone());
    let name = StoredValue::new(f.filename.clone());
    let badge = match f.access_level {
        AccessLevel::Tenant => format!("badge {}", css::badge_tenant),
        AccessLevel::Private => format!("badge {}", css::badge_private),
    };
    let actions = can_delete.then(|| {
        view! {
            <td class=css::actions>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="btn btn-danger"
                            aria-label=format!("Delete {}", name.get_value())
                            on:click=move |_| confirming.set(true)>"Delete"</button>
                    }
                >
                    <span class=css::confirm role="group" aria-label=format!("Confirm deleting {}", name.get_value())>
                        <span>"Delete for everyone?"</span>
                        <button type="button" class="btn btn-danger"
                            disabled=move || delete.pending().get()
                            on:click=move |_| { delete.dispatch((id.get_value(), name.get_value())); }>
                            "Yes, delete"
                        </button>
                        <button type="button" class="btn btn-ghost" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </span>
                </Show>
            </td>
        }
    });
    view! {
        <tr data-testid="file-row">
            <td class=css::name>
                <a href=f.download_url() download="" title=format!("Download {} ({})", f.filename, f.content_type)>
                    {f.filename.clone()}
                </a>
            </td>
            <td class=css::nowrap>{format_size(f.size)}</td>
            <td title=f.uploaded_by.clone()>{f.uploader_name.clone()}</td>
            <td><time datetime=f.upload_date.clone()>{short_date(&f.upload_date)}</time></td>
            <td><span class=badge data-testid="access-level">{f.access_level.label()}</span></td>
            {actions}
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_to_the_minute_in_utc() {
        assert_eq!(
            short_date("2026-01-20T09:30:12.345Z"),
            "2026-01-20 09:30 UTC"
        );
        assert_eq!(short_date("garbage"), "garbage");
    }
}
