//! echo-react's own hooks under their own names: `use_echo` (`useEcho`),
//! `use_echo_public`, `use_echo_presence`, the channel-handle hooks
//! `use_channel` / `use_public_channel` (echo-react 2.4 `useChannel`,
//! `usePublicChannel`) and model broadcasting, `use_echo_model`
//! (`useEchoModel`).
use echo_rs::hooks::{EventNames, HoldControl, HoldSpec, Visibility};

use echo_rs::{EchoError, ModelEvent, ModelPayload, Value};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::subscription::{use_channel_hook, UseChannelReturn};

/// Options for [`use_echo_with_options`] and [`use_channel_with_options`].
#[derive(Clone, Copy)]
pub struct UseEchoOptions {
    /// Which channel the name means (echo-react's `visibility`). Default
    /// [`Visibility::Private`], as in echo-react.
    pub visibility: Visibility,
    /// Hold the channel only while this is `true`; switching it off leaves
    /// it (when no other hook holds it). Default: always `true`.
    pub enabled: Signal<bool>,
}

impl Default for UseEchoOptions {
    fn default() -> Self {
        Self {
            visibility: Visibility::Private,
            enabled: Signal::stored(true),
        }
    }
}

/// Listens for `events` (one name or several, [`EventNames`]) on the
/// **private** channel `channel` while the
/// component is mounted (echo-react `useEcho(channel, events, callback)`;
/// `private-` is added, Echo `private(channel)`).
///
/// Events follow Echo's naming: `.BookingCreated` verbatim, `BookingCreated`
/// as `App\Events\BookingCreated`. The handler gets each event's data; it
/// is kept in a stored value, so a closure captured anew on each render
/// never resubscribes (echo-react 2.5 resubscribes when its dependency list
/// changes, laravel/echo #539). Components on one channel share one
/// subscription. Returns the subscription's state and the controls
/// (`listen`, `stop_listening`, `leave_channel`, `leave`, `channel()`).
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*;
/// # fn orders() -> impl IntoView {
/// let shipped = RwSignal::new(None::<u64>);
/// let orders = use_echo("orders.1", [".OrderShipped"], move |data| shipped.set(data["id"].as_u64()));
/// view! { <button on:click=move |_| orders.stop_listening()>"Pause"</button> }
/// # }
/// ```
pub fn use_echo(channel: impl Into<Signal<String>>, events: impl EventNames, on_event: impl Fn(&Value) + 'static) -> UseChannelReturn {
    use_echo_with_options(channel, events, on_event, UseEchoOptions::default())
}

/// [`use_echo`] on the **public** channel `channel` (echo-react
/// `useEchoPublic`, Echo `channel(channel)`).
pub fn use_echo_public(
    channel: impl Into<Signal<String>>,
    events: impl EventNames,
    on_event: impl Fn(&Value) + 'static,
) -> UseChannelReturn {
    let options = UseEchoOptions {
        visibility: Visibility::Public,
        ..UseEchoOptions::default()
    };
    use_echo_with_options(channel, events, on_event, options)
}

/// [`use_echo`] on the **presence** channel `channel` (echo-react
/// `useEchoPresence`, Echo `join(channel)`); for the member list use
/// [`use_presence_channel`](crate::use_presence_channel), which shares the
/// subscription.
pub fn use_echo_presence(
    channel: impl Into<Signal<String>>,
    events: impl EventNames,
    on_event: impl Fn(&Value) + 'static,
) -> UseChannelReturn {
    let options = UseEchoOptions {
        visibility: Visibility::Presence,
        ..UseEchoOptions::default()
    };
    use_echo_with_options(channel, events, on_event, options)
}

/// [`use_echo`] with [`UseEchoOptions`] (`visibility`, `enabled`).
pub fn use_echo_with_options(
    channel: impl Into<Signal<String>>,
    events: impl EventNames,
    on_event: impl Fn(&Value) + 'static,
    options: UseEchoOptions,
) -> UseChannelReturn {
    let channel = channel.into();
    let events = events.into_event_names();
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(&Value)>);
    let UseEchoOptions { visibility, enabled } = options;
    use_channel_hook(
        move || enabled.get().then(|| visibility.full_name(&channel.get())),
        HoldSpec::listening(move |ch, _| {
            events
                .iter()
                .map(|event| ch.listen(event, move |data| handler.with_value(|f| f(data))))
                .collect()
        }),
    )
}

/// Holds the **private** channel `channel` while the component is mounted,
/// without listening for any event (echo-react 2.4 `useChannel`): a
/// reference-counted handle shared with every other hook on the channel,
/// for [`whisper`](UseChannelReturn::whisper),
/// [`listen_for_whisper`](UseChannelReturn::listen_for_whisper),
/// `subscribed` and `error`.
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*; use serde_json::json;
/// # fn chat(room: RwSignal<u64>) -> impl IntoView {
/// let typing = RwSignal::new(None::<String>);
/// let chat = use_channel(Signal::derive(move || format!("chat.{}", room.get())));
/// chat.listen_for_whisper("typing", move |data| typing.set(data["name"].as_str().map(str::to_owned)));
/// view! { <input on:input=move |_| { let _ = chat.whisper("typing", &json!({ "name": "Ana" })); }/> }
/// # }
/// ```
pub fn use_channel(channel: impl Into<Signal<String>>) -> UseChannelReturn {
    use_channel_with_options(channel, UseEchoOptions::default())
}

