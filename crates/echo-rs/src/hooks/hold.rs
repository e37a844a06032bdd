//! One hook's hold on one channel, with echo-react's controls: what every
//! channel hook of echo-leptos and echo-yew is, minus the framework's
//! reactivity (a status callback) and scheduling (a deferred-leave
//! callback).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use echo_proto::channel;

use super::{ChannelRegistry, DeferredLeave};
use crate::{Channel, ClientEventRefusal, ConnectionState, EchoError, ListenerHandle, Subscription, Value};

type Register = Box<dyn Fn(&Channel, &HoldControl) -> Vec<ListenerHandle>>;
type Whisper = (String, Rc<dyn Fn(&Value)>);

/// What a hook puts on the channel it holds.
pub struct HoldSpec {
    /// Listeners kept for as long as the hook holds the channel, whether it
    /// listens or not (a presence roster).
    pub hold: Register,
    /// The hook's own event listeners, which `listen` / `stop_listening`
    /// add and remove.
    pub listen: Register,
    /// Runs when the hook lets the channel go (a leave, a new channel name,
    /// a new client, unmount).
    pub release: Box<dyn Fn()>,
    /// Which of the channel's errors the status's `error` shows: failed
    /// subscriptions, and for typed hooks their own events' decode errors.
    pub shows_error: Box<dyn Fn(&EchoError) -> bool>,
}

impl HoldSpec {
    /// A hook with only event listeners, showing failed subscriptions.
    pub fn listening(listen: impl Fn(&Channel, &HoldControl) -> Vec<ListenerHandle> + 'static) -> Self {
        Self {
            hold: Box::new(|_, _| Vec::new()),
            listen: Box::new(listen),
            release: Box::new(|| {}),
            shows_error: Box::new(EchoError::is_subscription_failure),
        }
    }
}

/// A hook's view of its channel, reported through the status callback of
/// [`ChannelHold::new`] each time it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldStatus {
    /// The channel is held and subscribed on the current connection.
    pub subscribed: bool,
    /// The last subscription success seen on the current channel (`First`
    /// when joining one another hook subscribed); `None` until then and
    /// once the channel is let go.
    pub subscription: Option<Subscription>,
    /// The last error [`HoldSpec::shows_error`] accepts, cleared by the next
    /// subscription success (or by [`HoldControl::clear_error_if`]).
    pub error: Option<EchoError>,
    /// Whether the hook listens while it holds the channel (`listen` /
    /// `stop_listening`, kept across a leave and a join).
    pub listening: bool,
}

struct Held {
    generation: u64,
    channel: Channel,
    /// Status and `HoldSpec::hold` listeners.
    kept: Vec<ListenerHandle>,
    /// `HoldSpec::listen` and whisper listeners, while listening.
    listening: Option<Vec<ListenerHandle>>,
}

struct Inner {
    /// The channel (full name) the hook asks for; `None` when disabled.
    wanted: Option<String>,
    /// Left by `leave_channel` / `leave`: not taken again until `join`,
    /// `listen` or a new channel name.
    left: bool,
    held: Option<Held>,
    whispers: Vec<Whisper>,
    status: HoldStatus,
}

struct Shared {
    inner: RefCell<Inner>,
    spec: HoldSpec,
    on_status: Box<dyn Fn(&HoldStatus)>,
    defer: Box<dyn Fn(DeferredLeave)>,
}

/// One hook's hold on one channel of a [`ChannelRegistry`] (echo-react
/// `useEcho` / `useChannel` and the controls they return). Cheap to clone.
///
/// The framework calls [`want`](Self::want) and [`take`](Self::take) when
/// the hook's channel or the client's generation changes, and
/// [`release`](Self::release) in the cleanup; the app calls the controls.
/// The status callback runs after each change; the defer callback gets the
/// leave of a channel whose last reference went, to finish after the
/// framework's render.
#[derive(Clone)]
pub struct ChannelHold {
    shared: Rc<Shared>,
    registry: ChannelRegistry,
}

/// What a [`HoldSpec`]'s listeners may do to the hold: a weak handle, so
/// that listeners never keep it alive.
#[derive(Clone)]
pub struct HoldControl {
    shared: Weak<Shared>,
}

impl HoldControl {
    /// Clears the status's error if `which` accepts it, e.g. a decode
    /// error once an event decodes again.
    pub fn clear_error_if(&self, which: impl FnOnce(&EchoError) -> bool) {
        if let Some(shared) = self.shared.upgrade() {
            update(&shared, |s| {
                if s.error.as_ref().is_some_and(which) {
                    s.error = None;
                }
            });
        }
    }
}

