//! [`FakeRuntime`]: an in-memory [`Runtime`] with a manual clock, a recorded
//! socket and a scripted server.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::{Rc, Weak};
use std::time::Duration;

use web_time::Instant;

use super::executor::Executor;
use super::server::FakeServer;
use crate::runtime::{LocalBoxFuture, Runtime, SocketEvent, SocketHandle, SocketSink};

/// How many steps [`FakeRuntime::run_until_idle`] takes at most before it
/// gives up on work that keeps making more work at the same instant.
const MAX_STEPS: usize = 100_000;

type TimerKey = (Duration, u64);
type LivenessCallbacks = Vec<(u64, Rc<dyn Fn()>)>;

pub(super) struct Delivery {
    socket: u64,
    sink: SocketSink,
    event: SocketEvent,
}

pub(super) struct State {
    pub(super) start: Instant,
    pub(super) elapsed: Cell<Duration>,
    pub(super) next_id: Cell<u64>,
    pub(super) timers: RefCell<BTreeMap<TimerKey, Box<dyn FnOnce()>>>,
    pub(super) executor: Executor,
    pub(super) server: RefCell<FakeServer>,
    /// The open socket: its id and where its events go.
    pub(super) socket: RefCell<Option<(u64, SocketSink)>>,
    pub(super) inbox: RefCell<VecDeque<Delivery>>,
    pub(super) urls: RefCell<Vec<String>>,
    pub(super) running: Cell<bool>,
    /// What [`Runtime::watch_liveness`] registered, by id.
    pub(super) liveness: RefCell<LivenessCallbacks>,
    /// What [`Runtime::warn`] was asked to show, in order.
    pub(super) warnings: RefCell<Vec<String>>,
    /// The page's readable cookies ([`Runtime::cookie`]).
    pub(super) cookies: RefCell<BTreeMap<String, String>>,
    /// The page's `localStorage` ([`Runtime::local_storage`]).
    local_storage: RefCell<BTreeMap<String, String>>,
    /// The page's meta tags ([`Runtime::meta_content`]).
    meta: RefCell<BTreeMap<String, String>>,
}

impl State {
    fn next_id(&self) -> u64 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        id
    }

    pub(super) fn current_socket(&self) -> Option<(u64, SocketSink)> {
        self.socket.borrow().clone()
    }

    /// Queues `frames` for the socket `socket`.
    pub(super) fn queue(&self, socket: u64, sink: &SocketSink, events: impl IntoIterator<Item = SocketEvent>) {
        let mut inbox = self.inbox.borrow_mut();
        inbox.extend(events.into_iter().map(|event| Delivery {
            socket,
            sink: sink.clone(),
            event,
        }));
    }

    /// The socket `id` is gone: the server forgets it, queued events for it
    /// are dropped.
    pub(super) fn forget_socket(&self, id: u64) {
        let mut socket = self.socket.borrow_mut();
        if socket.as_ref().is_some_and(|(current, _)| *current == id) {
            *socket = None;
            self.server.borrow_mut().close();
        }
        drop(socket);
        self.inbox.borrow_mut().retain(|d| d.socket != id);
    }
}

/// An in-memory [`Runtime`] for tests, the Rust counterpart of
/// pusher-js-mock:
///
/// - **clock**: manual; starts at the `Instant` it was created and moves only
///   with [`advance`](Self::advance), firing due timers in deadline order;
/// - **socket**: every frame the client sends is recorded
///   ([`sent_frames`](Self::sent_frames));
/// - **server**: scripted. It completes the handshake with
///   `pusher:connection_established` (socket ids `1234.5678`, `1235.5679` …
///   per connection, `activity_timeout` 120) unless
///   [`set_auto_handshake(false)`](Self::set_auto_handshake); answers
///   `pusher:subscribe` with `pusher_internal:subscription_succeeded` (on
///   presence channels with the [configured members](Self::set_members)
///   plus the subscriber); answers `pusher:ping` with `pusher:pong`; takes
///   `pusher:unsubscribe` silently;
/// - **futures**: [`spawn_local`](Runtime::spawn_local) queues them on a
///   single-threaded executor.
///
/// Nothing runs inside a client call: socket events, futures and timers due
/// now are queued and run by [`run_until_idle`](Self::run_until_idle), which
/// every action method here (and every [`FakeEcho`](super::FakeEcho) method)
/// calls. Cheap to clone; clones share one state. `random_seed` is fixed
/// (7), so reconnect delays repeat from run to run.
///
/// **One client per runtime**: the fake server holds one connection, as a
/// page holds one socket per client. A second client built on the same
/// runtime takes its socket over, and the first one's frames reach nothing.
/// Give each client its own `FakeRuntime` (two clients, two users: two
/// [`FakeEcho`](super::FakeEcho)s).
#[derive(Clone)]
pub struct FakeRuntime {
    pub(super) state: Rc<State>,
}

