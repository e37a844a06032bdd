use echo_rs::proto::channel::{self, ChannelKind};
use echo_rs::ClientEventRefusal;
use echo_rs::{EchoError, Member, PresenceChannel, Value};
use leptos::prelude::*;

use crate::subscription::use_channel_listeners;

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

/// What [`use_presence_channel`] returns.
#[derive(Clone)]
pub struct UsePresenceChannelReturn<WhisperFn>
where
    WhisperFn: Fn(&str, &Value) -> Result<(), EchoError> + Clone,
{
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
    /// The member who joined last (Echo `joining`); `None` until one does.
    pub joining: Signal<Option<Member>>,
    /// The member who left last (Echo `leaving`); `None` until one does.
    pub leaving: Signal<Option<Member>>,
    /// The last subscription error, cleared on the next success: match it
    /// to react ([`EchoError::needs_sign_in`] for 401/419,
    /// [`EchoError::is_forbidden`] for 403 …); its `Display` is the message
    /// for people.
    pub error: Signal<Option<EchoError>>,
    /// `whisper(event, data)` sends the client event `client-{event}` to the
    /// other members (Echo `whisper`). Errors with
    /// [`EchoError::ClientEvent`], sending nothing, while the channel is not
    /// joined (disabled, realtime off, not subscribed yet).
    pub whisper: WhisperFn,
}

/// `name` with `presence-` in front unless it has it.
fn presence_name(name: &str) -> String {
    ChannelKind::Presence.ensure_prefix(name)
}

/// Joins the presence channel `name` (`presence-` is added, Echo
/// `join(name)`) while the component is mounted and follows its members.
///
/// Components on one channel share one subscription; changing `name` leaves
/// the old channel and joins the new one. A no-op (empty members, `whisper`
/// refused) when realtime is disabled or under SSR. Whispers from others are
/// heard with [`use_realtime_event`](crate::use_realtime_event) on
/// `presence-{name}` and the event `.client-{event}`.
///
/// ```ignore
/// let room = use_presence_channel(move || format!("room.{}", room_id.get()));
/// view! {
///     <p>{move || room.count.get()} " here"</p>
///     <ul>{move || room.members.get().into_iter().map(|m| view! { <li>{m.info["name"].to_string()}</li> }).collect_view()}</ul>
///     <input on:input=move |_| { let _ = (room.whisper)("typing", &serde_json::json!({})); }/>
/// }
/// ```
pub fn use_presence_channel(
    name: impl Into<Signal<String>>,
) -> UsePresenceChannelReturn<impl Fn(&str, &Value) -> Result<(), EchoError> + Clone> {
    use_presence_channel_with_options(name, UsePresenceChannelOptions::default())
}

/// [`use_presence_channel`] with [`UsePresenceChannelOptions`].
pub fn use_presence_channel_with_options(
    name: impl Into<Signal<String>>,
    options: UsePresenceChannelOptions,
) -> UsePresenceChannelReturn<impl Fn(&str, &Value) -> Result<(), EchoError> + Clone> {
    let name = name.into();
    let enabled = options.enabled;
    let members = RwSignal::new(Vec::<Member>::new());
    let me = RwSignal::new(None::<Member>);
    let count = RwSignal::new(0usize);
    let joining = RwSignal::new(None::<Member>);
    let leaving = RwSignal::new(None::<Member>);
    let error = RwSignal::new(None::<EchoError>);
    // The joined channel, for `whisper`; set while the listeners are on.
    let joined = StoredValue::new_local(None::<PresenceChannel>);

    use_channel_listeners(
        move || enabled.get().then(|| presence_name(&name.get())),
        move |ch| {
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
            joined.set_value(Some(presence.clone()));
            on_cleanup(move || {
                joined.set_value(None);
                members.set(Vec::new());
                me.set(None);
                count.set(0);
            });
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
                presence.subscribed(move |_| error.set(None)),
                presence.error(move |e| error.set(Some(e.clone()))),
                // The client empties the members when the connection is lost.
                presence.echo().on_connection_change(move |_| on_lost()),
            ]
        },
    );

    let whisper = move |event: &str, data: &Value| match joined.try_with_value(Clone::clone).flatten() {
        Some(channel) => channel.whisper(event, data),
        None => Err(EchoError::ClientEvent {
            channel: presence_name(&name.get_untracked()),
            event: channel::client_event_name(event),
            cause: ClientEventRefusal::NotSubscribed,
        }),
    };
    UsePresenceChannelReturn {
        members: members.into(),
        me: me.into(),
        count: count.into(),
        joining: joining.into(),
        leaving: leaving.into(),
        error: error.into(),
        whisper,
    }
}
