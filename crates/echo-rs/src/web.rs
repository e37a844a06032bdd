//! The browser shell: a thin layer that owns the WebSocket, the one timer and
//! the auth requests, feeds them to the sans-IO [`Connection`] and hands its
//! outputs to listeners. It makes no protocol decisions.

mod auth;
mod socket;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use serde_json::Value;
use web_time::Instant;

use crate::error::{ConfigError, EchoError};
use crate::event_name::format_event_name;
use crate::listeners::{ListenerId, Listeners, ALL_EVENTS};
use crate::options::EchoOptions;
use crate::protocol::{Connection, ConnectionState, Output};
use socket::Socket;

pub use auth::set_echo_token_getter;

type EventCallback = Rc<dyn Fn(&Value)>;
type ErrorCallback = Rc<dyn Fn(&EchoError)>;
type StateCallback = Rc<dyn Fn(ConnectionState)>;

/// Where a [`ListenerHandle`] was registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListenerKind {
    Event,
    Error,
    State,
}

/// Returned by every `listen`-like call; pass it to
/// [`Echo::stop_listening`] to remove exactly that listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerHandle {
    id: ListenerId,
    kind: ListenerKind,
}

const CONNECTION: &str = "";
const SUBSCRIBED: &str = "pusher:subscription_succeeded";

struct Shared {
    conn: Connection,
    socket: Option<Socket>,
    socket_generation: u64,
    timer: Option<Timeout>,
    events: Listeners<EventCallback>,
    errors: Listeners<ErrorCallback>,
    states: Listeners<StateCallback>,
    _page_events: Vec<gloo_events::EventListener>,
}

/// The browser client with Laravel Echo's API.
///
/// Cheap to clone: clones share one connection. Created with
/// [`Echo::new`], which connects at once like Laravel Echo's constructor.
#[derive(Clone)]
pub struct Echo {
    shared: Rc<RefCell<Shared>>,
}

impl std::fmt::Debug for Echo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shared = self.shared.borrow();
        f.debug_struct("Echo")
            .field("state", &shared.conn.state())
            .field("socket_id", &shared.conn.socket_id())
            .finish()
    }
}

fn page_is_https() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:")
}

fn random_seed() -> u64 {
    (js_sys::Math::random() * u64::MAX as f64) as u64
}

impl Echo {
    /// Builds the client and connects (Laravel Echo `new Echo({...})`).
    ///
    /// # Errors
    /// [`ConfigError`] when the options can never connect (no key, no host …);
    /// nothing is retried then.
    pub fn new(options: EchoOptions) -> Result<Self, ConfigError> {
        options.validate()?;
        let echo = Self {
            shared: Rc::new(RefCell::new(Shared {
                conn: Connection::new(options, page_is_https(), random_seed()),
                socket: None,
                socket_generation: 0,
                timer: None,
                events: Listeners::default(),
                errors: Listeners::default(),
                states: Listeners::default(),
                _page_events: Vec::new(),
            })),
        };
        echo.watch_page_events();
        echo.connect();
        Ok(echo)
    }

    /// Connects, or reconnects after [`disconnect`](Self::disconnect) with
    /// every channel and listener kept (Echo `connect()`).
    pub fn connect(&self) {
        self.shared.borrow_mut().conn.connect(Instant::now());
        self.drive();
    }

    /// Closes the connection; it stays closed until [`connect`](Self::connect)
    /// (Echo `disconnect()`).
    pub fn disconnect(&self) {
        self.shared.borrow_mut().conn.disconnect(Instant::now());
        self.drive();
    }

    /// The current connection state.
    pub fn connection_state(&self) -> ConnectionState {
        self.shared.borrow().conn.state()
    }

    /// The socket id while connected (Echo `socketId()`).
    pub fn socket_id(&self) -> Option<String> {
        self.shared.borrow().conn.socket_id().map(str::to_owned)
    }

