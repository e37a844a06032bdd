//! The [`Echo`] client: Laravel Echo's API over the sans-IO [`Connection`],
//! on any [`Runtime`]. It owns the socket, the one timer, the auth requests and
//! the listeners, feeds the core and hands its outputs to listeners. It makes
//! no protocol decisions.

mod channel;
mod global;
mod metadata;
mod presence;
mod typed;

use std::any::Any;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use crate::auth::{AuthOptions, Authorizer, ChannelAuthorization};
use crate::listeners::{ListenerId, Listeners, ALL_EVENTS};
use crate::runtime::{Runtime, SocketEvent, SocketHandle};
use echo_proto::channel::{self as channel_name, ChannelKind};
use echo_proto::{ConfigError, Connection, ConnectionState, ConnectionStatus, EchoError, EchoOptions, EventData, Member, Output};

pub use channel::{Channel, Subscription, NOTIFICATION_EVENT};
#[cfg(target_arch = "wasm32")]
pub use global::configure_echo;
pub use global::{configure_echo_with, disconnect_echo, echo};
pub use metadata::EventMetadata;
pub use presence::PresenceChannel;
pub use typed::BroadcastEvent;

pub(crate) type EventCallback = Rc<dyn Fn(&str, &EventData)>;
pub(crate) type ErrorCallback = Rc<dyn Fn(&EchoError)>;
type StateCallback = Rc<dyn Fn(ConnectionState, ConnectionStatus)>;
pub(crate) type SubscribedCallback = Rc<dyn Fn(Subscription)>;
type DelayCallback = Rc<dyn Fn(Duration)>;
/// Presence listeners (`here`, `joining`, `leaving`) all take a member list.
pub(crate) type MembersCallback = Rc<dyn Fn(&[Member])>;
pub(crate) type MetadataCallback = Rc<dyn Fn(&EventData, &EventMetadata)>;

/// Where a [`ListenerHandle`] was registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListenerKind {
    Event,
    Error,
    State,
    ConnectingIn,
    Presence,
    Metadata,
    Subscribed,
}

/// Returned by every `listen`-like call; pass it to
/// [`Echo::stop_listening`] or [`Channel::stop_listening`] to remove exactly
/// that listener. A handle removes nothing else: not a listener of another
/// `Echo` client, and through [`Channel::stop_listening`] not one of another
/// channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerHandle {
    pub(crate) id: ListenerId,
    pub(crate) kind: ListenerKind,
}

/// The channel key under which connection-level listeners are kept.
pub(crate) const CONNECTION: &str = "";
/// The event key of per-channel subscription-success listeners.
pub(crate) const SUBSCRIBED: &str = "pusher:subscription_succeeded";

pub(crate) struct Shared {
    pub(crate) conn: Connection,
    runtime: Rc<dyn Runtime>,
    authorization: ChannelAuthorization,
    socket: Option<Box<dyn SocketHandle>>,
    socket_generation: u64,
    timer: Option<Box<dyn Any>>,
    /// When `timer` fires; `None` once it has fired.
    timer_deadline: Option<web_time::Instant>,
    pub(crate) events: Listeners<EventCallback>,
    pub(crate) errors: Listeners<ErrorCallback>,
    states: Listeners<StateCallback>,
    connecting_in: Listeners<DelayCallback>,
    liveness: Option<Box<dyn Any>>,
    /// The zero-delay timer that reads the default token store once
    /// ([`Echo::warm_token_store`]); `Some` from the first private channel on.
    token_store_warm: Option<Box<dyn Any>>,
    pub(crate) presence: Listeners<MembersCallback>,
    pub(crate) metadata: Listeners<MetadataCallback>,
    pub(crate) subscribed: Listeners<SubscribedCallback>,
}

/// The client, with Laravel Echo's API (`channel`, `private`, `listen`,
/// `leave` …).
///
/// Cheap to clone: clones share one connection. Connects on creation, like
/// `new Echo({...})`. Single-threaded (`!Send`): use it on the thread that
/// created it (the browser's main thread, a tokio `LocalSet`).
///
/// **Ownership**: the connection lives as long as a clone of the client (or
/// of one of its [`Channel`]s) does. When the last one is dropped the socket
/// closes and listeners hear nothing more (a warning says so, on the
/// browser's console, unless [`disconnect`](Self::disconnect) was called
/// first). Keep it where the app keeps state: the app-wide client
/// (`configure_echo` and [`echo`](crate::echo),
/// like a typical Laravel + React app's `getEcho()`), a Leptos or Yew context, or a struct that
/// lives as long as the page. A client made in a plain `main` and not
/// stored anywhere is dropped when `main` returns.
#[derive(Clone)]
pub struct Echo {
    pub(crate) shared: Rc<RefCell<Shared>>,
}

