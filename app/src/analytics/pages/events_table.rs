//! `EventsTable`: product events, newest first, over the cursor API, filterable by type, with
//! infinite scroll (an IntersectionObserver on a sentinel) and a "Load more" button as the
//! keyboard and no-script fallback. Other pages embed it with a fixed filter.

use super::css;
use super::format::timestamp;
use crate::analytics::events::model::ProductEvent;
use leptos::prelude::*;

/// The list URL for a filter and an optional cursor.
fn events_url(event_type: &str, user_id: Option<&str>, limit: u32, cursor: Option<&str>) -> String {
    let mut url = format!("/api/v1/events?limit={limit}");
    let mut add = |k: &str, v: &str| {
        url.push_str(&format!("&{k}={}", js_encode(v)));
    };
    if !event_type.is_empty() {
        add("event_type", event_type);
    }
    if let Some(u) = user_id {
        add("user_id", u);
    }
    if let Some(c) = cursor {
        add("cursor", c);
    }
    url
}

/// Percent-encodes a query value (everything but unreserved characters).
fn js_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A table of product events.
#[component]
pub fn EventsTable(
    /// Show only this event type (the type filter is then hidden).
    #[prop(optional, into)]
    fixed_event_type: Option<String>,
    /// Show only this user's events.
    #[prop(optional, into)]
    fixed_user_id: Option<String>,
    /// Events per request (1–500).
    #[prop(default = 50)]
    page_size: u32,
) -> impl IntoView {
    let has_fixed_type = fixed_event_type.is_some();
    let event_type = RwSignal::new(fixed_event_type.unwrap_or_default());
    let draft = RwSignal::new(event_type.get_untracked());
    let user = StoredValue::new(fixed_user_id);
    let rows = RwSignal::new(Vec::<ProductEvent>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);

    // `cursor: None` starts over (new filter or refresh); otherwise appends the next page.
    let fetch = move |cursor: Option<String>| {
        if cursor.is_some() && loading.get_untracked() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let url = user.with_value(|u| {
            events_url(
                &event_type.get_untracked(),
                u.as_deref(),
                page_size,
                cursor.as_deref(),
            )
        });
        loading.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let result =
                super::browser::get_json::<crate::analytics::events::model::EventPage>(&url).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    if cursor.is_some() {
                        rows.update(|r| r.extend(page.events));
                    } else {
                        rows.set(page.events);
                    }
                    next.set(page.next_cursor);
                    loaded.set(true);
                    error.set(None);
                }
                Err(message) => error.set(Some(message)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, mine, rows, next, loaded, error);
    };
    let more = move || {
        if let Some(cursor) = next.get_untracked() {
            fetch(Some(cursor));
        }
    };
    Effect::new(move |_| {
        event_type.track();
        fetch(None);
    });

    let sentinel = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let watch = StoredValue::new_local(None::<super::browser::VisibleWatch>);
        Effect::new(move |_| {
            if let Some(el) = sentinel.get() {
                watch.set_value(super::browser::watch_visible(&el, more));
            }
        });
        on_cleanup(move || watch.set_value(None));
    }

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        event_type.set(draft.get_untracked().trim().to_string());
    };

    view! {
        <div class="stack" data-testid="events-table">
            <Show when=move || !has_fixed_type>
                <form class=css::controls on:submit=apply role="search" aria-label="Filter events">
                    <div class="field">
                        <label for="events-type">"Event type"</label>
                        <input id="events-type" type="search" placeholder="e.g. page_view"
                            prop:value=draft on:input=move |ev| draft.set(event_target_value(&ev)) />
                    </div>
                    <div class="row">
                        <button type="submit" class="btn btn-primary">"Filter"</button>
                        <button type="button" class="btn btn-ghost" on:click=move |_| fetch(None)>"Refresh"</button>
                    </div>
                </form>
            </Show>
            {move || error.get().map(|m| view! { <p class="form-error" role="alert" data-testid="events-error">{m}</p> })}
            <Show when=move || loaded.get() || error.with(Option::is_some)
                fallback=|| view! { <p class="muted">"Loading events…"</p> }>
                <Show when=move || !rows.with(Vec::is_empty)
                    fallback=|| view! { <div class="empty-state" data-testid="events-empty"><p>"No events match."</p></div> }>
                    <div class="table-wrap">
                        <table class="table">
                            <caption class="visually-hidden">"Product events, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"Time (UTC)"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"User"</th>
                                <th scope="col">"Properties"</th>
                            </tr></thead>
                            <tbody>
                                <For each=move || rows.get() key=|e| e.event_id.clone() let:e>
                                    <tr data-testid="event-row">
                                        <td class=css::nowrap>{timestamp(&e.timestamp)}</td>
                                        <td>{e.event_type.clone()}</td>
                                        <td>{e.user_id.clone()}</td>
                                        <td><code class=css::props>{e.properties.to_string()}</code></td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </div>
                </Show>
            </Show>
            <div node_ref=sentinel class=css::sentinel aria-hidden="true"></div>
            <Show when=move || next.with(Option::is_some)>
                <button type="button" class="btn" on:click=move |_| more() disabled=move || loading.get()>
                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                </button>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_filter_and_cursor() {
        assert_eq!(events_url("", None, 50, None), "/api/v1/events?limit=50");
        assert_eq!(
            events_url("page view", Some("u&1"), 20, Some("abc=")),
            "/api/v1/events?limit=20&event_type=page%20view&user_id=u%261&cursor=abc%3D"
        );
    }
}
