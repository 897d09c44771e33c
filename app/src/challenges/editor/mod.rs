//! The code editor island. For now a plain `<textarea>`; issue 7 replaces its inside with
//! CodeMirror 6 (bundled by `editors/build.mjs`) behind the same component signature.

use super::model::Language;
use leptos::prelude::*;

/// A code editor. `on_change` gets the whole text after each edit; `on_run` fires on Ctrl+Enter.
#[component]
pub fn CodeEditor(
    /// The text the editor starts with.
    initial: String,
    /// Syntax of the text.
    #[prop(into)]
    language: Signal<Language>,
    /// Called with the full text after each change.
    on_change: Callback<String>,
    /// Called on Ctrl+Enter (Cmd+Enter on macOS).
    on_run: Callback<()>,
    /// Dark theme when true.
    #[prop(into, optional)]
    dark: Signal<bool>,
) -> impl IntoView {
    let _ = (language, dark);
    view! {
        <textarea
            class="code-editor-fallback"
            aria-label="Code editor"
            spellcheck="false"
            on:input=move |ev| on_change.run(event_target_value(&ev))
            on:keydown=move |ev| {
                if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                    ev.prevent_default();
                    on_run.run(());
                }
            }
        >
            {initial}
        </textarea>
    }
}