    /// Calls `callback` with the new state on every state change (Echo
    /// `connector.onConnectionChange`).
    pub fn on_connection_change(&self, callback: impl Fn(ConnectionState) + 'static) -> ListenerHandle {
        let id = self.shared.borrow_mut().states.add(CONNECTION, ALL_EVENTS, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::State,
        }
    }

    /// Calls `callback` with every connection-level error (in-band
    /// `pusher:error`, refused connections, undecodable frames).
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
        self.subscribe(format!("private-{name}"))
    }

    fn subscribe(&self, name: String) -> Channel {
        self.shared.borrow_mut().conn.subscribe(&name, Instant::now());
        self.drive();
        Channel { echo: self.clone(), name }
    }

    /// Leaves `name` in all its forms: `name`, `private-name`,
    /// `private-encrypted-name` and `presence-name` (Echo `leave(name)`).
    pub fn leave(&self, name: &str) {
        for prefix in ["", "private-", "private-encrypted-", "presence-"] {
            self.leave_channel(&format!("{prefix}{name}"));
        }
    }

    /// Leaves exactly the channel `full_name` and drops its listeners
    /// (Echo `leaveChannel`).
    pub fn leave_channel(&self, full_name: &str) {
        {
            let mut shared = self.shared.borrow_mut();
            shared.conn.unsubscribe(full_name, Instant::now());
            shared.events.remove_channel(full_name);
            shared.errors.remove_channel(full_name);
        }
        self.drive();
    }

    /// Removes exactly the listener behind `handle`.
    pub fn stop_listening(&self, handle: ListenerHandle) {
        let mut shared = self.shared.borrow_mut();
        match handle.kind {
            ListenerKind::Event => shared.events.remove(handle.id),
            ListenerKind::Error => shared.errors.remove(handle.id),
            ListenerKind::State => shared.states.remove(handle.id),
        };
    }

    fn watch_page_events(&self) {
        let Some(window) = web_sys::window() else { return };
        let mut listeners = Vec::new();
        let mut targets: Vec<(web_sys::EventTarget, &str)> = vec![(window.clone().into(), "online")];
        if let Some(document) = window.document() {
            targets.push((document.into(), "visibilitychange"));
        }
        for (target, event) in targets {
            let weak = Rc::downgrade(&self.shared);
            listeners.push(gloo_events::EventListener::new(&target, event, move |_| {
                let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
                if hidden {
                    return;
                }
                if let Some(echo) = Echo::upgrade(&weak) {
                    echo.shared.borrow_mut().conn.check_liveness(Instant::now());
                    echo.drive();
                }
            }));
        }
        self.shared.borrow_mut()._page_events = listeners;
    }

    fn upgrade(weak: &Weak<RefCell<Shared>>) -> Option<Echo> {
        weak.upgrade().map(|shared| Echo { shared })
    }

    /// Runs the core's outputs until none is left, then re-arms the timer.
    /// Listeners run with no borrow held, so they may call back into `Echo`.
    fn drive(&self) {
        loop {
            let Ok(mut shared) = self.shared.try_borrow_mut() else { return };
            let Some(output) = shared.conn.poll_output() else {
                drop(shared);
                break;
            };
            match output {
                Output::OpenSocket { url } => {
                    shared.socket_generation += 1;
                    let generation = shared.socket_generation;
                    let old = shared.socket.take();
                    drop(shared);
                    drop(old);
                    match Socket::open(&url, Rc::downgrade(&self.shared), generation) {
                        Ok(socket) => self.shared.borrow_mut().socket = Some(socket),
                        Err(reason) => self.shared.borrow_mut().conn.handle_close(Instant::now(), None, &reason),
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
                    let options = shared.conn.options().clone();
                    drop(shared);
                    let weak = Rc::downgrade(&self.shared);
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = auth::authorize(&options, &channel, &socket_id).await;
                        if let Some(echo) = Echo::upgrade(&weak) {
                            echo.shared.borrow_mut().conn.handle_auth(&channel, &socket_id, result);
                            echo.drive();
                        }
                    });
                }
                Output::StateChange { current, .. } => {
                    let callbacks = shared.states.matching(CONNECTION, ALL_EVENTS);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(current));
                }
                Output::ConnectingIn(_) => {}
                Output::Subscribed { channel, data, .. } => {
                    let callbacks = shared.events.matching(&channel, SUBSCRIBED);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&data));
                }
                Output::SubscriptionError { channel, error } => {
                    let mut callbacks = shared.errors.matching(&channel, ALL_EVENTS);
                    callbacks.extend(shared.errors.matching(CONNECTION, ALL_EVENTS));
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&error));
                }
                Output::Event(frame) => {
                    let Some(channel) = frame.channel.as_deref() else { continue };
                    let callbacks = shared.events.matching(channel, &frame.event);
                    drop(shared);
                    callbacks.iter().for_each(|f| f(&frame.data));
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

    fn arm_timer(&self) {
        let Ok(mut shared) = self.shared.try_borrow_mut() else { return };
        shared.timer = shared.conn.poll_timeout().map(|deadline| {
            let wait = deadline.saturating_duration_since(Instant::now());
            let millis = u32::try_from(wait.as_millis()).unwrap_or(u32::MAX);
            let weak = Rc::downgrade(&self.shared);
            Timeout::new(millis, move || {
                if let Some(echo) = Echo::upgrade(&weak) {
                    echo.shared.borrow_mut().conn.handle_timeout(Instant::now());
                    echo.drive();
                }
            })
        });
    }

    /// Feeds one socket event to the core, if it comes from the current socket.
    fn socket_event(weak: &Weak<RefCell<Shared>>, generation: u64, event: socket::SocketEvent) {
        let Some(echo) = Echo::upgrade(weak) else { return };
        {
            let mut shared = echo.shared.borrow_mut();
            if shared.socket_generation != generation {
                return;
            }
            let now = Instant::now();
            match event {
                socket::SocketEvent::Open => shared.conn.handle_open(now),
                socket::SocketEvent::Message(text) => shared.conn.handle_message(now, &text),
                socket::SocketEvent::Binary => shared.conn.handle_binary(),
                socket::SocketEvent::Close { code, reason } => {
                    shared.socket = None;
                    shared.conn.handle_close(now, code, &reason);
                }
            }
        }
        echo.drive();
    }
}