impl std::fmt::Debug for Echo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.shared.try_borrow() {
            Ok(shared) => f
                .debug_struct("Echo")
                .field("state", &shared.conn.state())
                .field("socket_id", &shared.conn.socket_id())
                .finish(),
            Err(_) => f.write_str("Echo { .. }"),
        }
    }
}

impl Drop for Shared {
    /// The last handle is gone: the socket closes with it. Said out loud
    /// unless the app disconnected first, since listeners stop silently.
    fn drop(&mut self) {
        let state = self.conn.state();
        if !matches!(
            state,
            ConnectionState::Connecting | ConnectionState::Connected | ConnectionState::Unavailable
        ) {
            return;
        }
        let channels: Vec<&str> = self.conn.channels().collect();
        let listed = match channels.len() {
            0 => "no channel".to_owned(),
            n if n <= 5 => format!("channels {}", channels.join(", ")),
            n => format!("{n} channels ({}, …)", channels[..5].join(", ")),
        };
        self.runtime.warn(&format!(
            "echo-rs: an Echo client was dropped while {} ({listed}): its socket is closed and its listeners will \
             hear nothing more. Keep a clone of the client (or of a Channel) for as long as the app listens, for \
             example the app-wide one from echo_rs::configure_echo + echo_rs::echo(), and call disconnect() when done.",
            state.as_str()
        ));
    }
}

impl Echo {
    /// Builds a browser client and connects (Laravel Echo `new Echo({...})`).
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect (no key, no host …);
    /// nothing is retried then.
    #[cfg(target_arch = "wasm32")]
    #[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
    pub fn new(options: EchoOptions) -> Result<Self, ConfigError> {
        Self::with_runtime(options, Rc::new(crate::runtime::WebRuntime), None)
    }

    /// Builds a client on a [`TokioRuntime`](crate::runtime::TokioRuntime) and connects (Laravel Echo
    /// `new Echo({...})`). Must be called, and the client used, inside a
    /// [`tokio::task::LocalSet`] on a runtime built with `enable_all`; the
    /// events arrive while that local set runs.
    ///
    /// ```no_run
    /// use echo_rs::{Echo, EchoOptions};
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// tokio::task::LocalSet::new().block_on(&runtime, async {
    ///     let echo = Echo::new_tokio(EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http")).unwrap();
    ///     echo.channel("rooms").listen(".RoomsUpdated", |data| println!("rooms updated: {data}"));
    ///     // The listener runs while the local set is driven.
    ///     tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    /// });
    /// ```
    ///
    /// With `#[tokio::main]`, wrap the body in
    /// `LocalSet::new().run_until(async { ... }).await`.
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect.
    ///
    /// # Panics
    /// Outside a `LocalSet` (see [`TokioRuntime`](crate::runtime::TokioRuntime)).
    #[cfg(all(feature = "tokio", not(target_arch = "wasm32")))]
    #[cfg_attr(docsrs, doc(cfg(all(feature = "tokio", not(target_arch = "wasm32")))))]
    pub fn new_tokio(options: EchoOptions) -> Result<Self, ConfigError> {
        Self::with_runtime(options, Rc::new(crate::runtime::TokioRuntime::new()), None)
    }

    /// Like [`Echo::new`], following a typical Laravel + React app's `getEcho()` rule: `Ok(None)`
    /// when no key is configured (`options.key` empty): realtime is disabled
    /// and nothing connects.
    ///
    /// # Errors
    /// [`ConfigError`] when a key is set but the options can never connect.
    #[cfg(target_arch = "wasm32")]
    #[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
    pub fn new_if_configured(options: EchoOptions) -> Result<Option<Self>, ConfigError> {
        Self::with_runtime_if_configured(options, Rc::new(crate::runtime::WebRuntime), None)
    }

