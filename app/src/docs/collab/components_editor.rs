//! The editor frame: the island's host, its toolbar, presence avatars and connection badge.

use super::components::css;
use super::components_state::{
    index_of_color, initials, CommandArg, EditorHandle, EditorStatus, FormatState, Peer,
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

struct Tool {
    name: &'static str,
    text: &'static str,
    label: &'static str,
    level: u8,
    keys: Option<&'static str>,
    pressed: fn(&FormatState) -> bool,
}

const TOOLS: [Tool; 10] = [
    Tool {
        name: "bold",
        text: "Bold",
        label: "Bold",
        level: 0,
        keys: Some("Control+B"),
        pressed: |f| f.bold,
    },
    Tool {
        name: "italic",
        text: "Italic",
        label: "Italic",
        level: 0,
        keys: Some("Control+I"),
        pressed: |f| f.italic,
    },
    Tool {
        name: "code",
        text: "Code",
        label: "Code",
        level: 0,
        keys: None,
        pressed: |f| f.code,
    },
    Tool {
        name: "heading",
        text: "H1",
        label: "Heading 1",
        level: 1,
        keys: None,
        pressed: |f| f.heading == 1,
    },
    Tool {
        name: "heading",
        text: "H2",
        label: "Heading 2",
        level: 2,
        keys: None,
        pressed: |f| f.heading == 2,
    },
    Tool {
        name: "heading",
        text: "H3",
        label: "Heading 3",
        level: 3,
        keys: None,
        pressed: |f| f.heading == 3,
    },
    Tool {
        name: "paragraph",
        text: "Paragraph",
        label: "Paragraph",
        level: 0,
        keys: None,
        pressed: |f| f.paragraph,
    },
    Tool {
        name: "bullet_list",
        text: "Bulleted list",
        label: "Bulleted list",
        level: 0,
        keys: None,
        pressed: |f| f.bullet,
    },
    Tool {
        name: "ordered_list",
        text: "Numbered list",
        label: "Numbered list",
        level: 0,
        keys: None,
        pressed: |f| f.ordered,
    },
    Tool {
        name: "code_block",
        text: "Code block",
        label: "Code block",
        level: 0,
        keys: None,
        pressed: |f| f.code_block,
    },
];

/// Formatting buttons whose pressed state follows the selection, plus link, undo and redo.
#[component]
pub fn Toolbar(handle: EditorHandle, ui: IslandSignals) -> impl IntoView {
    let link_open = RwSignal::new(false);
    let enabled = move || ui.ready.get();
    let buttons = TOOLS
        .iter()
        .map(|t| {
            let (name, level, pressed) = (t.name, t.level, t.pressed);
            view! {
                <button type="button" class=css::tool aria-label=t.label title=t.label aria-keyshortcuts=t.keys
                    aria-pressed=move || pressed(&ui.format.get()).to_string()
                    disabled=move || !enabled()
                    on:click=move |_| { handle.command(name, (level > 0).then_some(CommandArg::Level(level))); }>
                    {t.text}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class=css::toolbar role="toolbar" aria-label="Formatting" data-testid="doc-toolbar">
            {buttons}
            <button type="button" class=css::tool aria-pressed=move || ui.format.with(|f| f.link.is_some()).to_string()
                aria-expanded=move || link_open.get().to_string() disabled=move || !enabled()
                on:click=move |_| link_open.update(|o| *o = !*o)>"Link"</button>
            <button type="button" class=css::tool aria-keyshortcuts="Control+Z" disabled=move || !enabled() || !ui.format.with(|f| f.can_undo)
                on:click=move |_| { handle.command("undo", None); }>"Undo"</button>
            <button type="button" class=css::tool aria-keyshortcuts="Control+Y" disabled=move || !enabled() || !ui.format.with(|f| f.can_redo)
                on:click=move |_| { handle.command("redo", None); }>"Redo"</button>
        </div>
        <Show when=move || link_open.get()>
            <LinkForm handle ui open=link_open />
        </Show>
    }
}

#[component]
fn LinkForm(handle: EditorHandle, ui: IslandSignals, open: RwSignal<bool>) -> impl IntoView {
    let href = RwSignal::new(
        ui.format
            .with_untracked(|f| f.link.clone().unwrap_or_default()),
    );
    let error = RwSignal::new(None::<&'static str>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if handle.command("link", Some(CommandArg::Href(href.get_untracked()))) {
            open.set(false);
        } else {
            error.set(Some(
                "Use an address starting with https://, http://, mailto: or /.",
            ));
        }
    };
    view! {
        <form class=css::link_form on:submit=apply data-testid="doc-link-form">
            <div class="field">
                <label for="doc-link-href">"Link address"</label>
                <input id="doc-link-href" type="text" inputmode="url" autocomplete="off" prop:value=href
                    aria-invalid=move || error.get().is_some().to_string() aria-describedby="doc-link-error"
                    on:input=move |ev| { href.set(event_target_value(&ev)); error.set(None); } />
                <p id="doc-link-error" class="field-error" role="alert">{move || error.get()}</p>
            </div>
            <div class="row">
                <button type="submit" class="btn btn-primary">"Apply link"</button>
                <button type="button" class="btn" on:click=move |_| { handle.command("link", Some(CommandArg::Href(String::new()))); open.set(false); }>"Remove link"</button>
                <button type="button" class="btn btn-ghost" on:click=move |_| { open.set(false); handle.focus(); }>"Cancel"</button>
            </div>
        </form>
    }
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
            data-status=move || format!("{:?}", status()).to_lowercase()
            class=move || match status() {
                EditorStatus::Connected => format!("badge {}", css::status_ok),
                EditorStatus::Connecting => "badge".to_string(),
                _ => format!("badge {}", css::status_off),
            }>
            {move || status().label()}
        </span>
    }
}
