//! The framework-neutral part of UI hooks over [`Echo`] (echo-leptos today,
//! echo-yew next): the app-wide client built lazily and replaced after a
//! sign-in, reference-counted channels shared by components, and the global
//! subscriber's table with TanStack's query-key prefix rule. A hooks crate
//! adds only its framework's reactivity and scheduling.
//!
//! The rules it keeps:
//!
//! - The client is built on first use by the app's factory; a factory that
//!   answers `None` (realtime off: no key, under SSR) is not asked again.
//! - Components on one channel share one subscription: the first
//!   [`acquire`](ChannelRegistry::acquire) subscribes, and the last
//!   [`release`](ChannelRegistry::release) leaves, but only after the
//!   framework's current render ([`DeferredLeave`]), so that an unmount and
//!   remount in one render keeps the subscription.
//! - [`disconnect`](ChannelRegistry::disconnect) (Laravel's
//!   `disconnectEcho` after a sign-in) disconnects the client, forgets every
//!   reference and starts a new *generation*: hooks take their channels
//!   again on the next client, and a release or deferred leave of an older
//!   generation does nothing.

mod hold;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use echo_proto::channel::{leave_names, ChannelKind};

use crate::{Channel, Echo};

pub use hold::{ChannelHold, HoldControl, HoldSpec, HoldStatus};

type Factory = Rc<dyn Fn() -> Option<Echo>>;

struct State {
    /// `None` once it answered `None`: realtime is off for good.
    factory: Option<Factory>,
    client: Option<Echo>,
    generation: u64,
    /// References held by hooks, by full channel name; an entry at 0 is
    /// waiting for its [`DeferredLeave`].
    counts: HashMap<String, usize>,
}

/// The app-wide client and the channels components hold on it, counted.
/// Cheap to clone (clones share it); single-threaded like [`Echo`].
///
/// ```
/// use echo_rs::hooks::ChannelRegistry;
/// use echo_rs::testing::FakeEcho;
///
/// let fake = FakeEcho::new("app-key")?;
/// let echo = fake.echo().clone();
/// let registry = ChannelRegistry::new(move || Some(echo.clone()));
/// let (generation, _rooms) = registry.acquire("rooms").expect("realtime is on");
/// let (_, _again) = registry.acquire("rooms").expect("realtime is on");
/// assert_eq!(fake.subscribe_count("rooms"), 1);
///
/// assert!(registry.release(generation, "rooms").is_none(), "another holder is left");
/// let leave = registry.release(generation, "rooms").expect("the last one");
/// leave.finish(); // after the framework's render
/// assert!(fake.subscriptions().is_empty());
/// # Ok::<(), echo_rs::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ChannelRegistry {
    state: Rc<RefCell<State>>,
}

impl ChannelRegistry {
    /// A registry whose client `factory` builds on first use, and again
    /// after each [`disconnect`](Self::disconnect). A factory answering
    /// `None` turns realtime off: every call below then does nothing.
    pub fn new(factory: impl Fn() -> Option<Echo> + 'static) -> Self {
        Self {
            state: Rc::new(RefCell::new(State {
                factory: Some(Rc::new(factory)),
                client: None,
                generation: 0,
                counts: HashMap::new(),
            })),
        }
    }

    /// The current generation: 0, then one more after each
    /// [`disconnect`](Self::disconnect).
    pub fn generation(&self) -> u64 {
        self.state.borrow().generation
    }

    /// The client, built on first call; `None` when realtime is off.
    pub fn client(&self) -> Option<Echo> {
        let factory = {
            let state = self.state.borrow();
            if let Some(client) = &state.client {
                return Some(client.clone());
            }
            state.factory.clone()?
        };
        // Not borrowed while the app's factory runs.
        let built = factory();
        let mut state = self.state.borrow_mut();
        match built {
            Some(client) => {
                state.client = Some(client.clone());
                Some(client)
            }
            None => {
                state.factory = None;
                None
            }
        }
    }