/// Changes the status and reports it, with nothing borrowed meanwhile.
fn update(shared: &Shared, change: impl FnOnce(&mut HoldStatus)) {
    let status = {
        let Ok(mut inner) = shared.inner.try_borrow_mut() else { return };
        let before = inner.status.clone();
        change(&mut inner.status);
        (inner.status != before).then(|| inner.status.clone())
    };
    if let Some(status) = status {
        (shared.on_status)(&status);
    }
}

impl ChannelHold {
    /// A hold on no channel yet, listening, over `registry`.
    pub fn new(
        registry: ChannelRegistry,
        spec: HoldSpec,
        on_status: impl Fn(&HoldStatus) + 'static,
        defer: impl Fn(DeferredLeave) + 'static,
    ) -> Self {
        Self {
            shared: Rc::new(Shared {
                inner: RefCell::new(Inner {
                    wanted: None,
                    left: false,
                    held: None,
                    whispers: Vec::new(),
                    status: HoldStatus {
                        subscribed: false,
                        subscription: None,
                        error: None,
                        listening: true,
                    },
                }),
                spec,
                on_status: Box::new(on_status),
                defer: Box::new(defer),
            }),
            registry,
        }
    }

    fn control(&self) -> HoldControl {
        HoldControl {
            shared: Rc::downgrade(&self.shared),
        }
    }

    /// The current status.
    pub fn status(&self) -> HoldStatus {
        self.shared.inner.borrow().status.clone()
    }

    /// Sets the channel the hook asks for (a full name; `None` = off). A new
    /// name ends an earlier leave. Takes nothing: call [`take`](Self::take).
    pub fn want(&self, name: Option<String>) {
        let mut inner = self.shared.inner.borrow_mut();
        if inner.wanted != name {
            inner.left = false;
        }
        inner.wanted = name;
    }

    /// Takes a reference on the wanted channel and puts the listeners on,
    /// unless held already, left, disabled or realtime is off.
    pub fn take(&self) {
        let name = {
            let inner = self.shared.inner.borrow();
            if inner.held.is_some() || inner.left {
                return;
            }
            let Some(name) = inner.wanted.clone() else { return };
            name
        };
        let Some((generation, channel)) = self.registry.acquire(&name) else {
            return;
        };
        let subscribed_now = channel.is_subscribed();
        let (on_subscribed, on_error, on_state) = (self.control(), self.control(), self.control());
        let mut kept = vec![
            channel.subscribed(move |kind| {
                if let Some(shared) = on_subscribed.shared.upgrade() {
                    update(&shared, |s| {
                        s.subscribed = true;
                        s.subscription = Some(kind);
                        s.error = None;
                    });
                }
            }),
            channel.error(move |e| {
                let Some(shared) = on_error.shared.upgrade() else { return };
                let shown = (shared.spec.shows_error)(e);
                update(&shared, |s| {
                    if e.is_subscription_failure() {
                        s.subscribed = false;
                    }
                    if shown {
                        s.error = Some(e.clone());
                    }
                });
            }),
            channel.echo().on_connection_change(move |state| {
                if state != ConnectionState::Connected {
                    if let Some(shared) = on_state.shared.upgrade() {
                        update(&shared, |s| s.subscribed = false);
                    }
                }
            }),
        ];
        kept.extend((self.shared.spec.hold)(&channel, &self.control()));
        let listening = {
            let mut inner = self.shared.inner.borrow_mut();
            inner.held = Some(Held {
                generation,
                channel,
                kept,
                listening: None,
            });
            inner.status.listening
        };
        update(&self.shared, |s| {
            s.subscribed = subscribed_now;
            // Subscribed by another hook already: this hook's first.
            s.subscription = subscribed_now.then_some(Subscription::First);
        });
        if listening {
            self.listen_on();
        }
    }

    /// Puts the listening listeners on the held channel.
    fn listen_on(&self) {
        let (channel, whispers) = {
            let inner = self.shared.inner.borrow();
            let Some(held) = inner.held.as_ref().filter(|h| h.listening.is_none()) else {
                return;
            };
            (held.channel.clone(), inner.whispers.clone())
        };
        let mut handles = (self.shared.spec.listen)(&channel, &self.control());
        handles.extend(
            whispers
                .into_iter()
                .map(|(event, f)| channel.listen_for_whisper(&event, move |data| f(data))),
        );
        if let Some(held) = self.shared.inner.borrow_mut().held.as_mut() {
            held.listening = Some(handles);
        }
    }

    /// Takes the listening listeners off the held channel.
    fn listen_off(&self) {
        let taken = {
            let mut inner = self.shared.inner.borrow_mut();
            inner.held.as_mut().and_then(|h| Some((h.channel.clone(), h.listening.take()?)))
        };
        if let Some((channel, handles)) = taken {
            handles.into_iter().for_each(|h| {
                channel.echo().stop_listening(h);
            });
        }
    }