    /// [`Echo::with_runtime`], or `Ok(None)` when `options.key` is empty:
    /// realtime is disabled and nothing connects (a typical Laravel + React app's `getEcho()`
    /// returning `null`).
    ///
    /// # Errors
    /// [`ConfigError`] when a key is set but the options can never connect.
    pub fn with_runtime_if_configured(
        options: EchoOptions,
        runtime: Rc<dyn Runtime>,
        authorizer: Option<Authorizer>,
    ) -> Result<Option<Self>, ConfigError> {
        if options.key.trim().is_empty() {
            return Ok(None);
        }
        Self::with_runtime(options, runtime, authorizer).map(Some)
    }

    /// Builds a client on `runtime` and connects. `authorizer`, when given,
    /// replaces the HTTP call to `auth_endpoint` (pusher-js
    /// `channelAuthorization.customHandler`); the other authorization
    /// settings are the defaults ([`ChannelAuthorization::new`]).
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect.
    pub fn with_runtime(options: EchoOptions, runtime: Rc<dyn Runtime>, authorizer: Option<Authorizer>) -> Result<Self, ConfigError> {
        let authorization = match authorizer {
            Some(authorizer) => ChannelAuthorization::new().authorizer(authorizer),
            None => ChannelAuthorization::new(),
        };
        Self::with_authorization(options, runtime, authorization)
    }

    /// Builds a client on `runtime` with its own channel authorization
    /// settings (a bearer token getter, per-request headers, a CSRF source,
    /// an authorizer) and connects. Two clients on one thread may sign in
    /// as two users.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use echo_rs::{ChannelAuthorization, Echo, EchoOptions};
    ///
    /// # let runtime = Rc::new(echo_rs::testing::FakeRuntime::new());
    /// // In the browser: `Rc::new(echo_rs::runtime::WebRuntime)`.
    /// let options = EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http");
    /// let echo = Echo::with_authorization(options, runtime, ChannelAuthorization::new().bearer_token(|| Some("token".into())))?;
    /// # Ok::<(), echo_rs::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect.
    pub fn with_authorization(
        options: EchoOptions,
        runtime: Rc<dyn Runtime>,
        authorization: ChannelAuthorization,
    ) -> Result<Self, ConfigError> {
        options.validate()?;
        let conn = Connection::new(options, runtime.page_is_https(), runtime.random_seed());
        let echo = Self {
            shared: Rc::new(RefCell::new(Shared {
                conn,
                runtime: runtime.clone(),
                authorization,
                socket: None,
                socket_generation: 0,
                timer: None,
                timer_deadline: None,
                events: Listeners::default(),
                errors: Listeners::default(),
                states: Listeners::default(),
                connecting_in: Listeners::default(),
                liveness: None,
                token_store_warm: None,
                presence: Listeners::default(),
                metadata: Listeners::default(),
                subscribed: Listeners::default(),
            })),
        };
        let weak = Rc::downgrade(&echo.shared);
        let liveness = runtime.watch_liveness(Box::new(move || {
            if let Some(echo) = Echo::upgrade(&weak) {
                echo.check_liveness();
            }
        }));
        echo.shared.borrow_mut().liveness = Some(liveness);
        echo.connect();
        Ok(echo)
    }

    /// Connects, or reconnects after [`disconnect`](Self::disconnect) with
    /// every channel and listener kept (Echo `connect()`).
    pub fn connect(&self) {
        self.with_conn(|conn, now| conn.connect(now));
    }

    /// Closes the connection; it stays closed until [`connect`](Self::connect)
    /// (Echo `disconnect()`). Channels and listeners are kept.
    pub fn disconnect(&self) {
        self.with_conn(|conn, now| conn.disconnect(now));
    }

    /// Pings at once when connected, retries at once when waiting to
    /// reconnect. Called by the runtime on `online` and page-visible events.
    pub fn check_liveness(&self) {
        self.with_conn(|conn, now| conn.check_liveness(now));
    }

    /// The current connection state.
    pub fn connection_state(&self) -> ConnectionState {
        self.shared.borrow().conn.state()
    }

    /// Laravel Echo's connection status (`connectionStatus()`): the five
    /// states echo-react shows, with a real `Reconnecting` for a connection
    /// that was up and is being re-established (see
    /// [`ConnectionStatus`](crate::ConnectionStatus) for the mapping from
    /// [`connection_state`](Self::connection_state)).
    pub fn connection_status(&self) -> ConnectionStatus {
        self.shared.borrow().conn.status()
    }

