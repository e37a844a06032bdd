use echo_rs::hooks::{HoldControl, HoldSpec};
use echo_rs::proto::channel::ChannelKind;
use echo_rs::{Channel, EchoError, Member, Subscription, Value};
use leptos::prelude::*;

use crate::subscription::{use_channel_hook, UseChannelReturn};

/// Options for [`use_presence_channel_with_options`].
#[derive(Clone, Copy)]
pub struct UsePresenceChannelOptions {
    /// Join only while this is `true`; switching it off leaves the channel
    /// (when no other hook holds it) and empties the member list. Default:
    /// always `true`.
    pub enabled: Signal<bool>,
}

impl Default for UsePresenceChannelOptions {
    fn default() -> Self {
        Self {
            enabled: Signal::stored(true),
        }
    }
}

/// What [`use_presence_channel`] returns. `Copy`.
#[derive(Clone, Copy)]
pub struct UsePresenceChannelReturn {
    /// Everyone on the channel, this client included, in the server's order:
    /// replaced on every subscription success (Echo `here`, a reset on each
    /// reconnect), updated by `joining` and `leaving`. Empty until joined and
    /// while the connection is lost.
    pub members: Signal<Vec<Member>>,
    /// This client as a member (id from the auth endpoint's
    /// `channel_data.user_id`); `None` until joined.
    pub me: Signal<Option<Member>>,
    /// The number of distinct members (pusher-js `members.count`).
    pub count: Signal<usize>,
    /// The member who joined last (Echo `joining`); `None` until one does,
    /// and again once the hook lets the channel go.
    pub joining: Signal<Option<Member>>,
    /// The member who left last (Echo `leaving`); `None` until one does,
    /// and again once the hook lets the channel go.
    pub leaving: Signal<Option<Member>>,
    /// The last subscription error, cleared on the next success: match it
    /// to react ([`EchoError::needs_sign_in`] for 401/419,
    /// [`EchoError::is_forbidden`] for 403 …); its `Display` is the message
    /// for people.
    pub error: Signal<Option<EchoError>>,
    /// `true` while joined on the current connection (as
    /// [`UseChannelReturn::subscribed`]).
    pub subscribed: Signal<bool>,
    /// First subscription or resubscription (as
    /// [`UseChannelReturn::subscription`]).
    pub subscription: Signal<Option<Subscription>>,
    /// The channel handle and controls every channel hook returns
    /// (echo-react `usePresenceChannel`); the common ones are also methods
    /// here.
    pub handle: UseChannelReturn,
}

impl UsePresenceChannelReturn {
    /// Sends the client event `client-{event}` to the other members (Echo
    /// `whisper`).
    ///
    /// # Errors
    /// [`EchoError::ClientEvent`], sending nothing, while the channel is not
    /// joined (disabled, realtime off, not subscribed yet), or when the
    /// client refuses it (`TooLarge`, `RateLimited`).
    pub fn whisper(&self, event: &str, data: &Value) -> Result<(), EchoError> {
        self.handle.whisper(event, data)
    }

    /// Listens for the whisper `client-{event}` from other members while
    /// mounted (Echo `listenForWhisper`; see
    /// [`UseChannelReturn::listen_for_whisper`]).
    pub fn listen_for_whisper(&self, event: &str, on_whisper: impl Fn(&Value) + 'static) {
        self.handle.listen_for_whisper(event, on_whisper);
    }

    /// Leaves the channel early ([`UseChannelReturn::leave_channel`]): the
    /// members empty, other components on it keep it.
    pub fn leave_channel(&self) {
        self.handle.leave_channel();
    }

    /// Leaves the channel and its name's other forms no other component
    /// holds ([`UseChannelReturn::leave`], Echo `leave(name)`).
    pub fn leave(&self) {
        self.handle.leave();
    }

    /// Joins again after a leave ([`UseChannelReturn::join`]).
    pub fn join(&self) {
        self.handle.join();
    }