impl std::fmt::Debug for FakeRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeRuntime")
            .field("elapsed", &self.state.elapsed.get())
            .finish_non_exhaustive()
    }
}

impl Default for FakeRuntime {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeRuntime {
    /// A runtime at time zero, no socket open, the server answering on its
    /// own.
    pub fn new() -> Self {
        Self {
            state: Rc::new(State {
                start: Instant::now(),
                elapsed: Cell::new(Duration::ZERO),
                next_id: Cell::new(0),
                timers: RefCell::new(BTreeMap::new()),
                executor: Executor::default(),
                server: RefCell::new(FakeServer::default()),
                socket: RefCell::new(None),
                inbox: RefCell::new(VecDeque::new()),
                urls: RefCell::new(Vec::new()),
                running: Cell::new(false),
                liveness: RefCell::new(Vec::new()),
                warnings: RefCell::new(Vec::new()),
                cookies: RefCell::new(BTreeMap::new()),
                local_storage: RefCell::new(BTreeMap::new()),
                meta: RefCell::new(BTreeMap::new()),
            }),
        }
    }

    // ----- time and scheduling -------------------------------------------

    /// How far the clock has been advanced since creation.
    pub fn elapsed(&self) -> Duration {
        self.state.elapsed.get()
    }

    /// Moves the clock forward by `by`, firing every timer due on the way at
    /// its own deadline, in deadline order (then creation order), and running
    /// until idle after each.
    pub fn advance(&self, by: Duration) {
        let target = self.state.elapsed.get().saturating_add(by);
        for _ in 0..MAX_STEPS {
            self.run_until_idle();
            let next = self.state.timers.borrow().keys().next().map(|(deadline, _)| *deadline);
            match next {
                Some(deadline) if deadline <= target => {
                    self.state.elapsed.set(deadline.max(self.state.elapsed.get()));
                }
                _ => break,
            }
        }
        self.state.elapsed.set(target);
        self.run_until_idle();
    }

    /// Runs everything that can happen without the clock moving: queued
    /// socket events (in order), spawned futures that are ready, timers due
    /// now. Returns when nothing is left, or after a large step limit when
    /// the work keeps feeding itself. Called from inside a callback that
    /// this very method is running, it returns at once; the outer call
    /// picks up the work.
    pub fn run_until_idle(&self) {
        if self.state.running.replace(true) {
            return;
        }
        /// Clears the running flag even when a callback panics (a failed
        /// assertion in a listener), so the runtime stays usable.
        struct Running<'a>(&'a Cell<bool>);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                self.0.set(false);
            }
        }
        let _running = Running(&self.state.running);
        for _ in 0..MAX_STEPS {
            if !(self.deliver_next() || self.state.executor.poll_ready() || self.fire_next_due()) {
                break;
            }
        }
    }

    fn deliver_next(&self) -> bool {
        let Some(delivery) = self.state.inbox.borrow_mut().pop_front() else {
            return false;
        };
        (delivery.sink)(delivery.event);
        true
    }

    fn fire_next_due(&self) -> bool {
        let now = self.state.elapsed.get();
        let callback = {
            let mut timers = self.state.timers.borrow_mut();
            match timers.first_key_value() {
                Some((key, _)) if key.0 <= now => {
                    let key = *key;
                    timers.remove(&key)
                }
                _ => None,
            }
        };
        callback.map(|callback| callback()).is_some()
    }

    /// Timers armed and not fired or cancelled yet.
    pub fn pending_timers(&self) -> usize {
        self.state.timers.borrow().len()
    }

    /// Spawned futures not finished yet (an authorizer still waiting …).
    pub fn pending_tasks(&self) -> usize {
        self.state.executor.pending()
    }

    /// Sets a cookie the page can read (`document.cookie`), decoded, such as
    /// Laravel's `XSRF-TOKEN`; `None` removes it.
    pub fn set_cookie(&self, name: &str, value: Option<&str>) {
        let mut cookies = self.state.cookies.borrow_mut();
        match value {
            Some(value) => cookies.insert(name.to_owned(), value.to_owned()),
            None => cookies.remove(name),
        };
    }

    /// Stores `value` under `key` in the page's `localStorage` (the browser
    /// default token store is `"token"`); `None` removes it.
    pub fn set_local_storage(&self, key: &str, value: Option<&str>) {
        set(&self.state.local_storage, key, value);
    }

    /// Sets the page's `<meta name="{name}" content="{value}">` (Laravel's
    /// `csrf-token`); `None` removes it.
    pub fn set_meta(&self, name: &str, value: Option<&str>) {
        set(&self.state.meta, name, value);
    }

    /// The warnings clients on this runtime showed (`console.warn` in the
    /// browser), oldest first: an `Echo` dropped while connected, for one.
    pub fn warnings(&self) -> Vec<String> {
        self.state.warnings.borrow().clone()
    }

    /// The machine sleeps for `by` (a closed laptop lid, a frozen background
    /// tab): the clock jumps and no timer fires on the way. Timers that
    /// became overdue fire at the next run, as a browser's do on wake-up.
    /// Nothing is run here; follow with [`liveness_event`](Self::liveness_event)
    /// (what the browser sends on wake-up) or [`run_until_idle`](Self::run_until_idle).
    pub fn suspend(&self, by: Duration) {
        self.state.elapsed.set(self.state.elapsed.get().saturating_add(by));
    }

    /// The page became visible again or the browser came back online: calls
    /// what the client registered with [`Runtime::watch_liveness`] (the
    /// client checks liveness at once), then runs until idle.
    pub fn liveness_event(&self) {
        let callbacks: Vec<Rc<dyn Fn()>> = self.state.liveness.borrow().iter().map(|(_, f)| f.clone()).collect();
        callbacks.iter().for_each(|f| f());
        self.run_until_idle();
    }
}

