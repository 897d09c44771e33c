//! The editor frame: the island's host, presence avatars and connection badge.

use super::components::css;
use super::components_state::{
    index_of_color, initials, EditorHandle, EditorStatus, FormatState, Peer,
};
use leptos::prelude::*;

/// Signals the island's callbacks feed.
#[derive(Clone, Copy)]
pub struct IslandSignals {
    pub format: RwSignal<FormatState>,
    pub peers: RwSignal<Vec<Peer>>,
    pub status: RwSignal<EditorStatus>,
    /// The editing surface is mounted.
    pub ready: RwSignal<bool>,
}

impl IslandSignals {
    /// Fresh signals: connecting, nobody present, nothing formatted.
    pub fn new() -> IslandSignals {
        IslandSignals {
            format: RwSignal::new(FormatState::default()),
            peers: RwSignal::new(Vec::new()),
            status: RwSignal::new(EditorStatus::Connecting),
            ready: RwSignal::new(false),
        }
    }
}

impl Default for IslandSignals {
    fn default() -> Self {
        IslandSignals::new()
    }
}

/// Who edits: the caller's name and colour, and whether they may only read.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorIdentity {
    pub doc_id: String,
    pub user_id: String,
    pub name: String,
    pub color: String,
    pub read_only: bool,
    pub title: String,
}

/// The host the island mounts into once hydrated, with a placeholder until then; the editor is
/// destroyed when this unmounts.
#[component]
pub fn EditorSurface(
    who: EditorIdentity,
    handle: EditorHandle,
    ui: IslandSignals,
) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let started = StoredValue::new(false);
        let who = who.clone();
        // Destroy the editor (socket, awareness, IndexedDB handle) before the signals go.
        let inner = handle.inner;
        on_cleanup(move || {
            inner.try_update_value(|e| *e = None);
        });
        Effect::new(move |_| {
            if let Some(el) = host.get() {
                if !started.get_value() {
                    started.set_value(true);
                    start(handle, el, who.clone(), ui);
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (handle, who);
    view! {
        <div class=css::surface data-testid="doc-surface" aria-busy=move || (!ui.ready.get()).to_string()>
            <Show when=move || !ui.ready.get()>
                <p class="muted" data-testid="doc-editor-loading">
                    {move || if ui.status.get() == EditorStatus::Failed { "The editor could not start. Reload the page to try again." } else { "Loading the editor…" }}
                </p>
            </Show>
            <div node_ref=host class=css::host></div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn start(
    handle: EditorHandle,
    el: web_sys::HtmlDivElement,
    who: EditorIdentity,
    ui: IslandSignals,
) {
    use super::editor::{server_url, DocEditor, EditorCallbacks, EditorOptions};
    let Some(server_url) = server_url() else {
        ui.status.set(EditorStatus::Failed);
        return;
    };
    let options = EditorOptions {
        server_url,
        storage_name: format!("atrium-doc:{}:{}", who.user_id, who.doc_id),
        room: who.doc_id,
        read_only: who.read_only,
        user_name: who.name,
        user_color: who.color,
        label: format!("Content of {}", who.title),
    };
    let callbacks = EditorCallbacks {
        on_status: Box::new(move |s: String| {
            let _ = ui.status.try_set(EditorStatus::parse(&s));
        }),
        on_presence: Box::new(move |json: String| {
            if let Ok(peers) = serde_json::from_str::<Vec<Peer>>(&json) {
                let _ = ui.peers.try_set(peers);
            }
        }),
        on_format: Box::new(move |json: String| {
            if let Ok(format) = serde_json::from_str::<FormatState>(&json) {
                let _ = ui.format.try_set(format);
            }
        }),
    };
    leptos::task::spawn_local(async move {
        let host: &web_sys::HtmlElement = &el;
        match DocEditor::mount(host, options, callbacks).await {
            // A page left before the bundle arrived gets the editor back here: dropped, destroyed.
            Ok(editor) => {
                if handle.inner.try_set_value(Some(editor)).is_none() {
                    let _ = ui.ready.try_set(true);
                }
            }
            Err(err) => {
                leptos::logging::warn!("docs editor failed to start: {err:?}");
                let _ = ui.status.try_set(EditorStatus::Failed);
            }
        }
    });
}

/// Everyone in the document (this tab first), as coloured initials with their names.
#[component]
pub fn PresenceList(ui: IslandSignals) -> impl IntoView {
    let colors = [
        css::c0,
        css::c1,
        css::c2,
        css::c3,
        css::c4,
        css::c5,
        css::c6,
        css::c7,
    ];
    view! {
        <ul class=css::presence aria-label="People in this document" data-testid="doc-presence">
            <For each=move || ui.peers.get() key=|p| p.client_id let:p>
                {
                    let name = if p.is_self { format!("{} (you)", p.name) } else { p.name.clone() };
                    let class = format!("{} {}", css::avatar, colors[index_of_color(&p.color)]);
                    let title = name.clone();
                    view! {
                        <li class=class title=title data-name=p.name.clone()>
                            <span aria-hidden="true">{initials(&p.name)}</span>
                            <span class="visually-hidden">{name}</span>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// The connection badge (a live region, so changes are announced).
#[component]
pub fn StatusBadge(ui: IslandSignals) -> impl IntoView {
    let status = move || ui.status.get();
    view! {
        <span role="status" data-testid="doc-status"
            data-status=move || status().as_str()
            class=move || match status() {
                EditorStatus::Connected => format!("badge {}", css::status_ok),
                EditorStatus::Connecting => "badge".to_string(),
                _ => format!("badge {}", css::status_off),
            }>
            {move || status().label()}
        </span>
    }
}
