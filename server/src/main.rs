//! `atrium`: starts the server (or, with `seed-demo`, loads demo data and exits).

use clap::Parser;
use server::config::{Command, Config};

/// Stack of each runtime worker. Server rendering recurses through the whole view tree, and a
/// full challenge page overflowed tokio's 2 MiB default in debug builds (the e2e server).
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

/// mimalloc instead of glibc malloc: after a bulk ingest glibc kept the freed batches in its
/// per-thread arenas, so RSS stayed at the ingest peak (175 MB after 1M orders) and every later
/// export started from there; mimalloc gives freed pages back to the kernel.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve()),
        Err(e) => {
            eprintln!("atrium: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    }
}

async fn serve() {
    let config = Config::parse();
    server::observability::init_logging(&config.log, config.log_format);
    if let Err(e) = run(config).await {
        tracing::error!(error = %e, "atrium stopped");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    tracing::info!(config = ?config, "starting");
    let state = server::build_state(&config).await?;
    if config.command == Some(Command::SeedDemo) {
        app::auth::demo::seed_demo(&state.pool).await?;
        tracing::info!("demo data loaded");
        return Ok(());
    }
    server::observability::metrics_handle();
    let sessions = server::session_layer(&state, &config).await?;
    let router = server::router(state, sessions);
    let listener = tokio::net::TcpListener::bind(config.listen_addr()).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    server::serve(listener, router, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
