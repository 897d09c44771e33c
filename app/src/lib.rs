//! Atrium's application: one folder per product area, shared UI in `ui`, the HTML shell here.

#![recursion_limit = "256"]

pub mod analytics;
pub mod auth;
pub mod challenges;
pub mod docs;
pub mod error;
pub mod feed;
pub mod home;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod state;
pub mod storefront;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <script src="/theme-init.js"></script>
                <script src="/sw-register.js" defer></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
                // Scoped component styles, bundled from `*.module.css` by stylance-cli.
                <link rel="stylesheet" href="/generated/components.css" />
                <meta name="color-scheme" content="light dark" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A strict CSP: only this origin's scripts (plus Leptos' hydration script, by nonce) and wasm.
#[cfg(feature = "ssr")]
fn set_content_security_policy(options: &LeptosOptions) {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let nonce = leptos::nonce::use_nonce()
        .map(|n| format!(" 'nonce-{n}'"))
        .unwrap_or_default();
    // `cargo leptos watch` reloads the page over its own WebSocket port.
    let reload = match options.env {
        leptos::config::Env::DEV => format!(" ws://127.0.0.1:{}", options.reload_port),
        leptos::config::Env::PROD => String::new(),
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; \
         style-src 'self'{nonce}; img-src 'self' data:; connect-src 'self'{reload}; \
         font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        res.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The application: session, routes, and the PWA head tags.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::provide_session();
    ui::toast::provide_toasts();

    view! {
        <Title formatter=|page: String| if page.is_empty() { "Atrium".to_string() } else { format!("{page} · Atrium") } />
        <Meta name="description" content="Atrium: storefront, dashboards, live feed, documents and coding challenges for your organisation." />
        <Meta name="theme-color" content="#4f46e5" />
        <Link rel="manifest" href="/manifest.webmanifest" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Link rel="apple-touch-icon" href="/icons/icon-192.png" />
        <Router>
            <Routes fallback=|| view! { <ui::errors::NotFoundPage /> }>
                <Route path=path!("/sign-in") view=auth::pages::SignInPage ssr=SsrMode::Async />
                <ParentRoute path=path!("/shop/:tenant") view=storefront::pages::ShopLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=storefront::pages::StorefrontPage ssr=SsrMode::Async />
                    <Route path=path!("products/:id") view=storefront::pages::ProductPage ssr=SsrMode::Async />
                </ParentRoute>
                <ParentRoute path=path!("") view=ui::layout::Shell ssr=SsrMode::Async>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async />
                    <ParentRoute path=path!("storefront") view=storefront::pages::StorefrontLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=storefront::pages::StorefrontPage ssr=SsrMode::Async />
                        <Route path=path!("products/:id") view=storefront::pages::ProductPage ssr=SsrMode::Async />
                        <Route path=path!("checkout") view=storefront::checkout_page::CheckoutPage ssr=SsrMode::Async />
                        <Route path=path!("orders") view=storefront::order_pages::MyOrdersPage ssr=SsrMode::Async />
                        <Route path=path!("orders/:id") view=storefront::order_pages::OrderPage ssr=SsrMode::Async />
                        <Route path=path!("admin/orders") view=storefront::admin_pages::AdminOrdersPage ssr=SsrMode::Async />
                        <Route path=path!("admin/review") view=storefront::admin_pages::ReviewQueuePage ssr=SsrMode::Async />
                        <Route path=path!("admin/catalogue") view=storefront::admin_pages::ManageCataloguePage ssr=SsrMode::Async />
                    </ParentRoute>
                    <Route path=path!("dashboards") view=analytics::pages::DashboardsPage ssr=SsrMode::Async />
                    <Route path=path!("dashboards/ingest") view=analytics::pages::IngestPage ssr=SsrMode::Async />
                    <Route path=path!("dashboards/events") view=analytics::pages::EventsDashboardPage ssr=SsrMode::Async />
                    <Route path=path!("dashboards/anomalies") view=analytics::pages::AnomaliesPage ssr=SsrMode::Async />
                    <Route path=path!("feed") view=feed::pages::FeedPage ssr=SsrMode::Async />
                    <Route path=path!("files") view=docs::files::pages::FilesPage ssr=SsrMode::Async />
                    <Route path=path!("docs") view=docs::collab::pages::DocsListPage ssr=SsrMode::Async />
                    <Route path=path!("docs/:id") view=docs::collab::pages::DocEditorPage ssr=SsrMode::Async />
                    <Route path=path!("challenges") view=challenges::pages::ChallengesPage ssr=SsrMode::Async />
                    <Route path=path!("challenges/playground") view=challenges::playground::PlaygroundPage ssr=SsrMode::Async />
                    <Route path=path!("challenges/progress") view=challenges::pages::ProgressPage ssr=SsrMode::Async />
                    <Route path=path!("challenges/leaderboard") view=challenges::pages::LeaderboardPage ssr=SsrMode::Async />
                    <Route path=path!("challenges/new") view=challenges::pages::NewChallengePage ssr=SsrMode::Async />
                    <Route path=path!("challenges/:id/edit") view=challenges::pages::EditChallengePage ssr=SsrMode::Async />
                    <Route path=path!("challenges/:id") view=challenges::pages::ChallengePage ssr=SsrMode::Async />
                    <Route path=path!("settings/tokens") view=auth::pages::TokensPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
