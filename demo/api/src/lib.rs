//! `echo-demo-api`: a small Rust stand-in for the Laravel API behind the
//! echo-rs demo.
//!
//! It serves the REST API of Casa Marcelino Resort & Events (rooms, venues,
//! gallery, reviews, blocked dates, bookings, contact form, token sign-in
//! and the admin side) from an embedded SQLite database and, whenever data
//! changes, broadcasts an event the way a Laravel app with
//! `BROADCAST_CONNECTION=reverb` does: the [observers] map the change to an
//! event, which is queued, and a background worker posts it to the
//! WebSocket server's signed Pusher HTTP API, which pushes it to every
//! subscribed Echo client. It also answers `POST /broadcasting/auth` for
//! private, presence and encrypted channels. See [`http`] for the routes.
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

pub mod auth;
pub mod blocked_dates;
pub mod bookings;
pub mod broadcast;
pub mod clock;
pub mod config;
pub mod contact;
pub mod db;
pub mod events;
pub mod gallery;
pub mod http;
pub mod observers;
pub mod reviews;
pub mod rooms;
mod seed;
pub mod state;
pub mod validation;
pub mod venues;

pub use broadcast::{BroadcastEvent, BroadcastSink, Broadcaster};
pub use config::{BroadcastConnection, Config, ReverbConfig};
pub use db::Db;
pub use state::AppState;

/// The application's router: every route, CORS and request logging, over `state`.
pub fn app(state: AppState) -> axum::Router {
    http::router(state)
}
