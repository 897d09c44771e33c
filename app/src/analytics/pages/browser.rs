//! Browser-only helpers of the dashboards: JSON over `fetch`, and a timer that only ticks while
//! the tab is visible.

use super::remote::error_message;
use gloo_net::http::Request;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// `GET url` as JSON, with the API's error message on failure.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, String> {
    read_json(
        Request::get(url)
            .header("Accept", "application/json")
            .send()
            .await,
    )
    .await
}

/// The JSON of an answer, or the message to show: unreachable, cut off, the API's error.
async fn read_json<T: DeserializeOwned>(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, String> {
    let res = sent.map_err(|_| "Could not reach the server. Check your connection.".to_string())?;
    let status = res.status();
    let body = res
        .text()
        .await
        .map_err(|_| "The answer was cut off. Try again.".to_string())?;
    if !res.ok() {
        return Err(error_message(status, &body));
    }
    serde_json::from_str(&body).map_err(|_| "The server's answer could not be read.".to_string())
}

/// `PATCH url` with a JSON body, answering JSON, with the API's error message on failure.
pub async fn patch_json<T: DeserializeOwned>(
    url: &str,
    body: &impl serde::Serialize,
) -> Result<T, String> {
    let request = Request::patch(url)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|_| "The request could not be encoded.".to_string())?;
    read_json(request.send().await).await
}

/// Whether the page is in a background tab (or minimised).
pub fn tab_hidden() -> bool {
    document().hidden()
}

/// Calls `tick` every `every` while the tab is visible, and at once when it becomes visible
/// again; stops when the calling component is cleaned up.
pub fn every_while_visible(every: Duration, tick: impl Fn() + Clone + 'static) {
    let on_timer = tick.clone();
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !tab_hidden() {
                on_timer();
            }
        },
        every,
    ) {
        on_cleanup(move || handle.clear());
    }
    let listener = leptos::prelude::window_event_listener_untyped("visibilitychange", move |_| {
        if !tab_hidden() {
            tick();
        }
    });
    on_cleanup(move || listener.remove());
}

/// Watches an element and calls back whenever it scrolls into view; disconnects when dropped.
pub struct VisibleWatch {
    observer: web_sys::IntersectionObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for VisibleWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Calls `on_visible` each time `el` enters the viewport (a scroll sentinel); `None` if the
/// browser has no IntersectionObserver (the "Load more" button still works).
pub fn watch_visible(
    el: &web_sys::Element,
    on_visible: impl Fn() + 'static,
) -> Option<VisibleWatch> {
    use wasm_bindgen::JsCast;
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(
        move |entries: js_sys::Array| {
            let seen = entries.iter().any(|e| {
                e.dyn_into::<web_sys::IntersectionObserverEntry>()
                    .is_ok_and(|e| e.is_intersecting())
            });
            if seen {
                on_visible();
            }
        },
    );
    let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(el);
    Some(VisibleWatch {
        observer,
        _callback: callback,
    })
}