    /// The socket id while connected (Echo `socketId()`).
    pub fn socket_id(&self) -> Option<String> {
        self.shared.borrow().conn.socket_id().map(str::to_owned)
    }

    /// Replaces this client's channel authorization settings for every
    /// later authorization request (a user signed in or out; Laravel's
    /// `disconnectEcho` after a sign-in is the other way). On the test
    /// double use `FakeEcho::set_authorization`, which keeps the fake
    /// server answering.
    pub fn set_authorization(&self, authorization: ChannelAuthorization) {
        self.shared.borrow_mut().authorization = authorization;
    }

    /// The `X-Socket-ID` header to add to a request to `url`, so that Laravel's
    /// `broadcast(...)->toOthers()` skips this client; `None` unless connected
    /// and `url` is relative or on `page_origin` (e.g. `https://app.test`),
    /// so the socket id never leaves the app's own origin.
    pub fn socket_id_header(&self, url: &str, page_origin: &str) -> Option<(&'static str, String)> {
        let socket_id = self.socket_id()?;
        echo_proto::is_same_origin(url, page_origin).then_some(("X-Socket-ID", socket_id))
    }

    /// Calls `callback` with the new state on every state change (Echo
    /// `connector.onConnectionChange`, pusher-js `state_change`).
    pub fn on_connection_change(&self, callback: impl Fn(ConnectionState) + 'static) -> ListenerHandle {
        self.add_state_listener(Rc::new(move |state, _| callback(state)))
    }

    /// Calls `callback` with Echo's new status each time it changes (Echo
    /// `connector.onConnectionChange`, whose callback gets a
    /// `ConnectionStatus`); unlike [`on_connection_change`](Self::on_connection_change)
    /// a state change that keeps the status (`connecting` → `unavailable`
    /// while reconnecting) calls nothing.
    pub fn on_connection_status(&self, callback: impl Fn(ConnectionStatus) + 'static) -> ListenerHandle {
        let last = std::cell::Cell::new(self.connection_status());
        self.add_state_listener(Rc::new(move |_, status| {
            if last.replace(status) != status {
                callback(status);
            }
        }))
    }

    fn add_state_listener(&self, callback: StateCallback) -> ListenerHandle {
        let id = self.shared.borrow_mut().states.add(CONNECTION, ALL_EVENTS, callback);
        ListenerHandle {
            id,
            kind: ListenerKind::State,
        }
    }

    /// Calls `callback` with the delay before each scheduled connection
    /// attempt (pusher-js `connecting_in`, in seconds there; a `Duration` here).
    pub fn on_connecting_in(&self, callback: impl Fn(Duration) + 'static) -> ListenerHandle {
        let id = self
            .shared
            .borrow_mut()
            .connecting_in
            .add(CONNECTION, ALL_EVENTS, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::ConnectingIn,
        }
    }

    /// Calls `callback` with every error: the connection's (in-band
    /// `pusher:error` not about a subscription, refused connections,
    /// undecodable frames) and every channel's (subscription errors,
    /// undecryptable events, typed listeners' decode errors), each after
    /// that channel's own `error` listeners.
    pub fn on_error(&self, callback: impl Fn(&EchoError) + 'static) -> ListenerHandle {
        let id = self.shared.borrow_mut().errors.add(CONNECTION, ALL_EVENTS, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Error,
        }
    }

    /// A public channel, subscribed now or as soon as connected
    /// (Echo `channel(name)`).
    pub fn channel(&self, name: &str) -> Channel {
        self.subscribe(name.to_owned())
    }

    /// A private channel; `private-` is prefixed (Echo `private(name)`).
    pub fn private(&self, name: &str) -> Channel {
        self.subscribe(ChannelKind::Private.full_name(name))
    }

    /// An encrypted private channel; `private-encrypted-` is prefixed (Echo
    /// `encryptedPrivate(name)`). The auth endpoint must answer a base64
    /// 32-byte `shared_secret`; events are decrypted (NaCl secretbox) before
    /// listeners see them, and whispers are refused.
    pub fn encrypted_private(&self, name: &str) -> Channel {
        self.subscribe(ChannelKind::PrivateEncrypted.full_name(name))
    }

