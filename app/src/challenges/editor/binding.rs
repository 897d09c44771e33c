//! The typed binding of the code editor island (`editors/src/code-editor.js`): loads the bundle on
//! demand through `/editor-loader.js`, mounts it and keeps its callbacks alive while it lives.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(raw_module = "/editor-loader.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadCodeEditor)]
    fn load_code_editor() -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The bundle's module namespace.
    type CodeEditorModule;

    #[wasm_bindgen(method, js_name = mountCodeEditor, catch)]
    fn mount_code_editor(
        this: &CodeEditorModule,
        element: &web_sys::HtmlElement,
        options: &Object,
    ) -> Result<CodeEditorJs, JsValue>;

    /// A mounted editor (the bundle's `CodeEditor` class).
    type CodeEditorJs;

    #[wasm_bindgen(method, js_name = getText)]
    fn get_text(this: &CodeEditorJs) -> String;

    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &CodeEditorJs, text: &str);

    #[wasm_bindgen(method, js_name = setLanguage)]
    fn set_language(this: &CodeEditorJs, name: &str);

    #[wasm_bindgen(method, js_name = setDark)]
    fn set_dark(this: &CodeEditorJs, dark: bool);

    #[wasm_bindgen(method, js_name = lineCount)]
    fn line_count(this: &CodeEditorJs) -> u32;

    #[wasm_bindgen(method, js_name = length)]
    fn char_count(this: &CodeEditorJs) -> u32;

    #[wasm_bindgen(method)]
    fn flush(this: &CodeEditorJs);

    #[wasm_bindgen(method)]
    fn focus(this: &CodeEditorJs);

    #[wasm_bindgen(method)]
    fn destroy(this: &CodeEditorJs);
}

/// What to mount.
pub struct MountOptions {
    pub doc: String,
    /// `python` | `javascript` | `sql`.
    pub language: &'static str,
    pub dark: bool,
    /// Accessible name of the editing surface.
    pub label: String,
    /// Quiet period before `on_change` fires.
    pub change_delay_ms: u32,
}

/// A mounted editor; dropping it flushes a pending change and destroys it before its callbacks
/// are freed.
pub struct CodeEditorIsland {
    js: CodeEditorJs,
    _on_change: Closure<dyn FnMut(String)>,
    _on_run: Closure<dyn FnMut()>,
}

impl std::fmt::Debug for CodeEditorIsland {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeEditorIsland")
    }
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ())
}

impl CodeEditorIsland {
    /// Fetches the bundle (once per page load) and mounts an editor into `element`.
    pub async fn mount(
        element: &web_sys::HtmlElement,
        options: MountOptions,
        on_change: Box<dyn FnMut(String)>,
        on_run: Box<dyn FnMut()>,
    ) -> Result<CodeEditorIsland, JsValue> {
        let module: CodeEditorModule = JsFuture::from(load_code_editor()).await?.unchecked_into();
        let on_change = Closure::<dyn FnMut(String)>::new(on_change);
        let on_run = Closure::<dyn FnMut()>::new(on_run);
        let opts = Object::new();
        set(&opts, "doc", &options.doc.into())?;
        set(&opts, "language", &options.language.into())?;
        set(&opts, "dark", &options.dark.into())?;
        set(&opts, "label", &options.label.into())?;
        set(&opts, "changeDelayMs", &options.change_delay_ms.into())?;
        set(&opts, "onChange", on_change.as_ref())?;
        set(&opts, "onRun", on_run.as_ref())?;
        let js = module.mount_code_editor(element, &opts)?;
        Ok(CodeEditorIsland {
            js,
            _on_change: on_change,
            _on_run: on_run,
        })
    }

    /// The whole text.
    pub fn text(&self) -> String {
        self.js.get_text()
    }

    /// Replaces the whole text (one undoable step).
    pub fn set_text(&self, text: &str) {
        self.js.set_text(text);
    }

    /// Switches the syntax (`python` | `javascript` | `sql`).
    pub fn set_language(&self, name: &str) {
        self.js.set_language(name);
    }

    /// Switches between the light and the dark theme.
    pub fn set_dark(&self, dark: bool) {
        self.js.set_dark(dark);
    }

    /// Lines and characters, counted without copying the text across.
    pub fn stats(&self) -> (u32, u32) {
        (self.js.line_count(), self.js.char_count())
    }

    /// Delivers a pending change to `on_change` now.
    pub fn flush(&self) {
        self.js.flush();
    }

    /// Moves the keyboard focus into the text.
    pub fn focus(&self) {
        self.js.focus();
    }
}

impl Drop for CodeEditorIsland {
    fn drop(&mut self) {
        self.js.destroy();
    }
}
