//! The app-wide client: provided once, built lazily on first use in the
//! browser, recreated after [`disconnect_echo`] (the demo app provides it in
//! `demo/app/src/app.rs` and disconnects it after staff sign-in and sign-out).
//! The rules (lazy client, reference-counted channels, generations) are
//! echo-rs's framework-neutral [`ChannelRegistry`]; this adds Leptos's
//! context, reactivity and scheduling.

use echo_rs::hooks::ChannelRegistry;
use echo_rs::{Echo, EchoOptions};
use leptos::prelude::*;

/// The realtime context that [`provide_echo`] puts in Leptos context. `Copy`.
#[derive(Clone, Copy)]
pub struct EchoContext {
    registry: StoredValue<ChannelRegistry, LocalStorage>,
    /// The registry's generation as a signal: bumped by [`disconnect_echo`];
    /// hooks track it to move to the new client.
    generation: RwSignal<u64>,
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
        registry: StoredValue::new_local(ChannelRegistry::new(factory)),
        generation: RwSignal::new(0),
    };
    provide_context(context);
    // The client is this context's: when the owner that provided it goes
    // (after every hook below it has cleaned up), leave what the hooks held
    // and close the connection, rather than leak an open socket.
    on_cleanup(move || {
        if let Some(registry) = context.registry() {
            registry.shutdown();
        }
    });
    context
}

impl EchoContext {
    /// The registry, unless the owner that provided it is gone.
    pub(crate) fn registry(&self) -> Option<ChannelRegistry> {
        self.registry.try_with_value(Clone::clone)
    }

    /// The generation of the client, tracked: it changes after
    /// [`disconnect_echo`], and hooks re-subscribe on the new client.
    pub fn generation(&self) -> u64 {
        self.generation.try_get().unwrap_or_default()
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
        self.registry()?.client()
    }

    /// How many hook references `channel` has (for tests and devtools).
    pub fn channel_refs(&self, channel: &str) -> usize {
        self.registry().map_or(0, |r| r.channel_refs(channel))
    }

    /// Disconnects and forgets the client; the next use builds a new one.
    pub fn disconnect(&self) {
        let Some(registry) = self.registry() else { return };
        registry.disconnect();
        self.generation.try_set(registry.generation());
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