    /// Subscribes `full_name` as it is, prefix included.
    pub fn subscribe(&self, full_name: String) -> Channel {
        if channel_name::requires_auth(&full_name) {
            self.warm_token_store();
        }
        self.with_conn(|conn, now| conn.subscribe(&full_name, now));
        Channel {
            echo: self.clone(),
            name: full_name,
        }
    }

    /// Leaves `name` in all its forms: `name`, `private-name`,
    /// `private-encrypted-name` and `presence-name` (Echo `leave(name)`).
    pub fn leave(&self, name: &str) {
        for full_name in channel_name::leave_names(name) {
            self.leave_channel(&full_name);
        }
    }

    /// Leaves exactly the channel `full_name` and drops its listeners
    /// (Echo `leaveChannel`). Frames still in flight for it are ignored.
    pub fn leave_channel(&self, full_name: &str) {
        {
            let mut shared = self.shared.borrow_mut();
            shared.events.remove_channel(full_name);
            shared.errors.remove_channel(full_name);
            shared.presence.remove_channel(full_name);
            shared.metadata.remove_channel(full_name);
            shared.subscribed.remove_channel(full_name);
        }
        self.with_conn(|conn, now| conn.unsubscribe(full_name, now));
    }

    /// Leaves every channel (Echo `leaveAllChannels`).
    pub fn leave_all_channels(&self) {
        let names: Vec<String> = self.shared.borrow().conn.channels().map(str::to_owned).collect();
        for name in names {
            self.leave_channel(&name);
        }
    }

    /// The channels this client wants, subscribed or not.
    pub fn channel_names(&self) -> Vec<String> {
        self.shared.borrow().conn.channels().map(str::to_owned).collect()
    }

    /// Whether `channel` (full name) is subscribed on the current connection.
    pub fn is_subscribed(&self, channel: &str) -> bool {
        self.shared.borrow().conn.is_subscribed(channel)
    }

    /// The number of event listeners registered on `channel`.
    pub fn listener_count(&self, channel: &str) -> usize {
        self.shared.borrow().events.count(channel)
    }

    /// Removes exactly the listener behind `handle`, on whichever channel of
    /// this client it listens; returns whether it was registered here (a
    /// handle of another client, or of a listener already removed, removes
    /// nothing).
    pub fn stop_listening(&self, handle: ListenerHandle) -> bool {
        self.remove_listener(handle, None)
    }

    /// Removes the listener behind `handle` if it is registered on this
    /// client, and on `channel` when one is given.
    pub(crate) fn remove_listener(&self, handle: ListenerHandle, channel: Option<&str>) -> bool {
        fn remove<F: Clone>(listeners: &mut Listeners<F>, id: ListenerId, channel: Option<&str>) -> bool {
            match channel {
                Some(channel) => listeners.remove_in(channel, id),
                None => listeners.remove(id),
            }
        }
        let mut shared = self.shared.borrow_mut();
        let shared = &mut *shared;
        match handle.kind {
            ListenerKind::Event => remove(&mut shared.events, handle.id, channel),
            ListenerKind::Error => remove(&mut shared.errors, handle.id, channel),
            ListenerKind::State => remove(&mut shared.states, handle.id, channel),
            ListenerKind::ConnectingIn => remove(&mut shared.connecting_in, handle.id, channel),
            ListenerKind::Presence => remove(&mut shared.presence, handle.id, channel),
            ListenerKind::Metadata => remove(&mut shared.metadata, handle.id, channel),
            ListenerKind::Subscribed => remove(&mut shared.subscribed, handle.id, channel),
        }
    }

    pub(crate) fn upgrade(weak: &Weak<RefCell<Shared>>) -> Option<Echo> {
        weak.upgrade().map(|shared| Echo { shared })
    }

    /// Reports `error` to the error callbacks of `channel`, then to the
    /// connection's ([`on_error`](Self::on_error)), with no borrow held.
    pub(crate) fn report_error(&self, channel: &str, error: &EchoError) {
        let callbacks = {
            let Ok(shared) = self.shared.try_borrow() else { return };
            let mut callbacks = shared.errors.matching(channel, ALL_EVENTS);
            callbacks.extend(shared.errors.matching(CONNECTION, ALL_EVENTS));
            callbacks
        };
        callbacks.iter().for_each(|f| f(error));
    }

