//! The formatting toolbar: buttons whose pressed state follows the selection, a link form,
//! undo and redo. Commands go to the editor island through its handle.

use super::components::css;
use super::components_editor::IslandSignals;
use super::components_state::{CommandArg, EditorHandle, FormatState};
use leptos::prelude::*;

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
