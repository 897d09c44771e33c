//! The browser side of the anomalies page: the latest page over REST, then the SSE stream.
//! The browser's EventSource retries dropped connections itself; when it gives up (an error
//! status) we open a new one with backoff. Every (re)open refetches the latest page, so
//! anomalies that happened while disconnected are not missed.

use super::anomalies::{merge, Live};
use super::browser::get_json;
use crate::analytics::catalog::model::{AnomalyPage, PriceAnomaly};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

struct Signals {
    list: RwSignal<Vec<PriceAnomaly>>,
    loaded: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    live: RwSignal<Live>,
}

struct Link {
    base: String,
    signals: Signals,
    attempt: Cell<u32>,
    stopped: Cell<bool>,
    stream: RefCell<Option<Stream>>,
}

struct Stream {
    source: EventSource,
    _open: Closure<dyn FnMut(web_sys::Event)>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Link {
    fn stop(&self) {
        self.stopped.set(true);
        if let Some(s) = self.stream.borrow_mut().take() {
            s.source.close();
        }
    }
}

/// Loads the latest anomalies and follows the stream until the component is cleaned up.
pub fn connect(
    tenant: String,
    list: RwSignal<Vec<PriceAnomaly>>,
    loaded: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    live: RwSignal<Live>,
) {
    let link = Rc::new(Link {
        base: format!("/api/v1/tenants/{tenant}/price-anomalies"),
        signals: Signals {
            list,
            loaded,
            error,
            live,
        },
        attempt: Cell::new(0),
        stopped: Cell::new(false),
        stream: RefCell::new(None),
    });
    refetch(&link);
    open(&link);
    let keep = StoredValue::new_local(Some(link));
    on_cleanup(move || {
        keep.try_update_value(|l| {
            if let Some(l) = l.take() {
                l.stop();
            }
        });
    });
}

fn refetch(link: &Rc<Link>) {
    let url = format!("{}?limit=50", link.base);
    let weak = Rc::downgrade(link);
    leptos::task::spawn_local(async move {
        let result = get_json::<AnomalyPage>(&url).await;
        let Some(link) = weak.upgrade() else { return };
        let s = &link.signals;
        match result {
            Ok(page) => {
                s.list.update(|l| merge(l, page.items));
                s.loaded.set(true);
                s.error.set(None);
            }
            Err(message) => s.error.set(Some(message)),
        }
    });
}

fn open(link: &Rc<Link>) {
    if link.stopped.get() {
        return;
    }
    let Ok(source) = EventSource::new(&format!("{}/stream", link.base)) else {
        link.signals.live.set(Live::Reconnecting);
        return;
    };
    let weak = Rc::downgrade(link);
    let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if let Some(link) = weak.upgrade() {
            link.attempt.set(0);
            link.signals.live.set(Live::Open);
            refetch(&link);
        }
    });
    let weak = Rc::downgrade(link);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(link) = weak.upgrade() else { return };
        let parsed = ev
            .data()
            .as_string()
            .and_then(|d| serde_json::from_str::<PriceAnomaly>(&d).ok());
        if let Some(anomaly) = parsed {
            link.signals.list.update(|l| merge(l, vec![anomaly]));
            link.signals.loaded.set(true);
        }
    });
    let weak: Weak<Link> = Rc::downgrade(link);
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let Some(link) = weak.upgrade() else { return };
        link.signals.live.set(Live::Reconnecting);
        let closed = link
            .stream
            .borrow()
            .as_ref()
            .is_some_and(|s| s.source.ready_state() == EventSource::CLOSED);
        if closed && !link.stopped.get() {
            let attempt = link.attempt.get().saturating_add(1);
            link.attempt.set(attempt);
            let delay = Duration::from_millis((500u64 << attempt.min(6)).min(30_000));
            let again = Rc::downgrade(&link);
            set_timeout(
                move || {
                    if let Some(link) = again.upgrade() {
                        open(&link);
                    }
                },
                delay,
            );
        }
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    // The server names its events `anomaly`; unnamed (`message`) events are read the same way.
    for name in ["anomaly", "message"] {
        let _ = source.add_event_listener_with_callback(name, on_message.as_ref().unchecked_ref());
    }
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let old = link.stream.replace(Some(Stream {
        source,
        _open: on_open,
        _message: on_message,
        _error: on_error,
    }));
    if let Some(old) = old {
        old.source.close();
    }
}
