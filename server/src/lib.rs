//! The Atrium host process: state, router, middleware and REST endpoints around the Leptos app.

#![recursion_limit = "256"]

pub mod analytics;
pub mod challenges;
pub mod config;
pub mod db;
pub mod docs;
pub mod feed;
pub mod middleware;
pub mod observability;
pub mod pwa;
pub mod rest;
pub mod storefront;

use app::auth::limiter::SignInLimiter;
use app::feed::hub::FeedLimits;
use app::feed::service::{FeedConfig, FeedState, SocketSettings};
use app::state::{AppState, AuthSettings};
use axum::http::{HeaderName, Request};
use axum::routing::get;
use axum::Router;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::{time, SameSite};
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

/// Connects the database, applies migrations, loads demo data in demo mode.
pub async fn build_state(config: &Config) -> Result<AppState, Box<dyn std::error::Error>> {
    let pool = db::connect(&config.database_url).await?;
    if config.demo {
        app::auth::demo::seed_demo(&pool).await?;
        app::storefront::demo::seed_products(&pool).await?;
        app::challenges::service::repo::seed_demo_roles(&pool).await?;
    }
    if !config.demo && config.jwt_secret == config::DEV_JWT_SECRET {
        tracing::warn!("ATRIUM_JWT_SECRET is the development default; set a real secret");
    }
    let feed = FeedState::new(&pool, &feed_config(config)).await?;
    let storefront = config.storefront.build_state();
    let state = AppState {
        exports: Arc::new(config.export.build_state(&config.files.upload_dir)),
        feed: Arc::new(feed),
        storefront: Arc::new(storefront),
        files: Arc::new(config.files.build_state()),
        collab: Arc::new(config.collab.build_state(pool.clone())),
        catalog: Arc::new(config.catalog.build_state()),
        ingest: Arc::new(config.ingest.build_state(&config.files, &pool).await?),
        challenges: Arc::new(config.challenges.build_state(
            config.challenge_feedback.settings(),
            Arc::new(config.sandbox.build()),
        )),
        pool,
        leptos_options: leptos_options(config),
        auth: Arc::new(AuthSettings {
            jwt_secret: config.jwt_secret.as_bytes().to_vec(),
            demo_mode: config.demo,
        }),
        sign_in_limiter: Arc::new(SignInLimiter::new(config.sign_in_per_minute)),
    };
    analytics::query::export::resume_on_start(&state).await;
    challenges::start(&state).await?;
    Ok(state)
}

fn feed_config(config: &Config) -> FeedConfig {
    FeedConfig {
        limits: FeedLimits {
            buffer: config.feed_buffer,
            snapshot: config.feed_snapshot,
            connection_queue: config.feed_connection_queue,
        },
        socket: SocketSettings {
            send_timeout: Duration::from_secs(config.feed_send_timeout_secs.max(1)),
            ping_every: Duration::from_secs(config.feed_ping_secs.max(1)),
        },
        rate_per_second: config.feed_rate_per_second,
        burst: config.feed_rate_burst,
        open_tenants: config.feed_open_tenants(),
    }
}

/// Leptos options from config and what cargo-leptos passes in the environment.
fn leptos_options(config: &Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") | Ok("development") => leptos::config::Env::DEV,
        _ => leptos::config::Env::PROD,
    };
    // cargo-leptos writes hash.txt beside the binary when `hash-files` is on.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("atrium")
        .site_root(config.site_root())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr())
        .reload_port(
            std::env::var("LEPTOS_RELOAD_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(3001),
        )
        .env(env)
        .hash_files(hash_files)
        .build()
}

/// Creates the session layer (sessions stored in SQLite) and starts expired-session cleanup.
pub async fn session_layer(
    state: &AppState,
    config: &Config,
) -> Result<SessionManagerLayer<SqliteStore>, sqlx::Error> {
    let store = SqliteStore::new(state.pool.clone());
    store.migrate().await?;
    let cleanup = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(e) = cleanup.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
    Ok(SessionManagerLayer::new(store)
        .with_name("atrium_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            config.session_idle_minutes,
        ))))
}

/// The app's routes, generated once per process.
///
/// Generating them runs the app with resource loading suppressed through a process-wide flag;
/// a resource first polled by any SSR render while that flag is up never resolves (leptos
/// #4773). A server builds its router before it serves, so generating once — not once per
/// router, as the integration tests' parallel servers did — keeps renders out of that window.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole HTTP surface: pages, server functions, REST, health, metrics and static files.
pub fn router(state: AppState, sessions: SessionManagerLayer<SqliteStore>) -> Router {
    observability::metrics_handle();
    let routes = route_list();
    let sw = pwa::ServiceWorker::load(&state.leptos_options.site_root);
    let context_state = state.clone();
    let limiter = state.sign_in_limiter.clone();
    let feed = state.feed.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.forget_idle();
            feed.forget_idle();
        }
    });
    app::analytics::metrics::rollups::spawn_refresher(
        state.pool.clone(),
        state.ingest.gate.clone(),
    );
    let request_id = HeaderName::from_static(middleware::REQUEST_ID_HEADER);

    Router::new()
        .route("/healthz", get(rest::healthz))
        .route("/readyz", get(rest::readyz))
        .route("/metrics", get(observability::metrics_endpoint))
        .route("/sw.js", get(pwa::service_worker).with_state(sw))
        .nest("/api", rest::routes().fallback(middleware::api_not_found))
        .merge(feed::routes())
        .merge(storefront::routes())
        .merge(docs::routes())
        .merge(analytics::routes())
        .merge(challenges::rest::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(middleware::csrf_guard))
        .layer(sessions)
        .layer(axum::middleware::from_fn(middleware::cache_static))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(
            middleware::complete_error_envelope,
        ))
        .layer(axum::middleware::from_fn(observability::track_requests))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(app::error::AppError::internal(
                "handler panicked",
            ))
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get(middleware::REQUEST_ID_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!(
                    "request",
                    request_id = %id,
                    method = %req.method(),
                    path = %req.uri().path(),
                    tenant = tracing::field::Empty,
                    user = tracing::field::Empty,
                )
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Serves until `shutdown` resolves; peer addresses are kept for rate limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // Small WebSocket frames (Yjs updates, feed events) must not wait for Nagle's algorithm
    // to meet the peer's delayed ACK: that alone added ~40 ms to a tail of relayed updates.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