    /// Whether realtime is on (echo-react `echoIsConfigured`): builds the
    /// client if it was not yet.
    pub fn is_configured(&self) -> bool {
        self.client().is_some()
    }

    /// The client if it was built and is still of `generation`: what a
    /// hook's cleanup uses, since a client replaced since is not its
    /// business.
    pub fn client_of(&self, generation: u64) -> Option<Echo> {
        let state = self.state.borrow();
        if state.generation != generation {
            return None;
        }
        state.client.clone()
    }

    /// Takes a reference on `channel` (a full name: `private-…`), subscribing
    /// it on the first; returns the generation the reference belongs to and
    /// the channel. `None` when realtime is off.
    pub fn acquire(&self, channel: &str) -> Option<(u64, Channel)> {
        let client = self.client()?;
        let generation = {
            let mut state = self.state.borrow_mut();
            *state.counts.entry(channel.to_owned()).or_default() += 1;
            state.generation
        };
        // `subscribe` is idempotent; not borrowed while it runs listeners.
        Some((generation, client.subscribe(channel.to_owned())))
    }

    /// Drops a reference on `channel` taken in `generation`. When it was the
    /// last, returns the [`DeferredLeave`] to finish after the framework's
    /// current render; a reference of an older generation, or one not
    /// held, drops nothing.
    #[must_use = "finish the DeferredLeave after the current render, or the channel stays subscribed"]
    pub fn release(&self, generation: u64, channel: &str) -> Option<DeferredLeave> {
        let mut state = self.state.borrow_mut();
        if state.generation != generation {
            return None;
        }
        let count = state.counts.get_mut(channel)?;
        *count = count.saturating_sub(1);
        (*count == 0).then(|| DeferredLeave {
            registry: Rc::downgrade(&self.state),
            generation,
            channel: channel.to_owned(),
        })
    }

    /// Leaves the forms of `channel`'s name other than `channel` itself
    /// (Echo `leave(name)`: `name`, `private-name`, `private-encrypted-name`,
    /// `presence-name`) that the client has and no hook holds or is about to
    /// leave, on the client of `generation`.
    pub fn leave_other_forms(&self, generation: u64, channel: &str) {
        let Some(client) = self.client_of(generation) else { return };
        let base = ChannelKind::of(channel).strip_prefix(channel);
        let wanted = client.channel_names();
        let loose: Vec<String> = {
            let state = self.state.borrow();
            leave_names(base)
                .into_iter()
                .filter(|name| name != channel && wanted.contains(name) && !state.counts.contains_key(name))
                .collect()
        };
        loose.iter().for_each(|name| client.leave_channel(name));
    }

    /// How many references hooks hold on `channel`.
    pub fn channel_refs(&self, channel: &str) -> usize {
        self.state.borrow().counts.get(channel).copied().unwrap_or(0)
    }

    /// Disconnects and forgets the client and every reference, and starts a
    /// new generation: the next [`client`](Self::client) builds a fresh
    /// client (Laravel's `disconnectEcho`, e.g. with a new token after a
    /// sign-in).
    pub fn disconnect(&self) {
        let client = {
            let mut state = self.state.borrow_mut();
            state.counts.clear();
            state.generation += 1;
            state.client.take()
        };
        if let Some(client) = client {
            client.disconnect();
        }
    }

    /// The app is going: leaves every channel hooks still hold and closes
    /// the connection, rather than leak an open socket. The registry stays
    /// usable (a later use builds a new client).
    pub fn shutdown(&self) {
        let (client, channels) = {
            let mut state = self.state.borrow_mut();
            (state.client.take(), std::mem::take(&mut state.counts))
        };
        if let Some(client) = client {
            channels.keys().for_each(|channel| client.leave_channel(channel));
            client.disconnect();
        }
    }
}