    /// Runs `f` on the core with the runtime's clock, then drives.
    pub(crate) fn with_conn<T>(&self, f: impl FnOnce(&mut Connection, web_time::Instant) -> T) -> T {
        let result = {
            let mut shared = self.shared.borrow_mut();
            let now = shared.runtime.now();
            f(&mut shared.conn, now)
        };
        self.drive();
        result
    }

    /// Runs the core's outputs until none is left, then re-arms the timer.
    /// Listeners run with no borrow held, so they may call back into `Echo`.
    fn drive(&self) {
        loop {
            let Ok(mut shared) = self.shared.try_borrow_mut() else { return };
            let Some(output) = shared.conn.poll_output() else { break };
            match output {
                Output::OpenSocket { url } => {
                    shared.socket_generation += 1;
                    let generation = shared.socket_generation;
                    let old = shared.socket.take();
                    let runtime = shared.runtime.clone();
                    drop(shared);
                    drop(old);
                    let weak = Rc::downgrade(&self.shared);
                    let sink = Rc::new(move |event: SocketEvent| Echo::socket_event(&weak, generation, event));
                    match runtime.open_socket(&url, sink) {
                        Ok(socket) => self.shared.borrow_mut().socket = Some(socket),
                        Err(reason) => {
                            let mut shared = self.shared.borrow_mut();
                            let now = shared.runtime.now();
                            shared.conn.handle_close(now, None, &reason);
                        }
                    }
                }
                Output::CloseSocket => {
                    shared.socket_generation += 1;
                    let old = shared.socket.take();
                    drop(shared);
                    drop(old);
                }
                Output::Send(text) => {
                    if let Some(socket) = &shared.socket {
                        socket.send(&text);
                    }
                }
                Output::Authorize { channel, socket_id } => {
                    drop(shared);
                    self.authorize(channel, socket_id);
                }
                Output::StateChange { current, status, .. } => {
                    let callbacks = shared.states.matching(CONNECTION, ALL_EVENTS);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(current, status));
                }
                Output::ConnectingIn(delay) => {
                    let callbacks = shared.connecting_in.matching(CONNECTION, ALL_EVENTS);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(delay));
                }
                Output::Subscribed {
                    channel,
                    data,
                    resubscribed,
                } => {
                    let callbacks = shared.events.matching(&channel, SUBSCRIBED);
                    let subscribed = shared.subscribed.matching(&channel, ALL_EVENTS);
                    drop(shared);
                    let kind = if resubscribed {
                        Subscription::Resubscription
                    } else {
                        Subscription::First
                    };
                    subscribed.iter().for_each(|f| f(kind));
                    let data = EventData::from_value(data);
                    callbacks.iter().for_each(|f| f(SUBSCRIBED, &data));
                }
                Output::SubscriptionError { channel, error } | Output::ChannelError { channel, error } => {
                    let mut callbacks = shared.errors.matching(&channel, ALL_EVENTS);
                    callbacks.extend(shared.errors.matching(CONNECTION, ALL_EVENTS));
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&error));
                }
                Output::Event(frame) => {
                    let Some(channel) = frame.channel.as_deref() else { continue };
                    let callbacks = shared.events.matching(channel, &frame.event);
                    let with_metadata = shared.metadata.matching(channel, &frame.event);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&frame.event, &frame.data));
                    if !with_metadata.is_empty() {
                        let metadata = EventMetadata::of(&frame);
                        with_metadata.iter().for_each(|f| f(&frame.data, &metadata));
                    }
                }
                Output::Here { channel, members } => {
                    let callbacks = shared.presence.matching(&channel, presence::HERE);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&members));
                }
                Output::MemberAdded { channel, member } => {
                    let callbacks = shared.presence.matching(&channel, presence::JOINING);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(std::slice::from_ref(&member)));
                }
                Output::MemberRemoved { channel, member } => {
                    let callbacks = shared.presence.matching(&channel, presence::LEAVING);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(std::slice::from_ref(&member)));
                }
                Output::Error(error) => {
                    let callbacks = shared.errors.matching(CONNECTION, ALL_EVENTS);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&error));
                }
            }
        }
        self.arm_timer();
    }

    fn authorize(&self, channel: String, socket_id: String) {
        let (runtime, authorization, options) = {
            let shared = self.shared.borrow();
            (
                shared.runtime.clone(),
                shared.authorization.clone(),
                AuthOptions::of(shared.conn.options()),
            )
        };
        let weak = Rc::downgrade(&self.shared);
        let io = runtime.clone();
        let future = async move {
            let request = authorization.request(&*io, options, channel.clone(), socket_id.clone()).await;
            let result = authorization.authorize(&*io, request).await;
            if let Some(echo) = Echo::upgrade(&weak) {
                echo.with_conn(|conn, _| conn.handle_auth(&channel, &socket_id, result));
            }
        };
        runtime.spawn_local(Box::pin(future));
    }

    /// Reads the default token store once, in a task of its own after the
    /// first channel that needs authorization is subscribed, and throws the
    /// token away: every authorization still reads it afresh. In the browser
    /// a page's first `localStorage` access loads the origin's storage from
    /// the browser process, synchronously (about 2 ms in headless Chromium,
    /// up to 7 ms on a busy machine). Done here it overlaps the socket's
    /// handshake instead of delaying the first auth request after
    /// `pusher:connection_established`; a timer, not a microtask, so that it
    /// runs after the task that starts the WebSocket handshake. Skipped when
    /// a token getter is set.
    fn warm_token_store(&self) {
        let Ok(mut shared) = self.shared.try_borrow_mut() else { return };
        if shared.token_store_warm.is_some() {
            return;
        }
        // Weak: a runtime that keeps pending timers must not keep itself alive.
        let weak = Rc::downgrade(&self.shared);
        let timer = shared.runtime.set_timer(
            Duration::ZERO,
            Box::new(move || {
                let Some(echo) = Echo::upgrade(&weak) else { return };
                let Ok((runtime, reads)) = echo
                    .shared
                    .try_borrow()
                    .map(|shared| (shared.runtime.clone(), shared.authorization.reads_token_store()))
                else {
                    return;
                };
                if reads {
                    drop(runtime.local_storage("token"));
                }
            }),
        );
        shared.token_store_warm = Some(timer);
    }

    /// Arms the one timer for the core's next deadline. A timer already set
    /// to fire no later than that is kept: most frames only push the activity
    /// deadline later, and replacing the timer on each of them would cost a
    /// `clearTimeout`, a `setTimeout` and a closure per frame. A timer that
    /// fires early finds nothing due and arms the next one.
    fn arm_timer(&self) {
        let Ok(mut shared) = self.shared.try_borrow_mut() else { return };
        let Some(deadline) = shared.conn.poll_timeout() else {
            shared.timer = None;
            shared.timer_deadline = None;
            return;
        };
        if shared.timer.is_some() && shared.timer_deadline.is_some_and(|armed| armed <= deadline) {
            return;
        }
        let wait = deadline.saturating_duration_since(shared.runtime.now());
        let weak = Rc::downgrade(&self.shared);
        let timer = shared.runtime.set_timer(
            wait,
            Box::new(move || {
                if let Some(echo) = Echo::upgrade(&weak) {
                    if let Ok(mut shared) = echo.shared.try_borrow_mut() {
                        shared.timer_deadline = None;
                    }
                    echo.with_conn(|conn, now| conn.handle_timeout(now));
                }
            }),
        );
        shared.timer = Some(timer);
        shared.timer_deadline = Some(deadline);
    }

    /// Feeds one socket event to the core, if it comes from the current socket.
    fn socket_event(weak: &Weak<RefCell<Shared>>, generation: u64, event: SocketEvent) {
        let Some(echo) = Echo::upgrade(weak) else { return };
        {
            let Ok(mut shared) = echo.shared.try_borrow_mut() else { return };
            if shared.socket_generation != generation {
                return;
            }
            let now = shared.runtime.now();
            match event {
                SocketEvent::Open => shared.conn.handle_open(now),
                SocketEvent::Message(text) => shared.conn.handle_message(now, &text),
                SocketEvent::Binary => shared.conn.handle_binary(),
                SocketEvent::Close { code, reason } => {
                    let socket = shared.socket.take();
                    shared.conn.handle_close(now, code, &reason);
                    drop(shared);
                    drop(socket);
                }
            }
        }
        echo.drive();
    }
}