    /// Lets the channel go: every listener of this hook off, its reference
    /// dropped (the channel is left after the render when it was the last),
    /// and with `leave_all` the name's other forms that no hook holds.
    pub fn release(&self, leave_all: bool) {
        let Some(held) = self.shared.inner.borrow_mut().held.take() else {
            return;
        };
        let Held {
            generation,
            channel,
            kept,
            listening,
        } = held;
        // Through the client, on the channel's own client even if replaced
        // since: some are connection listeners, and listeners left behind
        // would keep the client (and what they capture) alive.
        kept.into_iter().chain(listening.into_iter().flatten()).for_each(|h| {
            channel.echo().stop_listening(h);
        });
        if let Some(leave) = self.registry.release(generation, channel.name()) {
            (self.shared.defer)(leave);
        }
        if leave_all {
            self.registry.leave_other_forms(generation, channel.name());
        }
        (self.shared.spec.release)();
        update(&self.shared, |s| {
            s.subscribed = false;
            s.subscription = None;
            s.error = None;
        });
    }

    /// Puts the hook's listeners back on after
    /// [`stop_listening`](Self::stop_listening) (echo-react `listen`); after
    /// a leave it joins the channel again first.
    pub fn listen(&self) {
        self.shared.inner.borrow_mut().left = false;
        update(&self.shared, |s| s.listening = true);
        self.take();
        self.listen_on();
    }

    /// Takes the hook's listeners off, keeping the channel (echo-react
    /// `stopListening`).
    pub fn stop_listening(&self) {
        update(&self.shared, |s| s.listening = false);
        self.listen_off();
    }

    /// Leaves early (echo-react `leaveChannel()`): the hook's reference goes;
    /// it stays out until `join`, `listen` or a new channel name.
    pub fn leave_channel(&self) {
        self.shared.inner.borrow_mut().left = true;
        self.release(false);
    }

    /// [`leave_channel`](Self::leave_channel), and leaves the name's other
    /// forms no other hook holds (Echo `leave(name)`).
    pub fn leave(&self) {
        self.shared.inner.borrow_mut().left = true;
        self.release(true);
    }

    /// Takes the channel again after a leave.
    pub fn join(&self) {
        self.shared.inner.borrow_mut().left = false;
        self.take();
    }

    /// The held channel, if any.
    pub fn channel(&self) -> Option<Channel> {
        self.shared.inner.borrow().held.as_ref().map(|h| h.channel.clone())
    }

    /// Sends the whisper `client-{event}` on the held channel (Echo
    /// `whisper`).
    ///
    /// # Errors
    /// [`EchoError::ClientEvent`], nothing sent: `NotSubscribed` while no
    /// subscribed channel is held, and the client's own refusals.
    pub fn whisper(&self, event: &str, data: &Value) -> Result<(), EchoError> {
        match self.channel() {
            Some(channel) => channel.whisper(event, data),
            None => Err(EchoError::ClientEvent {
                channel: self.shared.inner.borrow().wanted.clone().unwrap_or_default(),
                event: channel::client_event_name(event),
                cause: ClientEventRefusal::NotSubscribed,
            }),
        }
    }

    /// Listens for the whisper `client-{event}` for as long as the hook
    /// lives, across channel changes and joins, paused by `stop_listening`.
    pub fn listen_for_whisper(&self, event: &str, on_whisper: impl Fn(&Value) + 'static) {
        let callback: Rc<dyn Fn(&Value)> = Rc::new(on_whisper);
        let listening_on = {
            let mut inner = self.shared.inner.borrow_mut();
            inner.whispers.push((event.to_owned(), callback.clone()));
            inner.held.as_ref().and_then(|h| h.listening.as_ref().map(|_| h.channel.clone()))
        };
        if let Some(channel) = listening_on {
            let handle = channel.listen_for_whisper(event, move |data| callback(data));
            if let Some(listening) = self.shared.inner.borrow_mut().held.as_mut().and_then(|h| h.listening.as_mut()) {
                listening.push(handle);
            }
        }
    }

    /// Removes the hook's whisper listeners for `event` (Echo
    /// `stopListeningForWhisper(event)`).
    pub fn stop_listening_for_whisper(&self, event: &str) {
        let event = channel::client_event_name(event);
        let is_event = |(e, _): &Whisper| channel::client_event_name(e) == event;
        let relisten = {
            let mut inner = self.shared.inner.borrow_mut();
            if !inner.whispers.iter().any(is_event) {
                return;
            }
            inner.whispers.retain(|w| !is_event(w));
            inner.held.as_ref().is_some_and(|h| h.listening.is_some())
        };
        if relisten {
            self.listen_off();
            self.listen_on();
        }
    }
}