/// The leave of a channel whose last reference was released
/// ([`ChannelRegistry::release`]): finish it after the framework's current
/// render, so that a component remounted meanwhile keeps the subscription.
#[derive(Debug)]
pub struct DeferredLeave {
    registry: Weak<RefCell<State>>,
    generation: u64,
    channel: String,
}

impl DeferredLeave {
    /// Leaves the channel unless a reference was taken on it again, the
    /// registry moved to a new generation, or is gone.
    pub fn finish(self) {
        let Some(state) = self.registry.upgrade() else { return };
        let client = {
            let mut state = state.borrow_mut();
            if state.generation != self.generation || state.counts.get(&self.channel) != Some(&0) {
                return;
            }
            state.counts.remove(&self.channel);
            state.client.clone()
        };
        if let Some(client) = client {
            client.leave_channel(&self.channel);
        }
    }
}

/// One row of a global subscriber's table (`{ channel, event, queryKey }`):
/// when `event` arrives on `channel`, every cached query whose key starts
/// with `prefix` is invalidated ([`key_matches_prefix`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalSubscription {
    /// The public channel name, e.g. `rooms`.
    pub channel: String,
    /// The event, Echo-formatted, e.g. `.RoomsUpdated`.
    pub event: String,
    /// The query-key prefix to invalidate, e.g. `["rooms"]`.
    pub prefix: Vec<String>,
}

impl GlobalSubscription {
    /// A row: `event` on `channel` invalidates the queries under `prefix`.
    pub fn new(channel: impl Into<String>, event: impl Into<String>, prefix: &[&str]) -> Self {
        Self {
            channel: channel.into(),
            event: event.into(),
            prefix: prefix.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// Whether the query key `key` starts with `prefix`, segment by segment
/// (TanStack Query's `invalidateQueries({ queryKey })` rule): `["rooms"]`
/// matches `["rooms", "home"]` and `["rooms"]`, not `["rooms-archive"]`
/// nor `["venues"]`.
pub fn key_matches_prefix(key: &[String], prefix: &[String]) -> bool {
    key.len() >= prefix.len() && key.iter().zip(prefix).all(|(a, b)| a == b)
}

/// A channel's visibility, as echo-react names it (`useEcho`'s
/// `visibility` argument): which prefix the hook adds to the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Visibility {
    /// `name` as given (`channel(name)`).
    Public,
    /// `private-{name}`, authorized through `/broadcasting/auth`
    /// (`private(name)`); echo-react's default, and the default of
    /// echo-leptos's and echo-yew's `use_echo` and `use_channel`.
    #[default]
    Private,
    /// `presence-{name}` (`join(name)`).
    Presence,
}

impl Visibility {
    /// `name` with this visibility's prefix unless it has it already:
    /// `Private` keeps a `private-…` or `presence-…` name (presence channels
    /// are private too), `Presence` keeps a `presence-…` name, `Public`
    /// keeps every name.
    pub fn full_name(self, name: &str) -> String {
        match self {
            Self::Public => name.to_owned(),
            Self::Private => ChannelKind::Private.ensure_prefix(name),
            Self::Presence => ChannelKind::Presence.ensure_prefix(name),
        }
    }
}

/// The events a hook listens for, as echo-react takes them (`event` or
/// `event[]`): one name (`".OrderShipped"`, a `String`) or several (an
/// array, a `Vec` or a slice of names).
pub trait EventNames {
    /// The names, in order.
    fn into_event_names(self) -> Vec<String>;
}

impl EventNames for &str {
    fn into_event_names(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl EventNames for String {
    fn into_event_names(self) -> Vec<String> {
        vec![self]
    }
}

impl<S: Into<String>, const N: usize> EventNames for [S; N] {
    fn into_event_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String>> EventNames for Vec<S> {
    fn into_event_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String> + Clone> EventNames for &[S] {
    fn into_event_names(self) -> Vec<String> {
        self.iter().cloned().map(Into::into).collect()
    }
}
