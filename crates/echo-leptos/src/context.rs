//! The app-wide client: provided once, built lazily on first use in the
//! browser, recreated after [`disconnect_echo`] (the demo app provides it in
//! `demo/app/src/app.rs` and disconnects it after staff sign-in and sign-out).

use std::collections::HashMap;
use std::rc::Rc;

use echo_rs::{Echo, EchoOptions};
use leptos::prelude::*;

type Factory = Rc<dyn Fn() -> Option<Echo>>;

/// The realtime context that [`provide_echo`] puts in Leptos context. `Copy`.
#[derive(Clone, Copy)]
pub struct EchoContext {
    factory: StoredValue<Option<Factory>, LocalStorage>,
    client: StoredValue<Option<Echo>, LocalStorage>,
    /// Bumped by [`disconnect_echo`]; hooks track it to move to the new client.
    generation: RwSignal<u64>,
    /// Reference counts of channels held by hooks, by full channel name.
    counts: StoredValue<HashMap<String, usize>, LocalStorage>,
}

/// Provides the realtime client to the component tree and returns it.
///
/// `options` is `None`, or has an empty `key`, when realtime is disabled
/// (the demo app built with an empty `ECHO_WS_KEY`): every hook then does nothing and the app
/// keeps working without live updates. Nothing connects until a hook first
/// needs the client, and only in the browser: under SSR every hook is a no-op.
pub fn provide_echo(options: Option<EchoOptions>) -> EchoContext {
    let options = options.filter(|o| !o.key.trim().is_empty());
    provide_echo_with(move || {
        let options = options.clone()?;
        if !cfg!(target_arch = "wasm32") {
            return None;
        }
        #[cfg(target_arch = "wasm32")]
        return match Echo::new(options) {
            Ok(client) => Some(client),
            Err(error) => {
                leptos::logging::error!("echo-rs: realtime disabled: {error}");
                None
            }
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = options;
            None
        }
    })
}

/// Like [`provide_echo`] with a custom way to build the client: another
/// runtime, a custom authorizer, or the test double
/// (`echo_rs::testing`). `factory` runs on first use and again after
/// [`disconnect_echo`]; `None` disables realtime. The client is
/// disconnected when the owner that called this is disposed.
pub fn provide_echo_with(factory: impl Fn() -> Option<Echo> + 'static) -> EchoContext {
    let context = EchoContext {
        factory: StoredValue::new_local(Some(Rc::new(factory) as Factory)),
        client: StoredValue::new_local(None),
        generation: RwSignal::new(0),
        counts: StoredValue::new_local(HashMap::new()),
    };
    provide_context(context);
    // The client is this context's: when the owner that provided it goes
    // (after every hook below it has cleaned up), leave what the hooks held
    // and close the connection, rather than leak an open socket.
    on_cleanup(move || {
        let channels = context.counts.try_update_value(std::mem::take).unwrap_or_default();
        if let Some(client) = context.client.try_update_value(Option::take).flatten() {
            channels.keys().for_each(|channel| client.leave_channel(channel));
            client.disconnect();
        }
    });
    context
}

impl EchoContext {
    /// The generation of the client, tracked: it changes after
    /// [`disconnect_echo`], and hooks re-subscribe on the new client.
    pub fn generation(&self) -> u64 {
        self.generation.try_get().unwrap_or_default()
    }

    /// [`generation`](Self::generation), untracked.
    pub(crate) fn generation_untracked(&self) -> u64 {
        self.generation.get_untracked()
    }

    /// Whether realtime is configured (echo-react `echoIsConfigured`):
    /// `false` when [`provide_echo`] got no options or an empty key, or the
    /// client could not be built (invalid options, under SSR). Builds the
    /// client if it was not yet.
    pub fn is_configured(&self) -> bool {
        self.client().is_some()
    }

    /// The client, built on first call. `None` when realtime is disabled,
    /// under SSR, when the options are invalid (logged once), or once the
    /// owner that provided the context is gone.
    pub fn client(&self) -> Option<Echo> {
        if let Some(client) = self.client.try_with_value(Clone::clone)? {
            return Some(client);
        }
        let factory = self.factory.try_with_value(Clone::clone)??;
        match factory() {
            Some(client) => {
                self.client.try_set_value(Some(client.clone()));
                Some(client)
            }
            None => {
                // Disabled or invalid: don't try again on every use.
                self.factory.try_set_value(None);
                None
            }
        }
    }

