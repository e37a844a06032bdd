//! # echo-rs
//!
//! A Pusher Channels protocol client with Laravel Echo's API, for Rust and
//! WebAssembly. It talks to Laravel Reverb, Pusher, Soketi and Sockudo.
//!
//! What an app uses:
//!
//! | | |
//! |---|---|
//! | The client | [`Echo`] (Laravel Echo's `new Echo({...})`): `Echo::new` in the browser (wasm32), `Echo::new_tokio` natively (feature `tokio`); the app-wide one: `configure_echo` (browser) / [`configure_echo_with`], [`echo`], [`disconnect_echo`] |
//! | Options | [`EchoOptions`] (`EchoOptions::reverb(key, host, port, scheme)`; Echo's option names) |
//! | Channels | [`Channel`] (`listen`, `listen_typed`, `listen_data`, `whisper`, `error`, `leave` …), [`PresenceChannel`] (`here`, `joining`, `leaving`, `members`), [`BroadcastEvent`] for typed events, [`EventData`] |
//! | Signing in | [`ChannelAuthorization`] (a client's own bearer token, headers, CSRF token or [`Authorizer`]), [`set_echo_token_getter`] (the thread-wide token), [`AuthCredentials`] (Sanctum cookies) |
//! | Errors | [`EchoError`] (what reaches `error` / `on_error` listeners), [`ConfigError`] |
//! | Tests | [`testing::FakeEcho`]: the real client against a scripted in-memory server on a manual clock |
//! | UI hooks | [`hooks`]: what echo-leptos (and echo-yew) share: [`hooks::ChannelRegistry`] (the lazy app-wide client, reference-counted channels, generations), [`hooks::GlobalSubscription`], [`hooks::key_matches_prefix`] |
//! | Runtimes | [`runtime`]: the [`Runtime`](runtime::Runtime) trait, `WebRuntime` (wasm32), `TokioRuntime` (feature `tokio`) |
//! | The core | [`proto`]: the sans-IO protocol crate `echo-proto` ([`proto::Connection`], channel naming, frames, close codes) |
//!
//! Underneath, the client drives a **sans-IO protocol core**, [`proto::Connection`]:
//! frames and time in; frames, events and the next deadline out, with no clock
//! read and no socket held, built and tested on every target without a browser
//! (see "Driving the core" below). The client owns the socket, timers and auth
//! requests through a [`Runtime`](runtime::Runtime) (the browser's, tokio's or the test double's)
//! and makes no protocol decision of its own.
//!
//! ## Quick start
//!
//! ```
//! use echo_rs::{Echo, EchoOptions, Value};
//!
//! /// What the app listens to; the same code on every runtime.
//! fn listen(echo: &Echo) {
//!     // `.RoomsUpdated` is used verbatim; `RoomsUpdated` would become
//!     // `App\Events\RoomsUpdated` (Echo's namespace rule).
//!     echo.channel("rooms").listen(".RoomsUpdated", |data: &Value| {
//!         println!("rooms changed: {}", data["room_ids"]);
//!     });
//!     // Authorized through `auth_endpoint` (default `/broadcasting/auth`).
//!     let dashboard = echo.private("admin.dashboard");
//!     dashboard.listen(".ContactFormSubmitted", |data| println!("new message: {}", data["subject"]));
//!     dashboard.error(|error| eprintln!("{error}"));
//! }
//!
//! // In the browser, the app-wide client (kept alive until
//! // `echo_rs::disconnect_echo()`; see "Who owns the client" below):
//! //     echo_rs::configure_echo(EchoOptions::reverb("local-key", "localhost", 6001, "http"))?;
//! //     if let Some(echo) = echo_rs::echo() { listen(&echo) }
//! // Here, the in-memory test double stands in for the server:
//! let fake = echo_rs::testing::FakeEcho::with_options(EchoOptions::reverb("local-key", "localhost", 6001, "http"))?;
//! listen(&fake.echo());
//! fake.emit("rooms", ".RoomsUpdated", serde_json::json!({ "room_ids": [1] }));
//! assert!(fake.echo().is_subscribed("private-admin.dashboard"));
//! # Ok::<(), echo_rs::ConfigError>(())
//! ```
//!
//! ## Who owns the client
//!
//! The connection lives as long as a clone of the [`Echo`] (or of one of
//! its [`Channel`]s) does. When the last one is dropped the socket closes
//! and listeners hear nothing more: a client built in a plain `main` and not
//! stored anywhere is gone when `main` returns, and echo-rs warns about it on
//! the console unless `disconnect()` was called first. Keep it in the
//! app-wide slot (`configure_echo` in the browser, [`configure_echo_with`], [`echo`],
//! [`disconnect_echo`]), a framework context, or a struct that lives as long
//! as the page.
//!
//! ## Event data
//!
//! Payloads are decoded lazily ([`EventData`]): `listen` listeners of an
//! event share one `Value`, built when the first of them runs;
//! [`Channel::listen_typed`] reads its [`BroadcastEvent`] type straight from
//! the received text, skipping the fields the type does not name;
//! [`Channel::listen_data`] gets the payload undecoded (for listeners that
//! only need to know an event happened, or decode it themselves). An event no
//! listener reads is never parsed.
//!
//! ## Quick start (native, feature `tokio`)
//!
//! [`Echo::new_tokio`](crate::Echo) builds the client on `TokioRuntime`; it
//! must run inside a `tokio::task::LocalSet` (see `Echo::new_tokio` for a
//! complete example). `wss://` needs the `rustls` feature too.
//!
//! ```ignore
//! let echo = Echo::new_tokio(EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http"))?;
//! echo.channel("rooms").listen(".RoomsUpdated", |data| println!("{data}"));
//! ```
//!
//! ## Presence, encrypted and cache channels
//!
//! ```ignore
//! let room = echo.join("room.1"); // presence-room.1
//! room.here(|members| { /* every member, on each (re)subscription */ });
//! room.joining(|member| { /* member.id, member.info */ });
//! room.leaving(|member| {});
//! room.listen_with_metadata(".client-typing", |data, meta| { /* meta.user_id */ });
//!
//! // Decrypted with the auth response's shared_secret before listeners see it.
//! echo.encrypted_private("orders.1").listen(".OrderShipped", |data| {});
//!
//! echo.channel("cache-rooms").listen_for_cache_miss(|| { /* fetch the state */ });
//! ```
//!
//! A channel with no answer within `EchoOptions::subscription_timeout`
//! (10 s) gets an `EchoError::SubscriptionTimeout` on its `error` listeners.
//!
//! Encrypted channels need the `encryption` feature (on by default). An app
//! that never uses them can build with `default-features = false` for a
//! smaller wasm (about 6 KiB gzipped); an encrypted channel then fails at
//! authorization with an `EchoError::Auth` naming the feature.
//!
//! ## Driving the core (any target)
//!
//! The protocol core is its own crate, [`echo-proto`](proto), re-exported as
//! [`echo_rs::proto`](proto): a sans-IO [`proto::Connection`] with frames
//! and time in, frames, events and the next deadline out. Drive it yourself
//! to put the protocol behind another shell (a server-side bridge, a test
//! harness, another runtime).
//!
//! ## Testing an application (any target)
//!
//! [`testing::FakeEcho`] runs the real [`Echo`] against a scripted in-memory
//! server with a manual clock, like pusher-js-mock: the server shakes hands,
//! confirms subscriptions and signs private channels on its own; the test
//! emits events, drops the connection and moves time.
//!
//! ```
//! use std::cell::Cell;
//! use std::rc::Rc;
//! use std::time::Duration;
//!
//! use echo_rs::testing::FakeEcho;
//! use echo_rs::{BroadcastEvent, Echo};
//!
//! #[derive(serde::Deserialize)]
//! struct RoomsUpdated {
//!     room_ids: Vec<u64>,
//! }
//! impl BroadcastEvent for RoomsUpdated {
//!     const NAME: &'static str = ".RoomsUpdated";
//! }
//!
//! // The code under test: counts the rooms it was told about.
//! fn watch_rooms(echo: &Echo, seen: Rc<Cell<usize>>) {
//!     echo.channel("rooms").listen_typed(move |e: RoomsUpdated| seen.set(seen.get() + e.room_ids.len()));
//! }
//!
//! let fake = FakeEcho::new("app-key")?;
//! let seen = Rc::new(Cell::new(0));
//! watch_rooms(fake.echo(), seen.clone());
//!
//! fake.emit("rooms", RoomsUpdated::NAME, serde_json::json!({ "room_ids": [1, 2] }));
//! assert_eq!(seen.get(), 2);
//!
//! fake.drop_connection(None);
//! fake.advance(Duration::from_secs(2)); // the client reconnects after its backoff
//! assert_eq!(fake.subscribe_count("rooms"), 2); // once per connection
//! fake.emit("rooms", RoomsUpdated::NAME, serde_json::json!({ "room_ids": [3] }));
//! assert_eq!(seen.get(), 3);
//! # Ok::<(), echo_rs::ConfigError>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod client;
pub mod hooks;
mod listeners;
pub mod runtime;
pub mod testing;

/// The sans-IO protocol core (the crate `echo-proto`): the connection state
/// machine, channel naming, frames, close codes and backoff, event-name
/// formatting. For code that drives the protocol itself; apps use [`Echo`].
pub use echo_proto as proto;

pub use auth::{reset_echo_token_getter, set_echo_token_getter, set_echo_token_getter_async, Authorizer, ChannelAuthorization, CsrfToken};
#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub use client::configure_echo;
pub use client::{
    configure_echo_with, disconnect_echo, echo, BroadcastEvent, Channel, Echo, EventMetadata, ListenerHandle, PresenceChannel,
    Subscription, NOTIFICATION_EVENT,
};
pub use echo_proto::{
    AuthCredentials, AuthFailure, AuthRequest, ChannelAuth, ClientEventRefusal, ConfigError, ConnectionState, ConnectionStatus, EchoError,
    EchoOptions, EventData, Member, ModelEvent, ModelPayload, ProtocolError, Value,
};
