//! Test doubles for application tests, the Rust counterpart of
//! pusher-js-mock: drive a real [`Echo`](crate::Echo) against a scripted
//! in-memory server with a manual clock, on every target, with no extra
//! dependencies.
//!
//! - [`FakeEcho`]: the quick way: a connected client for an app key, a
//!   signing authorizer, and server-side helpers (`emit`, `drop_connection`,
//!   `fail_auth`, `subscriptions` …);
//! - [`FakeRuntime`]: the [`Runtime`](crate::runtime::Runtime) underneath, for
//!   finer control: the clock, handshake and subscribe answers, raw frames,
//!   presence members on the server side.
//!
//! Presence member tracking in the client is not modelled here; the server
//! side can already send every presence frame
//! ([`FakeRuntime::add_member`], [`FakeEcho::server_frame`]).

mod controls;
mod echo;
mod executor;
mod runtime;
mod server;

pub use echo::FakeEcho;
pub use runtime::FakeRuntime;
