//! The one effect every channel hook is built on: take a reference on the
//! channel, register this component's listeners, and on cleanup remove exactly
//! those listeners and drop the reference.

use echo_rs::proto::channel::ChannelKind;
use echo_rs::{Channel, ListenerHandle};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::context::use_echo;

/// Subscribes to the channel `channel` yields (a full name; `None` = off)
/// while the component is mounted, calling `register` once per subscription
/// to add this component's listeners. `register` runs untracked inside the
/// effect, so an `on_cleanup` it calls runs when those listeners go.
///
/// Re-runs only when `channel` or the client generation changes: a new
/// closure on re-render does not resubscribe, because callers keep their
/// handlers in stored values (laravel/echo #539).
pub(crate) fn use_channel_listeners(
    channel: impl Fn() -> Option<String> + 'static,
    register: impl Fn(&Channel) -> Vec<ListenerHandle> + 'static,
) {
    let Some(context) = use_echo() else { return };
    let channel = StoredValue::new_local(Box::new(channel) as Box<dyn Fn() -> Option<String>>);
    let register = StoredValue::new_local(Box::new(register) as Box<dyn Fn(&Channel) -> Vec<ListenerHandle>>);
    Effect::new(move |_| {
        let generation = context.generation();
        let Some(name) = channel.with_value(|f| f()) else { return };
        let Some(client) = context.client() else { return };
        let handle = context.acquire(&client, &name);
        // Untracked: what `register` reads must not resubscribe when it changes.
        let handles = untrack(|| register.with_value(|f| f(&handle)));
        let handle = SendWrapper::new(handle);
        on_cleanup(move || {
            // On the channel's own client, even one replaced since: listeners
            // left on it would keep it (and what they capture) alive.
            handles.into_iter().for_each(|h| {
                handle.stop_listening(h);
            });
            context.release(generation, name);
        });
    });
}

/// `name` with `private-` in front when `private` is set and it is not
/// already a private or presence name (the core's channel naming rule).
pub(crate) fn full_name(name: &str, private: bool) -> String {
    let kind = if private { ChannelKind::Private } else { ChannelKind::Public };
    kind.ensure_prefix(name)
}