    /// The client if it was built and is still of `generation`: cleanups use
    /// it, since a handle of an older client means nothing to a newer one.
    pub(crate) fn client_of(&self, generation: u64) -> Option<Echo> {
        if self.generation.try_get_untracked()? != generation {
            return None;
        }
        self.client.try_with_value(Clone::clone).flatten()
    }

    /// Takes a reference on `channel` (full name), subscribing on the first.
    pub(crate) fn acquire(&self, client: &Echo, channel: &str) -> echo_rs::Channel {
        self.counts
            .update_value(|counts| *counts.entry(channel.to_owned()).or_default() += 1);
        client.subscribe(channel.to_owned())
    }

    /// Drops a reference on `channel` taken on the client of `generation`
    /// (none if that client was replaced since); the last one leaves the
    /// channel after the current tick, unless it was taken again meanwhile
    /// (unmount and remount in one tick keep the subscription).
    pub(crate) fn release(&self, generation: u64, channel: String) {
        // A reference taken on an older client was forgotten by `disconnect`;
        // dropping it here would take one from a hook on the new client.
        if self.generation.try_get_untracked() != Some(generation) {
            return;
        }
        let Some(Some(left)) = self.counts.try_update_value(|counts| {
            let count = counts.get_mut(&channel)?;
            *count = count.saturating_sub(1);
            Some(*count)
        }) else {
            return;
        };
        if left > 0 {
            return;
        }
        let context = *self;
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            // The counts are the new client's after a disconnect meanwhile.
            if context.generation.try_get_untracked() != Some(generation) {
                return;
            }
            let still_unused = context.counts.try_with_value(|c| c.get(&channel) == Some(&0)).unwrap_or(false);
            if still_unused {
                context.counts.update_value(|c| {
                    c.remove(&channel);
                });
                if let Some(client) = context.client_of(generation) {
                    client.leave_channel(&channel);
                }
            }
        });
    }

    /// Leaves the forms of `channel`'s name other than `channel` itself
    /// (Echo `leave(name)`: `name`, `private-name`, `private-encrypted-name`,
    /// `presence-name`) that no hook holds, on the client of `generation`.
    pub(crate) fn leave_other_forms(&self, generation: u64, channel: &str) {
        let Some(client) = self.client_of(generation) else { return };
        let base = echo_rs::proto::channel::ChannelKind::of(channel).strip_prefix(channel);
        let wanted = client.channel_names();
        for name in echo_rs::proto::channel::leave_names(base) {
            // Held by a hook, or released this tick and left at its end
            // unless taken again (a remount in one tick keeps it).
            let hooks_have_it = self.counts.try_with_value(|c| c.contains_key(&name)).unwrap_or(true);
            if name != channel && !hooks_have_it && wanted.contains(&name) {
                client.leave_channel(&name);
            }
        }
    }

    /// How many hook references `channel` has (for tests and devtools).
    pub fn channel_refs(&self, channel: &str) -> usize {
        self.counts.try_with_value(|c| c.get(channel).copied().unwrap_or(0)).unwrap_or(0)
    }

    /// Disconnects and forgets the client; the next use builds a new one.
    pub fn disconnect(&self) {
        if let Some(client) = self.client.try_update_value(Option::take).flatten() {
            client.disconnect();
        }
        self.counts.try_update_value(HashMap::clear);
        self.generation.try_update(|g| *g += 1);
    }
}

/// The provided [`EchoContext`], if [`provide_echo`] was called above
/// (echo-react's `echo()` is `use_echo_context()?.client()`).
pub fn use_echo_context() -> Option<EchoContext> {
    use_context::<EchoContext>()
}

/// Disconnects the client so that the next subscription builds a fresh one,
/// e.g. with a new token after login (as the demo app's staff sign-in does). Hooks
/// move to the new client by themselves.
pub fn disconnect_echo() {
    if let Some(context) = use_echo_context() {
        context.disconnect();
    }
}
