//! The code editor island: CodeMirror 6 (`editors/src/code-editor.js`, bundled by
//! `editors/build.mjs`) mounted after hydration behind a Leptos component. The server renders the
//! initial text in a `<pre>` of the same size, so the page reads well before the bundle arrives.

#[cfg(feature = "hydrate")]
mod binding;

use super::model::Language;
use leptos::prelude::*;

stylance::import_crate_style!(pub(crate) css, "src/challenges/editor/editor.module.css");

/// Lets a page read or replace the editor's text (e.g. "reset to starter") and focus it. Create it
/// with [`CodeEditorHandle::new`] in the page and pass it as the editor's `handle` prop.
#[derive(Clone, Copy)]
pub struct CodeEditorHandle {
    #[cfg(feature = "hydrate")]
    inner: StoredValue<Option<binding::CodeEditorIsland>, LocalStorage>,
    ready: RwSignal<bool>,
    failed: RwSignal<bool>,
}

impl CodeEditorHandle {
    /// An empty handle owned by the current component.
    pub fn new() -> CodeEditorHandle {
        CodeEditorHandle {
            #[cfg(feature = "hydrate")]
            inner: StoredValue::new_local(None),
            ready: RwSignal::new(false),
            failed: RwSignal::new(false),
        }
    }

    /// True once CodeMirror is mounted (reactive).
    pub fn ready(&self) -> bool {
        self.ready.get()
    }

    /// True when the bundle could not load; the editor is then a plain textarea (reactive).
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// The current text, or `None` before the editor is mounted.
    pub fn text(&self) -> Option<String> {
        #[cfg(feature = "hydrate")]
        {
            self.inner
                .try_with_value(|e| e.as_ref().map(|e| e.text()))
                .flatten()
        }
        #[cfg(not(feature = "hydrate"))]
        None
    }

    /// Replaces the whole text as one undoable step; `on_change` follows. False before mounting.
    pub fn set_text(&self, text: &str) -> bool {
        #[cfg(feature = "hydrate")]
        {
            self.inner
                .try_with_value(|e| e.as_ref().map(|e| e.set_text(text)).is_some())
                .unwrap_or(false)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = text;
            false
        }
    }

    /// Lines and characters of the text, counted in the browser without copying it.
    pub fn stats(&self) -> Option<(u32, u32)> {
        #[cfg(feature = "hydrate")]
        {
            self.inner
                .try_with_value(|e| e.as_ref().map(|e| e.stats()))
                .flatten()
        }
        #[cfg(not(feature = "hydrate"))]
        None
    }

    /// Delivers a change still waiting for the quiet period to `on_change` now.
    pub fn flush(&self) {
        #[cfg(feature = "hydrate")]
        self.inner.with_value(|e| {
            if let Some(e) = e {
                e.flush();
            }
        });
    }

    /// Moves the keyboard focus into the editor.
    pub fn focus(&self) {
        #[cfg(feature = "hydrate")]
        self.inner.with_value(|e| {
            if let Some(e) = e {
                e.focus();
            }
        });
    }
}

impl Default for CodeEditorHandle {
    fn default() -> Self {
        CodeEditorHandle::new()
    }
}

/// Whether the page shows the dark theme: the user's explicit choice (`<html data-theme>`, set
/// by `public/theme-init.js`) or else the system's `prefers-color-scheme`. Always false on the
/// server; call it after hydration (e.g. in an effect) to start the editor in the page's theme.
pub fn page_prefers_dark() -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let Some(window) = web_sys::window() else {
            return false;
        };
        let explicit = window
            .document()
            .and_then(|d| d.document_element())
            .and_then(|root| root.get_attribute("data-theme"));
        match explicit.as_deref() {
            Some("dark") => return true,
            Some("light") => return false,
            _ => {}
        }
        // `matchMedia` through Reflect: the web-sys `MediaQueryList` feature is not enabled.
        let match_media = js_sys::Reflect::get(&window, &JsValue::from_str("matchMedia"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match_media
            .and_then(|f| {
                f.call1(&window, &JsValue::from_str("(prefers-color-scheme: dark)"))
                    .ok()
            })
            .and_then(|list| js_sys::Reflect::get(&list, &JsValue::from_str("matches")).ok())
            .and_then(|m| m.as_bool())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// A code editor with syntax highlighting, line numbers, auto-indent, bracket matching, search
/// (Ctrl+F), undo/redo and a run shortcut. `on_change` gets the whole text once edits pause
/// (`change_delay_ms`, default 150 ms) and always before `on_run`, on blur and on unmount.
#[component]
pub fn CodeEditor(
    /// The text the editor starts with.
    initial: String,
    /// Syntax of the text.
    #[prop(into)]
    language: Signal<Language>,
    /// Called with the full text after changes (debounced, see above).
    on_change: Callback<String>,
    /// Called on Ctrl+Enter (Cmd+Enter on macOS).
    on_run: Callback<()>,
    /// Dark theme when true.
    #[prop(into, optional)]
    dark: Signal<bool>,
    /// Read or replace the text from the page.
    #[prop(optional)]
    handle: Option<CodeEditorHandle>,
    /// Accessible name of the editing surface (default "Code editor").
    #[prop(into, optional)]
    label: Option<String>,
    /// Quiet period in milliseconds before `on_change` fires (default 150).
    #[prop(optional)]
    change_delay_ms: Option<u32>,
) -> impl IntoView {
    let handle = handle.unwrap_or_default();
    let label = label.unwrap_or_else(|| "Code editor".to_string());
    let host = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    mount::start(
        host,
        handle,
        mount::Props {
            initial: initial.clone(),
            label: label.clone(),
            language,
            dark,
            on_change,
            on_run,
            change_delay_ms: change_delay_ms.unwrap_or(150),
        },
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (change_delay_ms, host, dark);
    let ready = handle.ready;
    let failed = handle.failed;
    let fallback_label = label;
    let fallback_text = initial.clone();
    view! {
        <div class=css::editor>
        <div
            class=css::frame
            data-testid="code-editor"
            data-ready=move || ready.get().to_string()
            data-language=move || language.get().as_str()
            aria-busy=move || (!ready.get() && !failed.get()).to_string()
        >
            <pre class=css::placeholder hidden=move || ready.get() || failed.get()>
                {initial}
            </pre>
            <Show when=move || failed.get()>
                <textarea
                    class=css::textarea
                    aria-label=fallback_label.clone()
                    spellcheck="false"
                    on:input=move |ev| on_change.run(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            on_run.run(());
                        }
                    }
                >
                    {fallback_text.clone()}
                </textarea>
            </Show>
            <div node_ref=host class=css::host></div>
        </div>
        <p class=css::hint>
            "Ctrl+Enter (⌘+Enter) runs · Ctrl+F searches · Esc then Tab leaves the editor"
        </p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod mount;
