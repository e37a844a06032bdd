//! `echo-demo-api`: a small Rust stand-in for the Laravel API behind the
//! echo-rs demo.
//!
//! It serves a rooms REST API from an embedded SQLite database and, when an
//! admin changes a room, broadcasts `RoomsUpdated` on the public `rooms`
//! channel the way a Laravel app with `BROADCAST_CONNECTION=reverb` does:
//! the event is queued, and a background worker posts it to the WebSocket
//! server's signed Pusher HTTP API, which pushes it to every subscribed
//! Echo client. It also answers `POST /broadcasting/auth` for private and
//! presence channels.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use echo_demo_api::{app, AppState, Config};
//!
//! let config = Config::from_env()?;
//! let listener = tokio::net::TcpListener::bind((config.api_host.as_str(), config.api_port)).await?;
//! let (state, _worker) = AppState::from_config(config)?;
//! axum::serve(listener, app(state)).await?;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

pub mod broadcast;
pub mod config;
pub mod db;
pub mod events;
pub mod http;
pub mod rooms;
pub mod state;
pub mod users;

pub use broadcast::{BroadcastEvent, BroadcastSink, Broadcaster};
pub use config::{BroadcastConnection, Config, ReverbConfig};
pub use db::Db;
pub use state::AppState;

/// The application's router: every route, CORS and request logging, over `state`.
pub fn app(state: AppState) -> axum::Router {
    http::router(state)
}
