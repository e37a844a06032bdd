//! # echo-leptos
//!
//! Leptos 0.8 hooks over [`echo_rs`]: the seed architecture's `getEcho()`,
//! `useRealtimeEvent` and `useRealtimeGlobalSubscriber`, done the Leptos way.
//!
//! ```ignore
//! use echo_leptos::{provide_echo, use_realtime_event};
//!
//! provide_echo(Some(echo_rs::EchoOptions::reverb("local-key", "localhost", 6001, "http")));
//! use_realtime_event("rooms", ".RoomsUpdated", move |_| refetch());
//! ```
//!
//! In the browser the client is built lazily on first use; elsewhere (SSR,
//! native tests) and when no key is configured every hook is a no-op.
#![warn(missing_docs)]

mod context;
mod use_connection_status;
mod use_realtime_event;
mod use_realtime_global_subscriber;

pub use context::{disconnect_echo, provide_echo, use_echo, EchoContext};
pub use echo_rs::ConnectionState;
pub use use_connection_status::use_connection_status;
pub use use_realtime_event::use_realtime_event;
pub use use_realtime_global_subscriber::{use_realtime_global_subscriber, GlobalSubscription};
