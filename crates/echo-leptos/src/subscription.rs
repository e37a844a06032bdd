//! What every channel hook is built on: a hook's hold on one reference of a
//! channel, the listeners it keeps there, and the controls it returns
//! ([`UseChannelReturn`]: `listen`, `stop_listening`, `leave_channel`,
//! `leave`, `join`, `channel`, `whisper`, `listen_for_whisper`).

use std::rc::Rc;

use echo_rs::proto::channel::{self, ChannelKind};
use echo_rs::{Channel, ClientEventRefusal, ConnectionState, EchoError, ListenerHandle, Subscription, Value};
use leptos::prelude::*;

use crate::context::{use_echo_context, EchoContext};

type Register = Box<dyn Fn(&Channel) -> Vec<ListenerHandle>>;
type Whisper = (String, Rc<dyn Fn(&Value)>);

/// What a hook puts on its channel.
pub(crate) struct Spec {
    /// Listeners kept for as long as the hook holds the channel, whether
    /// it listens or not (a presence roster).
    pub hold: Register,
    /// The hook's own event listeners, which `listen` / `stop_listening`
    /// add and remove.
    pub listen: Register,
    /// Runs when the hook lets the channel go (unmount, leave, a new
    /// channel name, a new client).
    pub release: Box<dyn Fn()>,
    /// Which of the channel's errors the hook's `error` signal shows: its
    /// failed subscriptions, and for typed hooks the events of theirs that
    /// did not decode.
    pub shows_error: Box<dyn Fn(&EchoError) -> bool>,
    /// The signal the hook's `error` is, when the hook writes it too (a
    /// typed hook clearing a decode error when an event decodes again).
    pub error: Option<RwSignal<Option<EchoError>>>,
}

impl Spec {
    /// A hook with only event listeners.
    pub fn listening(listen: impl Fn(&Channel) -> Vec<ListenerHandle> + 'static) -> Self {
        Self {
            hold: Box::new(|_| Vec::new()),
            listen: Box::new(listen),
            release: Box::new(|| {}),
            shows_error: Box::new(EchoError::is_subscription_failure),
            error: None,
        }
    }
}

/// The channel a hook holds.
struct Hold {
    generation: u64,
    channel: Channel,
    /// Status and `Spec::hold` listeners.
    kept: Vec<ListenerHandle>,
    /// `Spec::listen` and `listen_for_whisper` listeners, while listening.
    listening: Option<Vec<ListenerHandle>>,
}

struct State {
    /// The channel (full name) the hook's effect last asked for; `None` when
    /// disabled.
    wanted: Option<String>,
    /// Left by `leave_channel` / `leave`: not taken again until `join`,
    /// `listen` or a new channel name.
    left: bool,
    /// Whether the hook's listeners should be on (`listen` /
    /// `stop_listening`).
    listening: bool,
    hold: Option<Hold>,
    /// `listen_for_whisper` registrations, kept across holds.
    whispers: Vec<Whisper>,
}

/// What every echo-leptos channel hook returns (echo-react `useEcho`'s
/// `{ listen, stopListening, leaveChannel, leave, channel }`, and
/// `useChannel`'s): the subscription's state as signals, and controls an
/// event handler can call. `Copy`, so it moves into any number of closures.
///
/// The controls act on this hook only: other components on the same
/// channel share its subscription (reference-counted) and keep theirs.
/// A no-op handle (signals stay `false` / `None`, controls do nothing,
/// `whisper` refused) when realtime is disabled or under SSR.
#[derive(Clone, Copy)]
pub struct UseChannelReturn {
    /// `true` while the channel is subscribed on the current connection;
    /// `false` before, after a connection loss until subscribed again, and
    /// once the hook left it.
    pub subscribed: Signal<bool>,
    /// The last subscription success this hook saw on its current channel:
    /// [`Subscription::First`], or [`Subscription::Resubscription`] after a
    /// connection loss, when events were missed and data they keep fresh
    /// should be fetched again. `None` until subscribed and once the hook
    /// lets the channel go (a leave, a new channel name); `First` when
    /// joining a channel another component already subscribed.
    pub subscription: Signal<Option<Subscription>>,
    /// The last failed subscription, cleared by the next success: match it
    /// ([`EchoError::needs_sign_in`] for 401/419,
    /// [`EchoError::is_forbidden`] for 403, `SubscriptionTimeout`,
    /// `SubscriptionRefused` …); its `Display` is the message for people.
    /// For [`use_echo_model`](crate::use_echo_model), also the last of its
    /// events whose data did not decode ([`EchoError::Decode`]).
    pub error: Signal<Option<EchoError>>,
    /// Whether the hook listens while it holds the channel: `true` from the
    /// start, `false` after [`stop_listening`](Self::stop_listening) until
    /// [`listen`](Self::listen). A choice kept across a leave and a join:
    /// `subscribed` says whether the channel is held.
    pub listening: Signal<bool>,
    hook: Option<ChannelHook>,
}

