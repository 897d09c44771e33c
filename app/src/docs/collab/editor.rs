//! The typed binding of the rich-text editor island (`editors/src/docs-editor.js`): loads the
//! bundle on demand through `/editor-loader.js`, mounts it and forwards its callbacks.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(raw_module = "/editor-loader.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadDocsEditor)]
    fn load_docs_editor() -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The bundle's module namespace.
    type DocsEditorModule;

    #[wasm_bindgen(method, js_name = mountDocEditor, catch)]
    fn mount_doc_editor(
        this: &DocsEditorModule,
        element: &web_sys::HtmlElement,
        options: &Object,
    ) -> Result<DocEditorJs, JsValue>;

    /// A mounted editor (the bundle's `DocEditor` class).
    type DocEditorJs;

    #[wasm_bindgen(method)]
    fn command(this: &DocEditorJs, name: &str, arg: &JsValue) -> bool;

    #[wasm_bindgen(method)]
    fn focus(this: &DocEditorJs);

    #[wasm_bindgen(method)]
    fn destroy(this: &DocEditorJs);
}

/// What the editor reports back; each receives the bundle's string argument.
pub struct EditorCallbacks {
    /// `connecting` | `connected` | `disconnected` | `offline-saved`.
    pub on_status: Box<dyn FnMut(String)>,
    /// JSON `[{clientId,name,color,self}]`.
    pub on_presence: Box<dyn FnMut(String)>,
    /// JSON of the active marks and blocks (see `FormatState`).
    pub on_format: Box<dyn FnMut(String)>,
}

/// Where and as whom to edit.
pub struct EditorOptions {
    /// `ws(s)://host/ws/docs`; the document id is appended by the provider.
    pub server_url: String,
    pub room: String,
    pub read_only: bool,
    pub user_name: String,
    pub user_color: String,
    /// IndexedDB database of offline edits (per user and document).
    pub storage_name: String,
    /// Accessible name of the editing surface.
    pub label: String,
}

/// A mounted editor; dropping it destroys the editor before its callbacks are freed.
pub struct DocEditor {
    js: DocEditorJs,
    _callbacks: [Closure<dyn FnMut(String)>; 3],
}

impl std::fmt::Debug for DocEditor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocEditor")
    }
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ())
}

impl DocEditor {
    /// Fetches the bundle (once per page load) and mounts an editor into `element`.
    pub async fn mount(
        element: &web_sys::HtmlElement,
        options: EditorOptions,
        callbacks: EditorCallbacks,
    ) -> Result<DocEditor, JsValue> {
        let module: DocsEditorModule = JsFuture::from(load_docs_editor()).await?.unchecked_into();
        let on_status = Closure::<dyn FnMut(String)>::new(callbacks.on_status);
        let on_presence = Closure::<dyn FnMut(String)>::new(callbacks.on_presence);
        let on_format = Closure::<dyn FnMut(String)>::new(callbacks.on_format);

        let user = Object::new();
        set(&user, "name", &options.user_name.into())?;
        set(&user, "color", &options.user_color.into())?;
        let opts = Object::new();
        set(&opts, "serverUrl", &options.server_url.into())?;
        set(&opts, "room", &options.room.into())?;
        set(&opts, "readOnly", &options.read_only.into())?;
        set(&opts, "user", &user)?;
        set(&opts, "storageName", &options.storage_name.into())?;
        set(&opts, "label", &options.label.into())?;
        set(&opts, "onStatus", on_status.as_ref())?;
        set(&opts, "onPresence", on_presence.as_ref())?;
        set(&opts, "onFormat", on_format.as_ref())?;

        let js = module.mount_doc_editor(element, &opts)?;
        Ok(DocEditor {
            js,
            _callbacks: [on_status, on_presence, on_format],
        })
    }

    /// Runs a toolbar command (`bold`, `heading` with a level, `link` with an href, …).
    pub fn command(&self, name: &str, arg: Option<JsValue>) -> bool {
        self.js.command(name, &arg.unwrap_or(JsValue::UNDEFINED))
    }

    /// Moves the keyboard focus into the text.
    pub fn focus(&self) {
        self.js.focus();
    }
}

impl Drop for DocEditor {
    fn drop(&mut self) {
        self.js.destroy();
    }
}

/// The y-websocket endpoint of this page's origin (`ws://` or `wss://` + host + `/ws/docs`).
pub fn server_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = match location.protocol().ok()?.as_str() {
        "https:" => "wss",
        _ => "ws",
    };
    Some(format!("{scheme}://{}/ws/docs", location.host().ok()?))
}
