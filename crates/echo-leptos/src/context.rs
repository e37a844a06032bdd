//! The app-wide client: provided once, built lazily, recreated after
//! [`disconnect_echo`] (the seed's `getEcho()` / `disconnectEcho()`).

use echo_rs::EchoOptions;
use leptos::prelude::*;

#[cfg(target_arch = "wasm32")]
type Client = echo_rs::Echo;
#[cfg(not(target_arch = "wasm32"))]
type Client = ();

/// The realtime context [`provide_echo`] puts in Leptos context. `Copy`.
#[derive(Clone, Copy)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub struct EchoContext {
    options: StoredValue<Option<EchoOptions>>,
    client: StoredValue<Option<Client>, LocalStorage>,
    /// Bumped by [`disconnect_echo`]; hooks track it to move to the new client.
    generation: RwSignal<u64>,
}

/// Provides the realtime client to the component tree.
///
/// `options` is `None`, or has an empty `key`, when realtime is disabled: then
/// every hook does nothing and the app keeps working without live updates
/// (seed §7.7). Nothing connects until a hook first needs the client.
pub fn provide_echo(options: Option<EchoOptions>) -> EchoContext {
    let options = options.filter(|o| !o.key.trim().is_empty());
    let context = EchoContext {
        options: StoredValue::new(options),
        client: StoredValue::new_local(None),
        generation: RwSignal::new(0),
    };
    provide_context(context);
    context
}

impl EchoContext {
    /// Whether a key is configured.
    pub fn is_enabled(&self) -> bool {
        self.options.with_value(Option::is_some)
    }

    /// The generation of the client, tracked: changes after [`disconnect_echo`].
    pub fn generation(&self) -> u64 {
        self.generation.get()
    }

    /// Like [`generation`](Self::generation), without tracking.
    pub fn generation_untracked(&self) -> u64 {
        self.generation.get_untracked()
    }

    /// The client, built on first call in the browser. `None` when realtime is
    /// disabled, under SSR or when the options are invalid (the error is
    /// logged once to the console).
    #[cfg(target_arch = "wasm32")]
    pub fn client(&self) -> Option<echo_rs::Echo> {
        if let Some(client) = self.client.with_value(Clone::clone) {
            return Some(client);
        }
        let options = self.options.get_value()?;
        match echo_rs::Echo::new(options) {
            Ok(client) => {
                self.client.set_value(Some(client.clone()));
                Some(client)
            }
            Err(error) => {
                leptos::logging::error!("echo-rs: realtime disabled: {error}");
                self.options.set_value(None);
                None
            }
        }
    }

    /// Runs `f` with the client if it was built and is still of `generation`
    /// (used by cleanups: a handle of an older client means nothing to a
    /// newer one).
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn with_built_client(&self, generation: u64, f: impl FnOnce(&echo_rs::Echo)) {
        if self.generation.get_untracked() == generation {
            self.client.with_value(|client| client.as_ref().map(f));
        }
    }

    /// Under SSR there is never a client.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn client(&self) -> Option<Client> {
        None
    }

    /// Disconnects and forgets the client; the next use builds a new one.
    pub fn disconnect(&self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(client) = self.client.try_update_value(Option::take).flatten() {
            client.disconnect();
        }
        self.generation.update(|g| *g += 1);
    }
}

/// The provided [`EchoContext`], if [`provide_echo`] was called above.
pub fn use_echo() -> Option<EchoContext> {
    use_context::<EchoContext>()
}

/// Disconnects the client so that the next subscription builds a fresh one,
/// e.g. with a new token after login (the seed's `disconnectEcho()`).
pub fn disconnect_echo() {
    if let Some(context) = use_echo() {
        context.disconnect();
    }
}
