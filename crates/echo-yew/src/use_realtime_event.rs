use std::cell::RefCell;
use std::rc::Rc;

use echo_rs::proto::channel::ChannelKind;
use echo_rs::Value;
use yew::prelude::*;

use crate::context::use_echo_context;

/// An event handler, replaced on each render.
type Handler = Rc<dyn Fn(&Value)>;

/// Options for [`use_realtime_event_with_options`].
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

/// Listens for `event` on the public `channel` while the component is
/// mounted (the seed's `useRealtimeEvent`, Echo `channel(channel).listen(event)`).
///
/// `event` follows Laravel Echo's rules: `.RoomsUpdated` is the class short
/// name verbatim. The handler is kept in a ref and replaced on each render:
/// a closure capturing new state never resubscribes; changing `channel`
/// does. Components on one channel share one subscription. A no-op when
/// realtime is off or under SSR.
#[hook]
pub fn use_realtime_event<F>(channel: &str, event: &str, on_event: F)
where
    F: Fn(&Value) + 'static,
{
    use_realtime_event_with_options(channel, event, on_event, UseRealtimeEventOptions::default())
}

/// [`use_realtime_event`] with [`UseRealtimeEventOptions`] (`enabled`,
/// `private`).
#[hook]
pub fn use_realtime_event_with_options<F>(channel: &str, event: &str, on_event: F, options: UseRealtimeEventOptions)
where
    F: Fn(&Value) + 'static,
{
    let handler: Rc<RefCell<Handler>> = use_mut_ref(|| Rc::new(|_: &Value| {}) as Handler);
    // The latest closure, for the listener registered once per subscription.
    *handler.borrow_mut() = Rc::new(on_event);
    let context = use_echo_context();
    let kind = if options.private {
        ChannelKind::Private
    } else {
        ChannelKind::Public
    };
    let name = options.enabled.then(|| kind.ensure_prefix(channel));
    let generation = context.as_ref().map(|c| c.generation());
    let event = event.to_owned();
    use_effect_with((name, event, generation), move |(name, event, _)| {
        let held = context.zip(name.clone()).and_then(|(context, name)| {
            let (generation, channel) = context.registry().acquire(&name)?;
            let listener = channel.listen(event, move |data| {
                let current = handler.borrow().clone();
                current(data)
            });
            Some((context, generation, channel, listener))
        });
        move || {
            if let Some((context, generation, channel, listener)) = held {
                // Through the client: exactly this listener, even on a client
                // replaced since.
                channel.echo().stop_listening(listener);
                context.release(generation, channel.name());
            }
        }
    });
}
