//! Pages of collaborative documents: the list and the editor.

use super::api::{get_doc, list_docs};
use super::components::{css, CreateDocForm, DocRow};
use super::components_editor::{
    EditorIdentity, EditorSurface, IslandSignals, PresenceList, StatusBadge,
};
use super::components_revisions::RevisionsPanel;
use super::components_state::{color_index, EditorHandle, USER_COLORS};
use super::components_toolbar::Toolbar;
use super::model::{DocDetail, DocSummary, Permission};
use crate::auth::model::SessionInfo;
use crate::auth::SessionResource;
use crate::error::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Documents owned by or shared with the caller: create, rename, share, delete.
#[component]
pub fn DocsListPage() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let docs = Resource::new(move || changed.get(), |_| list_docs());
    view! {
        <Title text="Documents" />
        <h1 class="page-title">"Documents"</h1>
        <p class="muted">"Rich-text documents your organisation writes together, live."</p>
        <CreateDocForm />
        <Transition fallback=|| view! { <p class="muted">"Loading documents…"</p> }>
            {move || Suspend::new(async move {
                match docs.await {
                    Ok(list) => {
                        let (owned, shared): (Vec<_>, Vec<_>) = list.into_iter().partition(|d| d.owned);
                        view! {
                            <DocSection heading="Owned by me" id="docs-owned" docs=owned changed
                                empty="You have no documents yet. Create one above." />
                            <DocSection heading="Shared with me" id="docs-shared" docs=shared changed
                                empty="Nothing is shared with you yet." />
                        }.into_any()
                    }
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DocSection(
    heading: &'static str,
    id: &'static str,
    docs: Vec<DocSummary>,
    changed: RwSignal<u32>,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <section class=css::section aria-labelledby=id data-testid=id>
            <h2 id=id>{heading}</h2>
            {if docs.is_empty() {
                view! { <p class="empty-state">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class=css::list>
                        {docs.into_iter().map(|doc| view! { <DocRow doc changed /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// One document in the collaborative editor.
#[component]
pub fn DocEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let session = expect_context::<SessionResource>().0;
    let doc = Resource::new(id, get_doc);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the document…"</p> }>
            {move || Suspend::new(async move {
                match (session.await, doc.await) {
                    (Ok(Some(me)), Ok(doc)) => view! { <DocEditorView doc me /> }.into_any(),
                    (_, Err(e)) if e.code == ErrorCode::NotFound => view! {
                        <Title text="Document not found" />
                        <h1 class="page-title">"Document not found"</h1>
                        <p class="muted">"It does not exist, or it is not shared with you."</p>
                        <A href="/docs" attr:class="btn btn-primary">"All documents"</A>
                    }.into_any(),
                    (_, Err(e)) => view! {
                        <Title text="Document" />
                        <h1 class="page-title">"Document"</h1>
                        <p class="form-error" role="alert">{e.message}</p>
                    }.into_any(),
                    (_, Ok(_)) => view! { <p class="form-error" role="alert">"Sign in to open this document."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocEditorView(doc: DocDetail, me: SessionInfo) -> impl IntoView {
    let summary = doc.summary;
    let permission = summary.permission;
    let who = EditorIdentity {
        doc_id: summary.id.clone(),
        color: USER_COLORS[color_index(&me.user_id.0)].to_string(),
        user_id: me.user_id.0,
        name: me.display_name,
        read_only: !permission.can_edit(),
        title: summary.title.clone(),
    };
    let handle = EditorHandle::new();
    let ui = IslandSignals::new();
    let export = |format: &str| format!("/api/v1/docs/{}/export?format={format}", summary.id);
    view! {
        <Title text=summary.title.clone() />
        <div class=css::editor_page>
            <div class=css::editor_main>
                <header class=css::doc_header>
                    <A href="/docs" attr:class=css::back>"All documents"</A>
                    <h1 class="page-title" data-testid="doc-title">{summary.title.clone()}</h1>
                    <div class=css::doc_meta>
                        <StatusBadge ui />
                        <PresenceList ui />
                        <nav aria-label="Export" class=css::exports>
                            <a href=export("md") download="">"Export Markdown"</a>
                            <a href=export("html") download="">"Export HTML"</a>
                        </nav>
                    </div>
                </header>
                {(!permission.can_edit()).then(|| view! {
                    <p class=css::readonly role="note" data-testid="doc-readonly">
                        "You can view this document but not change it. Ask its owner for edit access."
                    </p>
                })}
                {permission.can_edit().then(|| view! { <Toolbar handle ui /> })}
                <EditorSurface who handle ui />
            </div>
            <RevisionsPanel doc_id=summary.id.clone() can_edit=permission.can_edit() is_admin=permission == Permission::Admin />
        </div>
    }
    .into_any()
}