    /// The presence channel while joined ([`UseChannelReturn::channel`]).
    pub fn channel(&self) -> Option<Channel> {
        self.handle.channel()
    }
}

/// Joins the presence channel `name` (`presence-` is added, Echo
/// `join(name)`) while the component is mounted and follows its members
/// (echo-react `usePresenceChannel`, with the member list as state, which
/// echo-react does not keep).
///
/// Components on one channel share one subscription; changing `name` leaves
/// the old channel and joins the new one. A no-op (empty members, `whisper`
/// refused) when realtime is disabled or under SSR.
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*;
/// # fn room(room_id: RwSignal<u64>) -> impl IntoView {
/// let typing = RwSignal::new(None::<String>);
/// let room = use_presence_channel(Signal::derive(move || format!("room.{}", room_id.get())));
/// room.listen_for_whisper("typing", move |data| typing.set(data["name"].as_str().map(str::to_owned)));
/// view! {
///     <p>{move || room.count.get()} " here"</p>
///     <ul>{move || room.members.get().into_iter().map(|m| view! { <li>{m.info["name"].to_string()}</li> }).collect_view()}</ul>
///     <input on:input=move |_| { let _ = room.whisper("typing", &serde_json::json!({})); }/>
/// }
/// # }
/// ```
pub fn use_presence_channel(name: impl Into<Signal<String>>) -> UsePresenceChannelReturn {
    use_presence_channel_with_options(name, UsePresenceChannelOptions::default())
}

/// [`use_presence_channel`] with [`UsePresenceChannelOptions`].
pub fn use_presence_channel_with_options(name: impl Into<Signal<String>>, options: UsePresenceChannelOptions) -> UsePresenceChannelReturn {
    let name = name.into();
    let enabled = options.enabled;
    let members = RwSignal::new(Vec::<Member>::new());
    let me = RwSignal::new(None::<Member>);
    let count = RwSignal::new(0usize);
    let joining = RwSignal::new(None::<Member>);
    let leaving = RwSignal::new(None::<Member>);

    let hold = move |ch: &Channel, _: &HoldControl| {
        // Same subscription (`subscribe` is idempotent), presence API.
        let presence = ch.echo().join(ChannelKind::Presence.strip_prefix(ch.name()));
        let snapshot = {
            let presence = presence.clone();
            move || {
                members.set(presence.members());
                me.set(presence.me());
                count.set(presence.count());
            }
        };
        // Another hook may have joined already: start from what is known.
        snapshot();
        let on_here = snapshot.clone();
        let on_joining = snapshot.clone();
        let on_leaving = snapshot.clone();
        let on_lost = snapshot;
        vec![
            presence.here(move |_| on_here()),
            presence.joining(move |member| {
                on_joining();
                joining.set(Some(member.clone()));
            }),
            presence.leaving(move |member| {
                on_leaving();
                leaving.set(Some(member.clone()));
            }),
            // The client empties the members when the connection is lost.
            presence.echo().on_connection_change(move |_| on_lost()),
        ]
    };
    let release = move || {
        members.try_set(Vec::new());
        me.try_set(None);
        count.try_set(0);
        joining.try_set(None);
        leaving.try_set(None);
    };
    let handle = use_channel_hook(
        move || enabled.get().then(|| presence_name(&name.get())),
        HoldSpec {
            hold: Box::new(hold),
            listen: Box::new(|_, _| Vec::new()),
            release: Box::new(release),
            shows_error: Box::new(EchoError::is_subscription_failure),
        },
    );
    UsePresenceChannelReturn {
        members: members.into(),
        me: me.into(),
        count: count.into(),
        joining: joining.into(),
        leaving: leaving.into(),
        error: handle.error,
        subscribed: handle.subscribed,
        subscription: handle.subscription,
        handle,
    }
}

/// `name` with `presence-` in front unless it has it.
fn presence_name(name: &str) -> String {
    ChannelKind::Presence.ensure_prefix(name)
}
