//! The browser's order upload: the chosen file as the raw body of `POST /api/v1/ingest/orders/`
//! through XMLHttpRequest, the one browser API that reports upload progress. (The Files page's
//! helper sends multipart forms to `/documents`; the ingest API reads a raw NDJSON body.)

use super::remote::error_message;
use crate::analytics::ingest::model::IngestReport;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{EventTarget, File, ProgressEvent, XmlHttpRequest};

/// An upload in flight. Keep it until it has finished: it owns the event handlers.
pub struct Upload {
    xhr: XmlHttpRequest,
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _done: Closure<dyn FnMut(web_sys::Event)>,
}

impl Upload {
    /// Stops the upload (its `on_done` then reports a failure).
    pub fn cancel(&self) {
        let _ = self.xhr.abort();
    }
}

fn js_error(_: JsValue) -> String {
    "The browser could not start the upload. Reload the page and try again.".to_string()
}

/// The content type the API expects for a file of this name.
pub fn content_type(name: &str) -> &'static str {
    if name.to_ascii_lowercase().ends_with(".csv") {
        "text/csv"
    } else {
        "application/x-ndjson"
    }
}

/// Sends `file`; `on_progress` gets whole percentages of the bytes sent, `on_done` the report.
pub fn start(
    file: &File,
    on_progress: impl Fn(u8) + 'static,
    on_done: impl FnOnce(Result<IngestReport, String>) + 'static,
) -> Result<Upload, String> {
    let xhr = XmlHttpRequest::new().map_err(js_error)?;
    xhr.open_with_async("POST", "/api/v1/ingest/orders/", true)
        .map_err(js_error)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(js_error)?;
    xhr.set_request_header("Content-Type", content_type(&file.name()))
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

    let mut on_done = Some(on_done);
    let finished = xhr.clone();
    // `loadend` follows every ending: load, error, abort and timeout.
    let done = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if let Some(report) = on_done.take() {
            report(outcome(&finished));
        }
    });
    let target: &EventTarget = xhr.unchecked_ref();
    target
        .add_event_listener_with_callback("loadend", done.as_ref().unchecked_ref())
        .map_err(js_error)?;

    xhr.send_with_opt_blob(Some(file)).map_err(js_error)?;
    Ok(Upload {
        xhr,
        _progress: progress,
        _done: done,
    })
}

fn outcome(xhr: &XmlHttpRequest) -> Result<IngestReport, String> {
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    match status {
        200 | 201 => serde_json::from_str(&body)
            .map_err(|_| "The orders were sent, but the report could not be read.".to_string()),
        0 => Err("The upload did not reach the server (or was cancelled).".to_string()),
        _ => Err(error_message(status, &body)),
    }
}
