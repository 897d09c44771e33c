//! Follows one submission live: the SSE stream `/api/v1/submissions/{id}/events` sends the
//! whole SubmissionView (events named `submission`) on every change and ends after the final state with its feedback.
//! If the stream fails before that, we close it and poll `get_submission` every second.

use super::format::settled;
use crate::challenges::api::get_submission;
use crate::challenges::views::SubmissionView;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

const POLL_EVERY: Duration = Duration::from_secs(1);

/// A live follow; dropping it closes the stream and stops polling.
pub struct Follow {
    inner: Rc<Inner>,
}

struct Inner {
    id: String,
    target: RwSignal<Option<SubmissionView>>,
    stopped: Cell<bool>,
    stream: RefCell<Option<Stream>>,
}

struct Stream {
    source: EventSource,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Follow {
    fn drop(&mut self) {
        self.inner.stop();
    }
}

impl Inner {
    fn stop(&self) {
        self.stopped.set(true);
        self.close();
    }

    fn close(&self) {
        if let Some(s) = self.stream.borrow_mut().take() {
            s.source.close();
        }
    }

    /// Takes a newer state of our submission; true once it has settled.
    fn accept(&self, view: SubmissionView) -> bool {
        if view.id != self.id {
            return false;
        }
        let done = settled(&view);
        self.target.set(Some(view));
        done
    }
}

/// Follows submission `id`, writing each new state into `target`.
pub fn follow(id: String, target: RwSignal<Option<SubmissionView>>) -> Follow {
    let inner = Rc::new(Inner {
        id,
        target,
        stopped: Cell::new(false),
        stream: RefCell::new(None),
    });
    let url = format!("/api/v1/submissions/{}/events", inner.id);
    match EventSource::new(&url) {
        Ok(source) => attach(&inner, source),
        Err(_) => poll(Rc::downgrade(&inner)),
    }
    Follow { inner }
}

fn attach(inner: &Rc<Inner>, source: EventSource) {
    let weak = Rc::downgrade(inner);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(inner) = weak.upgrade() else { return };
        let parsed = ev
            .data()
            .as_string()
            .and_then(|d| serde_json::from_str::<SubmissionView>(&d).ok());
        if let Some(view) = parsed {
            if inner.accept(view) {
                // The server ends the stream now; without this the browser would reconnect.
                inner.close();
            }
        }
    });
    let weak = Rc::downgrade(inner);
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let Some(inner) = weak.upgrade() else { return };
        inner.close();
        let done = inner
            .target
            .with_untracked(|t| t.as_ref().is_some_and(settled));
        if !done && !inner.stopped.get() {
            poll(Rc::downgrade(&inner));
        }
    });
    // The server names its events `submission`; unnamed (`message`) events are read the same way.
    for name in ["submission", "message"] {
        let _ = source.add_event_listener_with_callback(name, on_message.as_ref().unchecked_ref());
    }
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    inner.stream.replace(Some(Stream {
        source,
        _message: on_message,
        _error: on_error,
    }));
}

/// Asks for the submission once a second until it settles or the follow stops.
fn poll(weak: std::rc::Weak<Inner>) {
    set_timeout(
        move || {
            let Some(inner) = weak.upgrade() else { return };
            if inner.stopped.get() {
                return;
            }
            let id = inner.id.clone();
            let again = Rc::downgrade(&inner);
            drop(inner);
            leptos::task::spawn_local(async move {
                let result = get_submission(id).await;
                let Some(inner) = again.upgrade() else { return };
                if inner.stopped.get() {
                    return;
                }
                let done = match result {
                    Ok(view) => inner.accept(view),
                    Err(_) => false,
                };
                if !done {
                    poll(Rc::downgrade(&inner));
                }
            });
        },
        POLL_EVERY,
    );
}
