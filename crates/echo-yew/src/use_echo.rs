//! echo-react's hooks under their own names, for Yew: `use_echo`
//! (`useEcho`), `use_echo_public`, `use_echo_presence`, the channel-handle
//! hooks `use_channel` / `use_public_channel` (`useChannel`,
//! `usePublicChannel`) and model broadcasting, `use_echo_model`
//! (`useEchoModel`).

use std::cell::RefCell;
use std::rc::Rc;

use echo_rs::hooks::{EventNames, HoldControl, HoldSpec, Visibility};
use echo_rs::{Channel, EchoError, ModelEvent, ModelPayload, Value};
use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::hold::{use_channel_hold, UseChannelReturn};

/// Keeps the latest `value` in a ref, for listeners registered once.
#[hook]
fn use_latest<T: Clone + 'static>(value: T) -> Rc<RefCell<T>> {
    let latest = use_mut_ref(|| value.clone());
    *latest.borrow_mut() = value;
    latest
}

/// Listens for `events` (one name or several, [`EventNames`]) on the
/// **private** channel `channel` while the component is mounted (echo-react
/// `useEcho(channel, events, callback)`). The handler is replaced on each
/// render and never resubscribes; components on one channel share one
/// subscription. Returns the state and the controls.
#[hook]
pub fn use_echo<F>(channel: &str, events: impl EventNames, on_event: F) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    use_echo_with_visibility(channel, events, on_event, Visibility::Private)
}

/// [`use_echo`] on the **public** channel `channel` (echo-react
/// `useEchoPublic`).
#[hook]
pub fn use_echo_public<F>(channel: &str, events: impl EventNames, on_event: F) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    use_echo_with_visibility(channel, events, on_event, Visibility::Public)
}

/// [`use_echo`] on the **presence** channel `channel` (echo-react
/// `useEchoPresence`).
#[hook]
pub fn use_echo_presence<F>(channel: &str, events: impl EventNames, on_event: F) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    use_echo_with_visibility(channel, events, on_event, Visibility::Presence)
}

/// [`use_echo`] with the channel's [`Visibility`] (echo-react's
/// `visibility` argument).
#[hook]
pub fn use_echo_with_visibility<F>(channel: &str, events: impl EventNames, on_event: F, visibility: Visibility) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    let handler = use_latest(Rc::new(on_event) as Rc<dyn Fn(&Value)>);
    let events = events.into_event_names();
    use_channel_hold(Some(visibility.full_name(channel)), move || {
        HoldSpec::listening(move |ch: &Channel, _: &HoldControl| {
            events
                .iter()
                .map(|event| {
                    let handler = handler.clone();
                    ch.listen(event, move |data| {
                        let current = handler.borrow().clone();
                        current(data)
                    })
                })
                .collect()
        })
    })
}

/// Holds the **private** channel `channel` without listening for any event
/// (echo-react `useChannel`): a handle shared with every other hook on the
/// channel, for `whisper`, `listen_for_whisper`, `subscribed` and `error`.
#[hook]
pub fn use_channel(channel: &str) -> UseChannelReturn {
    use_channel_with_visibility(channel, Visibility::Private)
}

/// [`use_channel`] on the **public** channel `channel` (echo-react
/// `usePublicChannel`).
#[hook]
pub fn use_public_channel(channel: &str) -> UseChannelReturn {
    use_channel_with_visibility(channel, Visibility::Public)
}

/// [`use_channel`] with the channel's [`Visibility`].
#[hook]
pub fn use_channel_with_visibility(channel: &str, visibility: Visibility) -> UseChannelReturn {
    use_channel_hold(Some(visibility.full_name(channel)), || HoldSpec::listening(|_, _| Vec::new()))
}

/// Listens for Laravel model broadcasting events of one model (echo-react
/// `useEchoModel`): the private channel `{model}.{id}` and, for each of
/// `events`, `.{BaseName}{Event}`, the payload decoded into
/// [`ModelPayload<T>`]. `id: None` waits (no channel until the id is
/// known). Data that does not decode shows in `error` until one decodes.
#[hook]
pub fn use_echo_model<T, F>(model: &str, id: Option<String>, events: Vec<ModelEvent>, on_event: F) -> UseChannelReturn
where
    T: DeserializeOwned + 'static,
    F: Fn(ModelEvent, ModelPayload<T>) + 'static,
{
    let handler = use_latest(Rc::new(on_event) as Rc<dyn Fn(ModelEvent, ModelPayload<T>)>);
    let name = id.map(|id| Visibility::Private.full_name(&echo_rs::proto::model_channel_name(model, id)));
    let model = model.to_owned();
    use_channel_hold(name, move || {
        let (listen_model, error_model, own_events) = (model.clone(), model, events.clone());
        HoldSpec {
            hold: Box::new(|_, _| Vec::new()),
            listen: Box::new(move |ch: &Channel, control: &HoldControl| {
                events
                    .iter()
                    .map(|&event| {
                        let (handler, control) = (handler.clone(), control.clone());
                        ch.listen_model(&listen_model, event, move |event, payload| {
                            control.clear_error_if(|e| matches!(e, EchoError::Decode { .. }));
                            let current = handler.borrow().clone();
                            current(event, payload)
                        })
                    })
                    .collect()
            }),
            release: Box::new(|| {}),
            shows_error: Box::new(move |error: &EchoError| match error {
                EchoError::Decode { event, .. } => ModelEvent::of_event_name(&error_model, event).is_some_and(|e| own_events.contains(&e)),
                other => other.is_subscription_failure(),
            }),
        }
    })
}

/// Listens for Laravel notifications on the private channel `channel` (e.g.
/// `App.Models.User.1`; echo-react `useEchoNotification`), only those whose
/// `type` is one of `types` (dotted or backslashed) when it is not empty.
/// `stop_listening` removes exactly this hook's notification listener.
#[hook]
pub fn use_echo_notification<F>(channel: &str, types: Vec<String>, on_notification: F) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    let handler = use_latest(Rc::new(on_notification) as Rc<dyn Fn(&Value)>);
    let types: Vec<String> = types.iter().map(|t| t.replace('.', "\\")).collect();
    use_channel_hold(Some(Visibility::Private.full_name(channel)), move || {
        HoldSpec::listening(move |ch: &Channel, _: &HoldControl| {
            let (handler, types) = (handler.clone(), types.clone());
            vec![ch.notification(move |data| {
                let kind = data.get("type").and_then(Value::as_str).map(|t| t.replace('.', "\\"));
                if types.is_empty() || kind.is_some_and(|k| types.contains(&k)) {
                    let current = handler.borrow().clone();
                    current(data)
                }
            })]
        })
    })
}
