//! Runs the demo API: `cargo run -p echo-demo-api`. Configured through
//! environment variables (see [`Config`]); logging through `RUST_LOG`
//! (default `info`).

use std::time::Duration;

use echo_demo_api::{app, AppState, Config};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// How long queued broadcasts may take to go out after shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

    if let Err(err) = run().await {
        tracing::error!("{err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    tracing::info!(?config, "starting");
    let listener = TcpListener::bind((config.api_host.as_str(), config.api_port)).await?;
    let (state, worker) = AppState::from_config(config)?;
    tracing::info!("listening on http://{}", listener.local_addr()?);

    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown_signal()).await?;

    // The router, and with it every `Broadcaster`, is gone: let the worker
    // drain what is still queued.
    if tokio::time::timeout(DRAIN_TIMEOUT, worker).await.is_err() {
        tracing::warn!("gave up waiting for queued broadcasts");
    }
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {err}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
