//! Toasts: the one pattern for failed (or finished) server calls that have no form to show
//! the error in. Inline errors (`role="alert"` next to the field) are used where a form exists.

use leptos::prelude::*;

/// How a toast looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Error,
    Success,
    Info,
}

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
}

#[derive(Clone, Copy)]
struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

/// Makes toasts available to every component below.
pub fn provide_toasts() {
    provide_context(Toasts {
        items: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    });
}

/// Shows a toast; does nothing outside the app (e.g. in unit tests).
pub fn push(kind: ToastKind, message: impl Into<String>) {
    if let Some(t) = use_context::<Toasts>() {
        let id = t.next_id.get_value();
        t.next_id.set_value(id + 1);
        t.items.update(|items| {
            items.push(Toast {
                id,
                kind,
                message: message.into(),
            })
        });
    }
}

/// Shows an error toast.
pub fn push_error(message: impl Into<String>) {
    push(ToastKind::Error, message);
}

/// The live region where toasts appear; each can be dismissed.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    view! {
        <div class="toasts" role="status" aria-live="polite" aria-label="Notifications" data-testid="toasts">
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div class=match toast.kind {
                    ToastKind::Error => "toast toast-error",
                    ToastKind::Success => "toast toast-success",
                    ToastKind::Info => "toast toast-info",
                }>
                    <span>{toast.message.clone()}</span>
                    <button
                        type="button"
                        class="toast-close"
                        aria-label="Dismiss"
                        on:click=move |_| toasts.items.update(|items| items.retain(|t| t.id != toast.id))
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
