//! The Feed page: pick a feed, watch it live, send events.

use super::api::open_feed_tenants;
use super::components::{EventList, PostForm, StatusPill};
use super::model::{ConnectionStatus, FeedSource};
use super::timeline::Timeline;
use crate::auth::SessionResource;
use crate::ui::errors::InternalErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;

stylance::import_crate_style!(pub(crate) css, "src/feed/feed.module.css");

/// The Feed area: the user's own organisation's feed, plus the open demo tenants.
#[component]
pub fn FeedPage() -> impl IntoView {
    let session = expect_context::<SessionResource>().0;
    let open = Resource::new(|| (), |_| open_feed_tenants());
    view! {
        <Title text="Feed" />
        <h1 class="page-title">"Feed"</h1>
        <p class="muted">"Your organisation's events as they happen."</p>
        <Suspense fallback=|| view! { <p class="muted">"Loading feeds…"</p> }>
            {move || Suspend::new(async move {
                let own = match session.await {
                    Ok(Some(info)) => FeedSource {
                        tenant_id: info.tenant_id.0,
                        name: info.tenant_name,
                        own: true,
                    },
                    _ => return view! { <InternalErrorPage /> }.into_any(),
                };
                let mut sources = vec![own];
                for source in open.await.unwrap_or_default() {
                    if !sources.iter().any(|s| s.tenant_id == source.tenant_id) {
                        sources.push(source);
                    }
                }
                view! { <FeedBoard sources /> }.into_any()
            })}
        </Suspense>
    }
}

/// Everything the board's parts (and, in the browser, its connection) share.
#[derive(Clone, Copy)]
pub(crate) struct FeedBoardState {
    pub timeline: RwSignal<Timeline>,
    pub status: RwSignal<ConnectionStatus>,
    /// Events that arrived while the list was scrolled away from the top.
    pub unseen: RwSignal<u32>,
    /// Whether the newest events are in view.
    pub at_top: RwSignal<bool>,
    pub source: Memo<FeedSource>,
}

/// The picker, status, send form and live list of one feed at a time.
#[component]
fn FeedBoard(sources: Vec<FeedSource>) -> impl IntoView {
    let sources = StoredValue::new(sources);
    let selected = RwSignal::new(
        sources.with_value(|s| s.first().map(|s| s.tenant_id.clone()).unwrap_or_default()),
    );
    let source = Memo::new(move |_| {
        let id = selected.get();
        sources.with_value(|all| {
            all.iter()
                .find(|s| s.tenant_id == id)
                .or_else(|| all.first())
                .cloned()
                .unwrap_or(FeedSource {
                    tenant_id: id,
                    name: String::new(),
                    own: true,
                })
        })
    });
    let state = FeedBoardState {
        timeline: RwSignal::new(Timeline::default()),
        status: RwSignal::new(ConnectionStatus::Connecting),
        unseen: RwSignal::new(0),
        at_top: RwSignal::new(true),
        source,
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let source = state.source.get();
        state.timeline.set(Timeline::default());
        state.unseen.set(0);
        let link = super::client::connect(source, state);
        on_cleanup(move || link.stop());
    });
    view! {
        <section class=css::board aria-label="Live feed">
            <div class=css::toolbar>
                <div class="field">
                    <label for="feed-tenant">"Feed of"</label>
                    <select
                        id="feed-tenant"
                        data-testid="feed-tenant"
                        on:change=move |ev| selected.set(event_target_value(&ev))
                    >
                        {sources.with_value(|all| all.iter().map(|s| {
                            let label = if s.own { format!("{} (your organisation)", s.name) } else { format!("{} (demo)", s.name) };
                            view! { <option value=s.tenant_id.clone()>{label}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <StatusPill status=state.status />
            </div>
            <PostForm state />
            <EventList state />
        </section>
    }
    // Erasing the type here keeps the page's view type shallow enough to compile quickly.
    .into_any()
}