/// [`use_channel`] on the **public** channel `channel` (echo-react
/// `usePublicChannel`). Public channels carry no whispers: `whisper` is
/// refused there.
pub fn use_public_channel(channel: impl Into<Signal<String>>) -> UseChannelReturn {
    let options = UseEchoOptions {
        visibility: Visibility::Public,
        ..UseEchoOptions::default()
    };
    use_channel_with_options(channel, options)
}

/// [`use_channel`] with [`UseEchoOptions`] (`visibility`, `enabled`);
/// echo-react `usePresenceChannel` is
/// [`use_presence_channel`](crate::use_presence_channel), which adds the
/// members.
pub fn use_channel_with_options(channel: impl Into<Signal<String>>, options: UseEchoOptions) -> UseChannelReturn {
    let channel = channel.into();
    let UseEchoOptions { visibility, enabled } = options;
    use_channel_hook(
        move || enabled.get().then(|| visibility.full_name(&channel.get())),
        HoldSpec::listening(|_, _| Vec::new()),
    )
}

/// Options for [`use_echo_model_with_options`].
#[derive(Clone, Copy)]
pub struct UseEchoModelOptions {
    /// Hold the model's channel only while this is `true` (e.g. once the
    /// model's id is known); switching it off leaves it (when no other hook
    /// holds it). Default: always `true`.
    pub enabled: Signal<bool>,
}

impl Default for UseEchoModelOptions {
    fn default() -> Self {
        Self {
            enabled: Signal::stored(true),
        }
    }
}

/// Listens for Laravel model broadcasting events of one model (echo-react
/// `useEchoModel`): the private channel `{model}.{id}` (e.g.
/// `private-App.Models.Booking.42`) and, for each of `events`, the event
/// `.{BaseName}{Event}` (`.BookingUpdated`). The handler gets which event it
/// was and its data as a [`ModelPayload<T>`], `T` being the app's own serde
/// type for the model.
///
/// `model` is the class name, dotted (`App.Models.Booking`) or backslashed;
/// `id` is the model's key as a signal, so the hook follows a route
/// parameter (a number: `Signal::derive(move || id.get().to_string())`). Data that does not
/// decode into `ModelPayload<T>` is not passed on: it shows as
/// [`EchoError::Decode`] in the returned `error` until one of the model's
/// events decodes again ([`EchoError::is_subscription_failure`] tells it
/// from a refused subscription). The demo's staff booking page
/// (`demo/app/src/pages/admin/booking.rs`) uses it.
///
/// ```no_run
/// # use echo_leptos::*; use leptos::prelude::*;
/// #[derive(serde::Deserialize, Clone)]
/// struct Booking { id: u64, status: String }
///
/// # fn booking_page(booking_id: Memo<u64>) -> impl IntoView {
/// let latest = RwSignal::new(None::<(ModelEvent, Booking)>);
/// let booking = use_echo_model(
///     "App.Models.Booking",
///     Signal::derive(move || booking_id.get().to_string()),
///     [ModelEvent::Updated, ModelEvent::Deleted],
///     move |event, payload: ModelPayload<Booking>| latest.set(Some((event, payload.model))),
/// );
/// view! { <p>{move || latest.get().map(|(_, b)| b.status)}</p> <Show when=move || booking.subscribed.get()>"Live"</Show> }
/// # }
/// ```
pub fn use_echo_model<T: DeserializeOwned + 'static>(
    model: &str,
    id: impl Into<Signal<String>>,
    events: impl IntoIterator<Item = ModelEvent>,
    on_event: impl Fn(ModelEvent, ModelPayload<T>) + 'static,
) -> UseChannelReturn {
    use_echo_model_with_options(model, id, events, on_event, UseEchoModelOptions::default())
}

/// [`use_echo_model`] with [`UseEchoModelOptions`] (`enabled`).
pub fn use_echo_model_with_options<T: DeserializeOwned + 'static>(
    model: &str,
    id: impl Into<Signal<String>>,
    events: impl IntoIterator<Item = ModelEvent>,
    on_event: impl Fn(ModelEvent, ModelPayload<T>) + 'static,
    options: UseEchoModelOptions,
) -> UseChannelReturn {
    let id = id.into();
    let enabled = options.enabled;
    let model = model.to_owned();
    let events: Vec<ModelEvent> = events.into_iter().collect();
    let handler = StoredValue::new_local(Box::new(on_event) as Box<dyn Fn(ModelEvent, ModelPayload<T>)>);
    let own_events = events.clone();
    let listen_model = model.clone();
    let listen = move |ch: &echo_rs::Channel, control: &HoldControl| {
        events
            .iter()
            .map(|&event| {
                let control = control.clone();
                ch.listen_model(&listen_model, event, move |event, payload| {
                    // It decodes again: an earlier decode error is over.
                    control.clear_error_if(|e| matches!(e, EchoError::Decode { .. }));
                    handler.with_value(|f| f(event, payload));
                })
            })
            .collect()
    };
    let error_model = model.clone();
    let shows_error = move |error: &EchoError| match error {
        EchoError::Decode { event, .. } => ModelEvent::of_event_name(&error_model, event).is_some_and(|event| own_events.contains(&event)),
        other => other.is_subscription_failure(),
    };
    use_channel_hook(
        move || {
            enabled
                .get()
                .then(|| Visibility::Private.full_name(&echo_rs::proto::model_channel_name(&model, id.get())))
        },
        HoldSpec {
            hold: Box::new(|_, _| Vec::new()),
            listen: Box::new(listen),
            release: Box::new(|| {}),
            shows_error: Box::new(shows_error),
        },
    )
}
