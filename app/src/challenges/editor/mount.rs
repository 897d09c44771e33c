//! Mounting the island after hydration and keeping it in step with the component's signals.

use super::binding::{CodeEditorIsland, MountOptions};
use super::CodeEditorHandle;
use crate::challenges::model::Language;
use leptos::prelude::*;

/// What the component hands over to the island.
pub(super) struct Props {
    pub initial: String,
    pub label: String,
    pub language: Signal<Language>,
    pub dark: Signal<bool>,
    pub on_change: Callback<String>,
    pub on_run: Callback<()>,
    pub change_delay_ms: u32,
}

/// Mounts the editor once `host` exists, follows `language` and `dark`, and destroys the editor
/// when the component goes.
pub(super) fn start(host: NodeRef<leptos::html::Div>, handle: CodeEditorHandle, props: Props) {
    let inner = handle.inner;
    on_cleanup(move || {
        inner.try_update_value(|e| *e = None);
    });
    let language = props.language;
    let dark = props.dark;
    Effect::new(move |_| {
        let name = language.get().as_str();
        inner.try_with_value(|e| {
            if let Some(e) = e {
                e.set_language(name);
            }
        });
    });
    Effect::new(move |_| {
        let dark = dark.get();
        inner.try_with_value(|e| {
            if let Some(e) = e {
                e.set_dark(dark);
            }
        });
    });
    let props = StoredValue::new_local(Some(props));
    Effect::new(move |_| {
        let Some(el) = host.get() else { return };
        let Some(props) = props.try_update_value(Option::take).flatten() else {
            return;
        };
        leptos::task::spawn_local(mount(el, handle, props));
    });
}

async fn mount(el: web_sys::HtmlDivElement, handle: CodeEditorHandle, props: Props) {
    let options = MountOptions {
        doc: props.initial,
        language: props.language.get_untracked().as_str(),
        dark: props.dark.get_untracked(),
        label: props.label,
        change_delay_ms: props.change_delay_ms,
    };
    let on_change = props.on_change;
    let on_run = props.on_run;
    let host: &web_sys::HtmlElement = &el;
    let mounted = CodeEditorIsland::mount(
        host,
        options,
        Box::new(move |text: String| {
            let _ = on_change.try_run(text);
        }),
        Box::new(move || {
            let _ = on_run.try_run(());
        }),
    )
    .await;
    match mounted {
        Ok(editor) => {
            // The signals may have moved while the bundle loaded.
            if let Some(lang) = props.language.try_get_untracked() {
                editor.set_language(lang.as_str());
            }
            if let Some(dark) = props.dark.try_get_untracked() {
                editor.set_dark(dark);
            }
            // A component gone before the bundle arrived gets the editor back here: dropped.
            if handle.inner.try_set_value(Some(editor)).is_none() {
                let _ = handle.ready.try_set(true);
            }
        }
        Err(err) => {
            leptos::logging::warn!("code editor failed to start: {err:?}");
            let _ = handle.failed.try_set(true);
        }
    }
}
