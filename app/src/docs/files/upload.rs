//! The browser's upload: `POST /documents` as multipart/form-data through XMLHttpRequest, the
//! one browser API that reports upload progress (fetch does not). Same origin, so the session
//! cookie goes along and the CSRF guard sees `Sec-Fetch-Site: same-origin`.

use super::model::{AccessLevel, FileMeta};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{EventTarget, File, FormData, ProgressEvent, XmlHttpRequest};

/// An upload in flight. Keep it until it has finished: it owns the event handlers.
pub struct Upload {
    xhr: XmlHttpRequest,
    cancelled: Rc<Cell<bool>>,
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _done: Closure<dyn FnMut(web_sys::Event)>,
}

impl Upload {
    /// Stops the upload; `on_done` then reports it as cancelled.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        let _ = self.xhr.abort();
    }
}

fn js_error(_: JsValue) -> String {
    "The browser could not start the upload. Reload the page and try again.".to_string()
}

/// Sends `file`; `on_progress` gets whole percentages of the bytes sent, `on_done` the stored
/// file's metadata or a message for the person uploading.
pub fn start(
    file: &File,
    access: AccessLevel,
    on_progress: impl Fn(u8) + 'static,
    on_done: impl FnOnce(Result<FileMeta, String>) + 'static,
) -> Result<Upload, String> {
    let form = FormData::new().map_err(js_error)?;
    form.append_with_str("access_level", access.as_str())
        .map_err(js_error)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(js_error)?;

    let xhr = XmlHttpRequest::new().map_err(js_error)?;
    xhr.open_with_async("POST", "/documents", true)
        .map_err(js_error)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(js_error)?;

    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        if ev.length_computable() && ev.total() > 0.0 {
            let percent = (ev.loaded() / ev.total() * 100.0).floor().clamp(0.0, 100.0);
            on_progress(percent as u8);
        }
    });
    let upload: EventTarget = xhr.upload().map_err(js_error)?.unchecked_into();
    upload
        .add_event_listener_with_callback("progress", progress.as_ref().unchecked_ref())
        .map_err(js_error)?;

    let cancelled = Rc::new(Cell::new(false));
    let mut on_done = Some(on_done);
    let finished = xhr.clone();
    let was_cancelled = cancelled.clone();
    // `loadend` follows every ending: load, error, abort and timeout.
    let done = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if let Some(report) = on_done.take() {
            report(if was_cancelled.get() {
                Err("Upload cancelled.".to_string())
            } else {
                outcome(&finished)
            });
        }
    });
    let target: &EventTarget = xhr.unchecked_ref();
    target
        .add_event_listener_with_callback("loadend", done.as_ref().unchecked_ref())
        .map_err(js_error)?;

    xhr.send_with_opt_form_data(Some(&form)).map_err(js_error)?;
    Ok(Upload {
        xhr,
        cancelled,
        _progress: progress,
        _done: done,
    })
}

/// 201 is the stored file; anything else the API's error message.
fn outcome(xhr: &XmlHttpRequest) -> Result<FileMeta, String> {
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    match status {
        201 => serde_json::from_str(&body).map_err(|_| {
            "The file was uploaded, but the answer could not be read. Reload the page to see it."
                .to_string()
        }),
        0 => Err(
            "The upload did not reach the server. Check your connection and try again.".to_string(),
        ),
        401 => Err("Your session has ended. Sign in again, then upload the file.".to_string()),
        _ => {
            Err(error_message(&body)
                .unwrap_or_else(|| format!("The upload failed (HTTP {status}).")))
        }
    }
}

/// `error.message` of the API's error envelope.
fn error_message(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value["error"]["message"].as_str().map(str::to_string)
}