/// A channel handle (Laravel Echo `PusherChannel`). Cheap to clone; listeners
/// stay registered until removed or the channel is left.
#[derive(Clone, Debug)]
pub struct Channel {
    echo: Echo,
    name: String,
}

impl Channel {
    /// The full channel name, prefix included.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Listens for `event`, formatted by Echo's rules (a leading `.` means
    /// verbatim, otherwise the namespace is prefixed). The callback gets the
    /// decoded `data` (Echo `listen`).
    pub fn listen(&self, event: &str, callback: impl Fn(&Value) + 'static) -> ListenerHandle {
        let mut shared = self.echo.shared.borrow_mut();
        let wire = format_event_name(shared.conn.options().namespace.as_deref(), event);
        let id = shared.events.add(&self.name, &wire, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Event,
        }
    }

    /// Removes exactly the listener behind `handle` (Echo `stopListening`).
    pub fn stop_listening(&self, handle: ListenerHandle) {
        self.echo.stop_listening(handle);
    }

    /// Calls `callback` after every successful subscription, including each
    /// one after a reconnect (Echo `subscribed`).
    pub fn subscribed(&self, callback: impl Fn() + 'static) -> ListenerHandle {
        let id = self
            .echo
            .shared
            .borrow_mut()
            .events
            .add(&self.name, SUBSCRIBED, Rc::new(move |_: &Value| callback()));
        ListenerHandle {
            id,
            kind: ListenerKind::Event,
        }
    }

    /// Calls `callback` when subscribing to this channel fails (Echo `error`).
    pub fn error(&self, callback: impl Fn(&EchoError) + 'static) -> ListenerHandle {
        let id = self.echo.shared.borrow_mut().errors.add(&self.name, ALL_EVENTS, Rc::new(callback));
        ListenerHandle {
            id,
            kind: ListenerKind::Error,
        }
    }
}