/// The client's end of a fake socket.
struct FakeSocket {
    state: Weak<State>,
    id: u64,
}

impl SocketHandle for FakeSocket {
    fn send(&self, text: &str) {
        let Some(state) = self.state.upgrade() else { return };
        let Some((id, sink)) = state.current_socket().filter(|(id, _)| *id == self.id) else {
            return;
        };
        let answers = state.server.borrow_mut().receive(text);
        state.queue(id, &sink, answers.into_iter().map(SocketEvent::Message));
    }
}

impl Drop for FakeSocket {
    fn drop(&mut self) {
        if let Some(state) = self.state.upgrade() {
            state.forget_socket(self.id);
        }
    }
}

/// Stops a liveness watch when dropped.
struct LivenessGuard {
    state: Weak<State>,
    id: u64,
}

impl Drop for LivenessGuard {
    fn drop(&mut self) {
        let Some(state) = self.state.upgrade() else { return };
        if let Ok(mut liveness) = state.liveness.try_borrow_mut() {
            liveness.retain(|(id, _)| *id != self.id);
        };
    }
}

/// Cancels its timer when dropped.
struct TimerGuard {
    state: Weak<State>,
    key: TimerKey,
}

impl Drop for TimerGuard {
    fn drop(&mut self) {
        let Some(state) = self.state.upgrade() else { return };
        if let Ok(mut timers) = state.timers.try_borrow_mut() {
            timers.remove(&self.key);
        };
    }
}

impl Runtime for FakeRuntime {
    fn now(&self) -> Instant {
        self.state.start + self.state.elapsed.get()
    }

    fn warn(&self, message: &str) {
        self.state.warnings.borrow_mut().push(message.to_owned());
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.state.cookies.borrow().get(name).cloned()
    }

    fn local_storage(&self, key: &str) -> Option<String> {
        self.state.local_storage.borrow().get(key).cloned()
    }

    fn meta_content(&self, name: &str) -> Option<String> {
        self.state.meta.borrow().get(name).cloned()
    }

    fn open_socket(&self, url: &str, sink: SocketSink) -> Result<Box<dyn SocketHandle>, String> {
        let state = &self.state;
        if let Some((old, _)) = state.current_socket() {
            state.forget_socket(old);
        }
        let id = state.next_id();
        state.urls.borrow_mut().push(url.to_owned());
        *state.socket.borrow_mut() = Some((id, sink.clone()));
        let handshake = state.server.borrow_mut().open();
        let events = std::iter::once(SocketEvent::Open).chain(handshake.map(SocketEvent::Message));
        state.queue(id, &sink, events);
        Ok(Box::new(FakeSocket {
            state: Rc::downgrade(state),
            id,
        }))
    }

    fn set_timer(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Box<dyn Any> {
        let key = (self.state.elapsed.get().saturating_add(delay), self.state.next_id());
        self.state.timers.borrow_mut().insert(key, callback);
        Box::new(TimerGuard {
            state: Rc::downgrade(&self.state),
            key,
        })
    }

    fn spawn_local(&self, future: LocalBoxFuture<()>) {
        self.state.executor.spawn(future);
    }

    fn watch_liveness(&self, callback: Box<dyn Fn()>) -> Box<dyn Any> {
        let id = self.state.next_id();
        self.state.liveness.borrow_mut().push((id, Rc::from(callback)));
        Box::new(LivenessGuard {
            state: Rc::downgrade(&self.state),
            id,
        })
    }

    fn random_seed(&self) -> u64 {
        7
    }
}

/// Sets or (`None`) removes `key` in `map`.
fn set(map: &RefCell<BTreeMap<String, String>>, key: &str, value: Option<&str>) {
    let mut map = map.borrow_mut();
    match value {
        Some(value) => map.insert(key.to_owned(), value.to_owned()),
        None => map.remove(key),
    };
}
