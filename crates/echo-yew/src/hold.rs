//! What every echo-yew channel hook with controls is built on: echo-rs's
//! framework-neutral [`ChannelHold`], its status kept in Yew state and its
//! deferred leaves run after Yew's render. Hooks return [`UseChannelReturn`].

use echo_rs::hooks::{ChannelHold, DeferredLeave, HoldSpec, HoldStatus};
use echo_rs::proto::channel;
use echo_rs::{Channel, ClientEventRefusal, EchoError, Subscription, Value};
use yew::prelude::*;

use crate::context::use_echo_context;

/// What echo-yew's channel hooks return (echo-react `useEcho`'s
/// `{ listen, stopListening, leaveChannel, leave, channel }`, and
/// `useChannel`'s): the subscription's state as of this render, and
/// controls an event handler can call. Cheap to clone.
///
/// The controls act on this hook only: other components on the channel
/// share its subscription (reference-counted) and keep theirs. Without a
/// provider, or with realtime off, the state stays empty and the controls
/// do nothing (`whisper` is refused).
#[derive(Clone)]
pub struct UseChannelReturn {
    /// `true` while the channel is subscribed on the current connection.
    pub subscribed: bool,
    /// The last subscription success on the current channel:
    /// [`Subscription::First`], or [`Subscription::Resubscription`] after a
    /// connection loss (events were missed: refetch what they keep fresh).
    pub subscription: Option<Subscription>,
    /// The last failed subscription (and for `use_echo_model`, the last of
    /// its events that did not decode), cleared by the next success.
    pub error: Option<EchoError>,
    /// Whether the hook listens while it holds the channel
    /// (`stop_listening` / `listen`).
    pub listening: bool,
    hold: Option<ChannelHold>,
}

impl PartialEq for UseChannelReturn {
    fn eq(&self, other: &Self) -> bool {
        (self.subscribed, &self.subscription, &self.error, self.listening)
            == (other.subscribed, &other.subscription, &other.error, other.listening)
    }
}

/// Holds the channel `name` (a full name; `None` = off) while the component
/// is mounted, with the listeners `spec` (built once) registers; again only
/// when `name` or the client changes.
#[hook]
pub(crate) fn use_channel_hold(name: Option<String>, spec: impl FnOnce() -> HoldSpec) -> UseChannelReturn {
    let context = use_echo_context();
    let status = use_state_eq(|| HoldStatus {
        subscribed: false,
        subscription: None,
        error: None,
        listening: true,
    });
    let hold = {
        let setter = status.setter();
        let registry = context.as_ref().map(|c| c.registry().clone());
        use_state(move || {
            registry.map(|registry| {
                let defer = |leave: DeferredLeave| {
                    // After Yew's render: an unmount and remount in one
                    // render keeps the subscription.
                    yew::platform::spawn_local(async move { leave.finish() });
                };
                ChannelHold::new(registry, spec(), move |s: &HoldStatus| setter.set(s.clone()), defer)
            })
        })
    };
    let generation = context.as_ref().map(|c| c.generation());
    {
        let hold = (*hold).clone();
        use_effect_with((name, generation), move |(name, _)| {
            if let Some(hold) = &hold {
                hold.want(name.clone());
                hold.take();
            }
            move || {
                if let Some(hold) = hold {
                    hold.release(false);
                }
            }
        });
    }
    let status = (*status).clone();
    UseChannelReturn {
        subscribed: status.subscribed,
        subscription: status.subscription,
        error: status.error,
        listening: status.listening,
        hold: (*hold).clone(),
    }
}

impl UseChannelReturn {
    /// Puts this hook's listeners back on after
    /// [`stop_listening`](Self::stop_listening) (echo-react `listen`); after
    /// a leave it joins the channel again first.
    pub fn listen(&self) {
        if let Some(hold) = &self.hold {
            hold.listen();
        }
    }

    /// Takes this hook's listeners off, keeping the channel (echo-react
    /// `stopListening`).
    pub fn stop_listening(&self) {
        if let Some(hold) = &self.hold {
            hold.stop_listening();
        }
    }

    /// Leaves the channel early (echo-react `leaveChannel()`): this hook's
    /// reference goes, so the channel is left unless another component holds
    /// it. The hook stays out until [`join`](Self::join),
    /// [`listen`](Self::listen) or a new channel name.
    pub fn leave_channel(&self) {
        if let Some(hold) = &self.hold {
            hold.leave_channel();
        }
    }

    /// [`leave_channel`](Self::leave_channel), and the name's other forms
    /// that no other component holds (Echo `leave(name)`, echo-react
    /// `leave()`).
    pub fn leave(&self) {
        if let Some(hold) = &self.hold {
            hold.leave();
        }
    }

    /// Takes the channel again after a leave.
    pub fn join(&self) {
        if let Some(hold) = &self.hold {
            hold.join();
        }
    }

    /// The channel this hook holds (echo-react `channel()`); `None` while
    /// not held.
    pub fn channel(&self) -> Option<Channel> {
        self.hold.as_ref()?.channel()
    }

    /// Sends the whisper `client-{event}` (Echo `whisper`; private and
    /// presence channels).
    ///
    /// # Errors
    /// [`EchoError::ClientEvent`], nothing sent: `NotSubscribed` while no
    /// subscribed channel is held, and the client's own refusals.
    pub fn whisper(&self, event: &str, data: &Value) -> Result<(), EchoError> {
        match &self.hold {
            Some(hold) => hold.whisper(event, data),
            None => Err(EchoError::ClientEvent {
                channel: String::new(),
                event: channel::client_event_name(event),
                cause: ClientEventRefusal::NotSubscribed,
            }),
        }
    }

    /// Listens for the whisper `client-{event}` for as long as the component
    /// is mounted (Echo `listenForWhisper`), paused by `stop_listening`.
    /// Call it once (in a `use_effect_with((), …)`), not on every render:
    /// each call adds a listener.
    pub fn listen_for_whisper(&self, event: &str, on_whisper: impl Fn(&Value) + 'static) {
        if let Some(hold) = &self.hold {
            hold.listen_for_whisper(event, on_whisper);
        }
    }

    /// Removes this hook's whisper listeners for `event` (Echo
    /// `stopListeningForWhisper(event)`).
    pub fn stop_listening_for_whisper(&self, event: &str) {
        if let Some(hold) = &self.hold {
            hold.stop_listening_for_whisper(event);
        }
    }
}