/// The reactive parts of a hook's hold on a channel.
#[derive(Clone, Copy)]
pub(crate) struct ChannelHook {
    context: EchoContext,
    state: StoredValue<State, LocalStorage>,
    spec: StoredValue<Spec, LocalStorage>,
    subscribed: RwSignal<bool>,
    subscription: RwSignal<Option<Subscription>>,
    error: RwSignal<Option<EchoError>>,
    listening: RwSignal<bool>,
}

/// Holds the channel `channel` yields (a full name; `None` = off) while the
/// component is mounted, with `spec`'s listeners. Re-runs only when
/// `channel` or the client generation changes: a handler captured anew on
/// each render never resubscribes, because hooks keep handlers in stored
/// values (laravel/echo #539).
pub(crate) fn use_channel_hook(channel: impl Fn() -> Option<String> + 'static, spec: Spec) -> UseChannelReturn {
    let subscribed = RwSignal::new(false);
    let subscription = RwSignal::new(None);
    let error = spec.error.unwrap_or_else(|| RwSignal::new(None));
    let listening = RwSignal::new(true);
    let Some(context) = use_echo_context() else {
        return UseChannelReturn {
            subscribed: subscribed.into(),
            subscription: subscription.into(),
            error: error.into(),
            listening: listening.into(),
            hook: None,
        };
    };
    let hook = ChannelHook {
        context,
        state: StoredValue::new_local(State {
            wanted: None,
            left: false,
            listening: true,
            hold: None,
            whispers: Vec::new(),
        }),
        spec: StoredValue::new_local(spec),
        subscribed,
        subscription,
        error,
        listening,
    };
    let channel = StoredValue::new_local(Box::new(channel) as Box<dyn Fn() -> Option<String>>);
    Effect::new(move |_| {
        context.generation(); // tracked: move to a new client
        let wanted = channel.with_value(|f| f());
        hook.state.update_value(|state| {
            if state.wanted != wanted {
                state.left = false;
            }
            state.wanted = wanted;
        });
        // Untracked: what the listeners read must not resubscribe.
        untrack(|| hook.take());
        on_cleanup(move || hook.release(false));
    });
    UseChannelReturn {
        subscribed: subscribed.into(),
        subscription: subscription.into(),
        error: error.into(),
        listening: listening.into(),
        hook: Some(hook),
    }
}

impl ChannelHook {
    /// Takes a reference on the wanted channel and puts the listeners on,
    /// unless held already, left, disabled or realtime is off.
    fn take(&self) {
        let Some(Some(name)) = self
            .state
            .try_with_value(|s| (s.hold.is_none() && !s.left).then(|| s.wanted.clone()).flatten())
        else {
            return;
        };
        let Some((generation, channel)) = self.context.acquire(&name) else {
            return;
        };
        let Self {
            subscribed,
            subscription,
            error,
            spec,
            ..
        } = *self;
        subscribed.set(channel.is_subscribed());
        // Subscribed by another component already: this hook's first.
        subscription.set(channel.is_subscribed().then_some(Subscription::First));
        let mut kept = vec![
            channel.subscribed(move |kind| {
                subscribed.set(true);
                subscription.set(Some(kind));
                error.set(None);
            }),
            channel.error(move |e| {
                if e.is_subscription_failure() {
                    subscribed.set(false);
                }
                if spec.with_value(|spec| (spec.shows_error)(e)) {
                    error.set(Some(e.clone()));
                }
            }),
            channel.echo().on_connection_change(move |state| {
                if state != ConnectionState::Connected {
                    subscribed.set(false);
                }
            }),
        ];
        kept.extend(self.spec.with_value(|spec| (spec.hold)(&channel)));
        self.state.update_value(|s| {
            s.hold = Some(Hold {
                generation,
                channel,
                kept,
                listening: None,
            })
        });
        if self.state.with_value(|s| s.listening) {
            self.listen_on();
        }
    }

