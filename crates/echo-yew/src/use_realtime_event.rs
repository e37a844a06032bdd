use std::cell::RefCell;
use std::rc::Rc;

use echo_rs::hooks::{HoldControl, HoldSpec};
use echo_rs::proto::channel::ChannelKind;
use echo_rs::{BroadcastEvent, Channel, EchoError, ListenerHandle, Value};
use yew::prelude::*;

use crate::context::use_echo_context;
use crate::hold::{use_channel_hold, UseChannelReturn};

/// Options for [`use_realtime_event_with_options`] and
/// [`use_realtime_channel_with_options`].
#[derive(Clone, Debug, PartialEq)]
pub struct UseRealtimeEventOptions {
    /// Listen only while this is `true`; switching it off leaves the channel
    /// (when no other component holds it). Default `true`.
    pub enabled: bool,
    /// Subscribe `private-{channel}` (authorized through
    /// `/broadcasting/auth`). Default `false`.
    pub private: bool,
}

impl Default for UseRealtimeEventOptions {
    fn default() -> Self {
        Self {
            enabled: true,
            private: false,
        }
    }
}

/// A hook's latest closure (an `Rc<dyn Fn…>`), replaced on each render.
type Latest<T> = Rc<RefCell<T>>;

/// Holds the channel `name` (a full name; `None` = off) while the component
/// is mounted and puts `register`'s listeners on it, once per subscription:
/// again only when `name` or the client changes, never because a closure
/// did (laravel/echo #539). Removes exactly those listeners and drops the
/// reference on cleanup.
#[hook]
fn use_channel_listeners(name: Option<String>, register: impl Fn(&Channel) -> Vec<ListenerHandle> + 'static) {
    let context = use_echo_context();
    let generation = context.as_ref().map(|c| c.generation());
    use_effect_with((name, generation), move |(name, _)| {
        let held = context.zip(name.clone()).and_then(|(context, name)| {
            let (generation, channel) = context.registry().acquire(&name)?;
            let listeners = register(&channel);
            Some((context, generation, channel, listeners))
        });
        move || {
            if let Some((context, generation, channel, listeners)) = held {
                // Through the client: exactly these listeners, even on a
                // client replaced since.
                listeners.into_iter().for_each(|h| {
                    channel.echo().stop_listening(h);
                });
                context.release(generation, channel.name());
            }
        }
    });
}

/// `channel` as a full name when `options` enable it.
fn wanted(channel: &str, options: &UseRealtimeEventOptions) -> Option<String> {
    let kind = if options.private {
        ChannelKind::Private
    } else {
        ChannelKind::Public
    };
    options.enabled.then(|| kind.ensure_prefix(channel))
}

/// Keeps the latest `value` in a ref, for listeners registered once.
#[hook]
fn use_latest<T: Clone + 'static>(value: T) -> Latest<T> {
    let latest = use_mut_ref(|| value.clone());
    *latest.borrow_mut() = value;
    latest
}

/// Listens for `event` on the public `channel` while the component is
/// mounted (the seed's `useRealtimeEvent`, Echo `channel(channel).listen(event)`).
///
/// `event` follows Laravel Echo's rules: `.RoomsUpdated` is the class short
/// name verbatim. The handler is kept in a ref and replaced on each render:
/// a closure capturing new state never resubscribes; changing `channel`
/// does. Components on one channel share one subscription. A no-op when
/// realtime is off or under SSR. Returns the subscription's state
/// (`subscribed`, `subscription`, `error`) and the controls.
#[hook]
pub fn use_realtime_event<F>(channel: &str, event: &str, on_event: F) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    use_realtime_event_with_options(channel, event, on_event, UseRealtimeEventOptions::default())
}

/// [`use_realtime_event`] with [`UseRealtimeEventOptions`] (`enabled`,
/// `private`).
#[hook]
pub fn use_realtime_event_with_options<F>(channel: &str, event: &str, on_event: F, options: UseRealtimeEventOptions) -> UseChannelReturn
where
    F: Fn(&Value) + 'static,
{
    let handler = use_latest(Rc::new(on_event) as Rc<dyn Fn(&Value)>);
    let event = event.to_owned();
    use_channel_hold(wanted(channel, &options), move || {
        HoldSpec::listening(move |ch: &Channel, _: &HoldControl| {
            let handler = handler.clone();
            vec![ch.listen(&event, move |data| {
                let current = handler.borrow().clone();
                current(data)
            })]
        })
    })
}

/// Subscribes to `channel` and listens for several `events` with one
/// handler, which gets the event name as given and the data (the seed's
/// `useRealtimeChannel`; laravel/echo #463 asks for the name). Returns the
/// subscription's state and the controls, as [`use_realtime_event`].
#[hook]
pub fn use_realtime_channel<F>(channel: &str, events: Vec<String>, on_event: F) -> UseChannelReturn
where
    F: Fn(&str, &Value) + 'static,
{
    use_realtime_channel_with_options(channel, events, on_event, UseRealtimeEventOptions::default())
}

/// [`use_realtime_channel`] with [`UseRealtimeEventOptions`].
#[hook]
pub fn use_realtime_channel_with_options<F>(
    channel: &str,
    events: Vec<String>,
    on_event: F,
    options: UseRealtimeEventOptions,
) -> UseChannelReturn
where
    F: Fn(&str, &Value) + 'static,
{
    let handler = use_latest(Rc::new(on_event) as Rc<dyn Fn(&str, &Value)>);
    use_channel_hold(wanted(channel, &options), move || {
        HoldSpec::listening(move |ch: &Channel, _: &HoldControl| {
            events
                .iter()
                .map(|event| {
                    let (handler, name) = (handler.clone(), event.clone());
                    ch.listen(event, move |data| {
                        let current = handler.borrow().clone();
                        current(&name, data)
                    })
                })
                .collect()
        })
    })
}

/// Listens for the event `E` on `channel` and calls `on_event` with its data
/// decoded into `E` (echo-rs `Channel::listen_typed`). Returns the last
/// `E` whose data did not decode ([`EchoError::Decode`]), cleared by the
/// next one that decodes: such events are reported, never passed on
/// half-read.
#[hook]
pub fn use_realtime_event_typed<E, F>(channel: &str, on_event: F, options: UseRealtimeEventOptions) -> Option<EchoError>
where
    E: BroadcastEvent,
    F: Fn(E) + 'static,
{
    let error = use_state_eq(|| None::<EchoError>);
    let handler = use_latest(Rc::new(on_event) as Rc<dyn Fn(E)>);
    let setter = error.setter();
    use_channel_listeners(wanted(channel, &options), move |ch| {
        let (handler, on_ok, on_error) = (handler.clone(), setter.clone(), setter.clone());
        vec![
            ch.listen_typed(move |event: E| {
                on_ok.set(None);
                let current = handler.borrow().clone();
                current(event)
            }),
            ch.error(move |e| {
                if let EchoError::Decode { event, .. } = e {
                    if is_wire_name_of::<E>(event) {
                        on_error.set(Some(e.clone()));
                    }
                }
            }),
        ]
    });
    (*error).clone()
}

/// Whether `wire` (as the server sent it) is `E::NAME` under any namespace.
fn is_wire_name_of<E: BroadcastEvent>(wire: &str) -> bool {
    let bare = echo_rs::proto::format_event_name(None, E::NAME);
    wire == bare || (!E::NAME.starts_with(['.', '\\']) && wire.ends_with(&format!("\\{bare}")))
}
