//! Parts of the Feed page: connection status, the send form, and the live list.

use super::model::{validate_message, ConnectionStatus, MAX_MESSAGE_CHARS};
use super::pages::{css, FeedBoardState};
use super::timeline::ShownEvent;
use leptos::html;
use leptos::prelude::*;

/// Live / reconnecting / offline, announced politely to screen readers.
#[component]
pub(crate) fn StatusPill(status: RwSignal<ConnectionStatus>) -> impl IntoView {
    view! {
        <p
            class=css::status
            role="status"
            data-testid="feed-status"
            data-status=move || status.get().as_str()
        >
            <span class=css::dot aria-hidden="true"></span>
            {move || status.get().label()}
        </p>
    }
}

/// One-line message form: Enter sends; the text stays until the server accepted it.
#[component]
pub(crate) fn PostForm(state: FeedBoardState) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();
    let count = move || message.with(|m| m.trim().chars().count());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let text = message.get_untracked();
        if let Err(e) = validate_message(&text) {
            error.set(Some(e.message));
            return;
        }
        error.set(None);
        sending.set(true);
        #[cfg(feature = "hydrate")]
        {
            let source = state.source.get_untracked();
            leptos::task::spawn_local(async move {
                match super::client::post(&source, text).await {
                    Ok(()) => message.set(String::new()),
                    Err(e) => error.set(Some(e)),
                }
                sending.set(false);
                if let Some(input) = input.get_untracked() {
                    let _ = input.focus();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (text, state);
    };
    view! {
        <form class=css::post_form on:submit=on_submit novalidate>
            <div class="field">
                <label for="feed-message">"New event"</label>
                <input
                    id="feed-message"
                    node_ref=input
                    autocomplete="off"
                    placeholder="e.g. User logged in"
                    aria-describedby="feed-message-count feed-message-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || message.get()
                    on:input=move |ev| {
                        message.set(event_target_value(&ev));
                        error.set(None);
                    }
                />
                <span
                    id="feed-message-count"
                    class=move || { if count() > MAX_MESSAGE_CHARS { "field-hint field-error" } else { "field-hint" } }
                >
                    {move || format!("{} / {MAX_MESSAGE_CHARS}", count())}
                </span>
                <span id="feed-message-error" class="field-error" role="alert" data-testid="feed-error">
                    {move || error.get()}
                </span>
            </div>
            <button type="submit" class="btn btn-primary" aria-busy=move || sending.get().to_string() disabled=move || sending.get()>
                {move || if sending.get() { "Sending…" } else { "Send" }}
            </button>
        </form>
    }
}

/// Newest first; live arrivals are highlighted, and counted while scrolled away.
#[component]
pub(crate) fn EventList(state: FeedBoardState) -> impl IntoView {
    let list = NodeRef::<html::Div>::new();
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            let at_top = el.scroll_top() < 24;
            state.at_top.set(at_top);
            if at_top {
                state.unseen.set(0);
            }
        }
    };
    let jump_to_newest = move |_| {
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(0);
        }
        state.unseen.set(0);
        state.at_top.set(true);
    };
    let events = move || state.timeline.with(|t| t.events.clone());
    let connecting = move || {
        matches!(state.status.get(), ConnectionStatus::Connecting)
            && state.timeline.with(|t| t.cursor.is_none())
    };
    view! {
        <div class=css::list_frame>
            <Show when=move || { state.unseen.get() > 0 }>
                <button class=css::unseen type="button" data-testid="feed-unseen" on:click=jump_to_newest>
                    {move || match state.unseen.get() { 1 => "↑ 1 new event".to_string(), n => format!("↑ {n} new events") }}
                </button>
            </Show>
            <div
                class=css::list
                node_ref=list
                on:scroll=on_scroll
                role="log"
                aria-label="Events, newest first"
                tabindex="0"
                data-testid="feed-list"
            >
                <Show when=move || !connecting() fallback=|| view! { <p class="muted">"Connecting to the feed…"</p> }>
                    <Show
                        when=move || state.timeline.with(|t| !t.events.is_empty())
                        fallback=move || view! {
                            <div class="empty-state">
                                <p>"No events in " {move || state.source.get().name} " yet. Send the first one above."</p>
                            </div>
                        }
                    >
                        <ol class=css::items>
                            <For each=events key=|e| e.event.id let:item>
                                <EventItem item />
                            </For>
                        </ol>
                        <OlderEvents state />
                    </Show>
                </Show>
            </div>
        </div>
    }
}

/// "Show older events" below the list, paging back through what the server still keeps.
#[component]
fn OlderEvents(state: FeedBoardState) -> impl IntoView {
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let older_than = move || state.timeline.with(|t| t.older_than());
    let exhausted = move || state.timeline.with(|t| t.older_dropped());
    let load = move |_| {
        let Some(before) = older_than() else { return };
        loading.set(true);
        error.set(None);
        #[cfg(feature = "hydrate")]
        {
            let source = state.source.get_untracked();
            leptos::task::spawn_local(async move {
                match super::client::load_older(&source, before).await {
                    Ok((events, more)) => state.timeline.update(|t| t.append_older(events, more)),
                    Err(e) => error.set(Some(e)),
                }
                loading.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = before;
    };
    view! {
        <div class=css::older>
            <Show when=move || older_than().is_some()>
                <button type="button" class="btn btn-ghost" on:click=load disabled=move || loading.get()>
                    {move || if loading.get() { "Loading…" } else { "Show older events" }}
                </button>
            </Show>
            <Show when=exhausted>
                <p class="muted">"Older events are no longer kept."</p>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn EventItem(item: ShownEvent) -> impl IntoView {
    let when = item.event.timestamp.clone();
    let shown_time = clock_time(&when);
    let class = if item.fresh {
        format!("{} {}", css::item, css::fresh)
    } else {
        css::item.to_string()
    };
    view! {
        <li class=class data-testid="feed-event" data-fresh=item.fresh.to_string() data-offset=item.event.offset>
            <p class=css::message>{item.event.message}</p>
            <time class=css::time datetime=when.clone() title=when>{shown_time}</time>
        </li>
    }
}

/// The time of day of an RFC 3339 timestamp, in the browser's time zone and locale (in UTC when
/// rendered on the server).
fn clock_time(rfc3339: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        String::from(date.to_locale_time_string("default"))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!("{} UTC", rfc3339.get(11..19).unwrap_or(rfc3339))
    }
}