    /// Puts the listening listeners on the held channel.
    fn listen_on(&self) {
        let Some(Some(channel)) = self
            .state
            .try_with_value(|s| s.hold.as_ref().filter(|h| h.listening.is_none()).map(|h| h.channel.clone()))
        else {
            return;
        };
        let mut handles = self.spec.with_value(|spec| (spec.listen)(&channel));
        let whispers = self.state.with_value(|s| s.whispers.clone());
        handles.extend(
            whispers
                .into_iter()
                .map(|(event, f)| channel.listen_for_whisper(&event, move |data| f(data))),
        );
        self.state.update_value(|s| {
            if let Some(hold) = &mut s.hold {
                hold.listening = Some(handles);
            }
        });
    }

    /// Takes the listening listeners off the held channel.
    fn listen_off(&self) {
        let Some(Some((channel, handles))) = self.state.try_update_value(|s| {
            let hold = s.hold.as_mut()?;
            Some((hold.channel.clone(), hold.listening.take()?))
        }) else {
            return;
        };
        handles.into_iter().for_each(|h| {
            channel.echo().stop_listening(h);
        });
    }

    /// Lets the channel go: every listener of this hook off, its reference
    /// dropped (the channel is left when it was the last), and with
    /// `leave_all` the channel's other forms (`private-`, `presence-` …)
    /// left too when no other hook holds them.
    fn release(&self, leave_all: bool) {
        let Some(Some(hold)) = self.state.try_update_value(|s| s.hold.take()) else {
            return;
        };
        let Hold {
            generation,
            channel,
            kept,
            listening,
        } = hold;
        // On the channel's own client, even one replaced since: listeners
        // left on it would keep it (and what they capture) alive. Through
        // the client: some are connection listeners, not the channel's.
        kept.into_iter().chain(listening.into_iter().flatten()).for_each(|h| {
            channel.echo().stop_listening(h);
        });
        let name = channel.name().to_owned();
        self.context.release(generation, &name);
        if leave_all {
            self.context.leave_other_forms(generation, &name);
        }
        let _ = self.spec.try_with_value(|spec| (spec.release)());
        self.subscribed.try_set(false);
        self.subscription.try_set(None);
        self.error.try_set(None);
    }
}

impl UseChannelReturn {
    /// The hook, unless realtime is off or its component is gone (a
    /// control called later, from a task or a timer, does nothing).
    fn live(&self) -> Option<ChannelHook> {
        self.hook.filter(|hook| hook.state.try_with_value(|_| ()).is_some())
    }

    /// Puts this hook's listeners back on after
    /// [`stop_listening`](Self::stop_listening) (echo-react `listen`); after
    /// [`leave_channel`](Self::leave_channel) it joins the channel again
    /// first. Does nothing while listening.
    pub fn listen(&self) {
        let Some(hook) = self.live() else { return };
        hook.listening.try_set(true);
        hook.state.update_value(|s| {
            s.listening = true;
            s.left = false;
        });
        hook.take();
        hook.listen_on();
    }

    /// Takes this hook's listeners off, keeping the channel subscribed
    /// (echo-react `stopListening`): events arriving meanwhile are not
    /// heard by it. [`listen`](Self::listen) resumes.
    pub fn stop_listening(&self) {
        let Some(hook) = self.live() else { return };
        hook.listening.try_set(false);
        hook.state.update_value(|s| s.listening = false);
        hook.listen_off();
    }

    /// Leaves the channel early (echo-react `leaveChannel()`): this hook's
    /// listeners go and its reference is dropped, so the channel is
    /// unsubscribed unless another component holds it. The hook stays out
    /// until [`join`](Self::join) or [`listen`](Self::listen), its channel
    /// name changes, or its `enabled` option goes off and on again.
    pub fn leave_channel(&self) {
        let Some(hook) = self.live() else { return };
        hook.state.update_value(|s| s.left = true);
        hook.release(false);
    }

    /// [`leave_channel`](Self::leave_channel), and also leaves the
    /// channel's other forms (`name`, `private-name`,
    /// `private-encrypted-name`, `presence-name`; Echo `leave(name)`,
    /// echo-react `leave()`). Unlike echo-react, a form another component
    /// still holds is kept: leaving it would silence that component.
    pub fn leave(&self) {
        let Some(hook) = self.live() else { return };
        hook.state.update_value(|s| s.left = true);
        hook.release(true);
    }

