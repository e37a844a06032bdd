//! What every channel hook is built on: echo-rs's framework-neutral
//! [`ChannelHold`] (one hook's hold on a channel, with echo-react's
//! controls), its status turned into signals and its deferred leaves run
//! after Leptos's tick. Hooks return [`UseChannelReturn`].

use echo_rs::hooks::{ChannelHold, HoldSpec, HoldStatus, Visibility};
use echo_rs::proto::channel;
use echo_rs::{Channel, ClientEventRefusal, EchoError, Subscription, Value};
use leptos::prelude::*;

use crate::context::use_echo_context;

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
    hook: Option<StoredValue<ChannelHold, LocalStorage>>,
}

/// Holds the channel `channel` yields (a full name; `None` = off) while the
/// component is mounted, with `spec`'s listeners. Re-runs only when
/// `channel` or the client generation changes: a handler captured anew on
/// each render never resubscribes, because hooks keep handlers in stored
/// values (laravel/echo #539).
pub(crate) fn use_channel_hook(channel: impl Fn() -> Option<String> + 'static, spec: HoldSpec) -> UseChannelReturn {
    let subscribed = RwSignal::new(false);
    let subscription = RwSignal::new(None);
    let error = RwSignal::new(None);
    let listening = RwSignal::new(true);
    let signals = UseChannelReturn {
        subscribed: subscribed.into(),
        subscription: subscription.into(),
        error: error.into(),
        listening: listening.into(),
        hook: None,
    };
    let Some(context) = use_echo_context() else { return signals };
    let Some(registry) = context.registry() else { return signals };
    let on_status = move |status: &HoldStatus| {
        set_if_changed(subscribed, status.subscribed);
        set_if_changed(subscription, status.subscription);
        set_if_changed(error, status.error.clone());
        set_if_changed(listening, status.listening);
    };
    let defer = |leave: echo_rs::hooks::DeferredLeave| {
        // After the tick: an unmount and remount in one tick keeps it.
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            leave.finish();
        });
    };
    let hook = StoredValue::new_local(ChannelHold::new(registry, spec, on_status, defer));
    let channel = StoredValue::new_local(Box::new(channel) as Box<dyn Fn() -> Option<String>>);
    Effect::new(move |_| {
        context.generation(); // tracked: move to a new client
        let wanted = channel.with_value(|f| f());
        let Some(hold) = hook.try_get_value() else { return };
        hold.want(wanted);
        // Untracked: what the listeners read must not resubscribe.
        untrack(|| hold.take());
        on_cleanup(move || {
            if let Some(hold) = hook.try_get_value() {
                hold.release(false);
            }
        });
    });
    UseChannelReturn {
        hook: Some(hook),
        ..signals
    }
}

/// Sets `signal` unless it holds `value` already (or is gone), so that
/// readers re-run only on a change.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.try_with_untracked(|current| *current != value) == Some(true) {
        signal.try_set(value);
    }
}

impl UseChannelReturn {
    /// The hook's hold, unless realtime is off or its component is gone (a
    /// control called later, from a task or a timer, does nothing).
    fn live(&self) -> Option<ChannelHold> {
        self.hook?.try_get_value()
    }

    /// Puts this hook's listeners back on after
    /// [`stop_listening`](Self::stop_listening) (echo-react `listen`); after
    /// [`leave_channel`](Self::leave_channel) it joins the channel again
    /// first. Does nothing while listening.
    pub fn listen(&self) {
        if let Some(hold) = self.live() {
            hold.listen();
        }
    }

    /// Takes this hook's listeners off, keeping the channel subscribed
    /// (echo-react `stopListening`): events arriving meanwhile are not
    /// heard by it. [`listen`](Self::listen) resumes.
    pub fn stop_listening(&self) {
        if let Some(hold) = self.live() {
            hold.stop_listening();
        }
    }

    /// Leaves the channel early (echo-react `leaveChannel()`): this hook's
    /// listeners go and its reference is dropped, so the channel is
    /// unsubscribed unless another component holds it. The hook stays out
    /// until [`join`](Self::join) or [`listen`](Self::listen), its channel
    /// name changes, or its `enabled` option goes off and on again.
    pub fn leave_channel(&self) {
        if let Some(hold) = self.live() {
            hold.leave_channel();
        }
    }

    /// [`leave_channel`](Self::leave_channel), and also leaves the
    /// channel's other forms (`name`, `private-name`,
    /// `private-encrypted-name`, `presence-name`; Echo `leave(name)`,
    /// echo-react `leave()`). Unlike echo-react, a form another component
    /// still holds is kept: leaving it would silence that component.
    pub fn leave(&self) {
        if let Some(hold) = self.live() {
            hold.leave();
        }
    }

    /// Takes the channel again after [`leave_channel`](Self::leave_channel)
    /// or [`leave`](Self::leave), with the listeners on unless
    /// [`stop_listening`](Self::stop_listening) was called. Does nothing
    /// while held.
    pub fn join(&self) {
        if let Some(hold) = self.live() {
            hold.join();
        }
    }

    /// The channel this hook holds (echo-react `channel()`), for anything
    /// the hooks do not cover; `None` when not held (left, disabled,
    /// realtime off, under SSR). Listeners added through it are the app's
    /// to remove: prefer [`listen_for_whisper`](Self::listen_for_whisper).
    pub fn channel(&self) -> Option<Channel> {
        self.live()?.channel()
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
        match self.live() {
            Some(hold) => hold.whisper(event, data),
            None => Err(EchoError::ClientEvent {
                channel: String::new(),
                event: channel::client_event_name(event),
                cause: ClientEventRefusal::NotSubscribed,
            }),
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
        if let Some(hold) = self.live() {
            hold.listen_for_whisper(event, on_whisper);
        }
    }

    /// Removes this hook's whisper listeners for `event` (Echo
    /// `stopListeningForWhisper(event)`), now and for later joins; other
    /// components' listeners stay.
    pub fn stop_listening_for_whisper(&self, event: &str) {
        if let Some(hold) = self.live() {
            hold.stop_listening_for_whisper(event);
        }
    }
}

/// `name` with `private-` in front when `private` is set and it is not
/// already a private or presence name (the core's channel naming rule).
pub(crate) fn full_name(name: &str, private: bool) -> String {
    let visibility = if private { Visibility::Private } else { Visibility::Public };
    visibility.full_name(name)
}