    /// Takes the channel again after [`leave_channel`](Self::leave_channel)
    /// or [`leave`](Self::leave), with the listeners on unless
    /// [`stop_listening`](Self::stop_listening) was called. Does nothing
    /// while held.
    pub fn join(&self) {
        let Some(hook) = self.live() else { return };
        hook.state.update_value(|s| s.left = false);
        hook.take();
    }

    /// The channel this hook holds (echo-react `channel()`), for anything
    /// the hooks do not cover; `None` when not held (left, disabled,
    /// realtime off, under SSR). Listeners added through it are the app's
    /// to remove: prefer [`listen_for_whisper`](Self::listen_for_whisper).
    pub fn channel(&self) -> Option<Channel> {
        let hook = self.hook?;
        hook.state.try_with_value(|s| s.hold.as_ref().map(|h| h.channel.clone())).flatten()
    }

    /// Sends the client event `client-{event}` to the channel's other
    /// subscribers (Echo `whisper`; private and presence channels).
    ///
    /// # Errors
    /// [`EchoError::ClientEvent`], nothing sent: `NotSubscribed` while the
    /// hook does not hold a subscribed channel, and the client's own
    /// refusals (`ChannelKind` on public channels, `TooLarge`,
    /// `RateLimited`).
    pub fn whisper(&self, event: &str, data: &Value) -> Result<(), EchoError> {
        match self.channel() {
            Some(channel) => channel.whisper(event, data),
            None => {
                let name = self.hook.and_then(|h| h.state.try_with_value(|s| s.wanted.clone()).flatten());
                Err(EchoError::ClientEvent {
                    channel: name.unwrap_or_default(),
                    event: channel::client_event_name(event),
                    cause: ClientEventRefusal::NotSubscribed,
                })
            }
        }
    }

    /// Listens for the whisper `client-{event}` (Echo `listenForWhisper`)
    /// for as long as the component is mounted: kept across a channel
    /// change, a new client and [`join`](Self::join), and switched off and
    /// on with [`stop_listening`](Self::stop_listening) /
    /// [`listen`](Self::listen) like the hook's other listeners. Call it
    /// once, where the hook is called, not in an effect: each call adds a
    /// listener, until
    /// [`stop_listening_for_whisper`](Self::stop_listening_for_whisper).
    pub fn listen_for_whisper(&self, event: &str, on_whisper: impl Fn(&Value) + 'static) {
        let Some(hook) = self.live() else { return };
        let callback: Rc<dyn Fn(&Value)> = Rc::new(on_whisper);
        hook.state.update_value(|s| s.whispers.push((event.to_owned(), callback.clone())));
        let listening_on = hook
            .state
            .with_value(|s| s.hold.as_ref().and_then(|h| h.listening.as_ref().map(|_| h.channel.clone())));
        if let Some(channel) = listening_on {
            let handle = channel.listen_for_whisper(event, move |data| callback(data));
            hook.state.update_value(|s| {
                if let Some(listening) = s.hold.as_mut().and_then(|h| h.listening.as_mut()) {
                    listening.push(handle);
                }
            });
        }
    }

    /// Removes this hook's whisper listeners for `event` (Echo
    /// `stopListeningForWhisper(event)`), now and for later joins; other
    /// components' listeners stay.
    pub fn stop_listening_for_whisper(&self, event: &str) {
        let Some(hook) = self.live() else { return };
        let event = channel::client_event_name(event);
        let is_event = |(e, _): &Whisper| channel::client_event_name(e) == event;
        if !hook.state.with_value(|s| s.whispers.iter().any(is_event)) {
            return;
        }
        hook.state.update_value(|s| s.whispers.retain(|w| !is_event(w)));
        // Put back the hook's listeners without those.
        if hook.state.with_value(|s| s.hold.as_ref().is_some_and(|h| h.listening.is_some())) {
            hook.listen_off();
            hook.listen_on();
        }
    }
}

/// A channel's visibility, as echo-react names it (`useEcho`'s
/// `visibility` argument): which prefix the hook adds to the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Visibility {
    /// `name` as given (`channel(name)`).
    Public,
    /// `private-{name}`, authorized through `/broadcasting/auth`
    /// (`private(name)`); echo-react's default, and this crate's for
    /// [`use_echo`](crate::use_echo) and [`use_channel`](crate::use_channel).
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

/// `name` with `private-` in front when `private` is set and it is not
/// already a private or presence name (the core's channel naming rule).
pub(crate) fn full_name(name: &str, private: bool) -> String {
    let visibility = if private { Visibility::Private } else { Visibility::Public };
    visibility.full_name(name)
}
