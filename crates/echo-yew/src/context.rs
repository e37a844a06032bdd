//! The app-wide client in Yew context: [`EchoProvider`] builds it lazily,
//! [`use_disconnect_echo`] replaces it (after a sign-in), and hooks find it
//! with [`use_echo_context`].

use std::rc::Rc;

use echo_rs::hooks::ChannelRegistry;
use echo_rs::{Echo, EchoOptions};
use yew::prelude::*;

/// A way to build the client for [`EchoProvider`]: another runtime, a custom
/// authorizer, or the test double (`echo_rs::testing::FakeEcho`). It runs
/// on first use and again after [`use_disconnect_echo`]; `None` turns
/// realtime off. Two factories are equal when they are the same `Rc`.
#[derive(Clone)]
pub struct EchoFactory(Rc<dyn Fn() -> Option<Echo>>);

impl EchoFactory {
    /// A factory calling `build`.
    pub fn new(build: impl Fn() -> Option<Echo> + 'static) -> Self {
        Self(Rc::new(build))
    }
}

impl PartialEq for EchoFactory {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The properties of [`EchoProvider`].
#[derive(Properties, PartialEq)]
pub struct EchoProviderProps {
    /// The client's options (`EchoOptions::reverb(key, host, port, scheme)`
    /// …). `None`, or an empty `key`, turns realtime off: every hook below
    /// does nothing and the app works without live updates (the seed's
    /// "realtime off when no key is set"). Read once, when the provider
    /// mounts.
    #[prop_or_default]
    pub options: Option<EchoOptions>,
    /// Builds the client instead of `options` (tests, other runtimes).
    /// Read once, when the provider mounts.
    #[prop_or_default]
    pub factory: Option<EchoFactory>,
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// What [`EchoProvider`] puts in Yew context: the registry of the app-wide
/// client and its channels, and the client's generation (it changes after
/// [`use_disconnect_echo`], and hooks move to the new client).
#[derive(Clone)]
pub struct EchoContext {
    registry: ChannelRegistry,
    generation: u64,
    disconnect: Callback<()>,
}

impl PartialEq for EchoContext {
    fn eq(&self, other: &Self) -> bool {
        // One registry per provider: the generation is what changes.
        self.generation == other.generation
    }
}

impl EchoContext {
    /// The client, built on first call; `None` when realtime is off or
    /// under SSR (echo-react `echo()`).
    pub fn client(&self) -> Option<Echo> {
        self.registry.client()
    }

    /// Whether realtime is on (echo-react `echoIsConfigured`).
    pub fn is_configured(&self) -> bool {
        self.registry.is_configured()
    }

    /// The client's generation: 0, then one more after each disconnect.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The framework-neutral registry behind the hooks.
    pub fn registry(&self) -> &ChannelRegistry {
        &self.registry
    }

    /// How many hook references `channel` (full name) has.
    pub fn channel_refs(&self, channel: &str) -> usize {
        self.registry.channel_refs(channel)
    }

    /// Disconnects the client; hooks move to a fresh one (Laravel's
    /// `disconnectEcho`, after a sign-in).
    pub fn disconnect(&self) {
        self.disconnect.emit(());
    }

    /// Drops a reference taken in `generation` on `channel`; the last one
    /// leaves the channel after the current render, unless a component
    /// takes it again meanwhile.
    pub(crate) fn release(&self, generation: u64, channel: &str) {
        if let Some(leave) = self.registry.release(generation, channel) {
            // Runs once Yew's scheduler has finished this render.
            yew::platform::spawn_local(async move { leave.finish() });
        }
    }
}

/// The client's options as a factory: `None` without a key, and natively
/// (under SSR) always `None`.
fn factory_of(options: Option<EchoOptions>) -> EchoFactory {
    let options = options.filter(|o| !o.key.trim().is_empty());
    EchoFactory::new(move || {
        let options = options.clone()?;
        #[cfg(target_arch = "wasm32")]
        return match Echo::new(options) {
            Ok(client) => Some(client),
            Err(error) => {
                web_log(&format!("echo-rs: realtime disabled: {error}"));
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

#[cfg(target_arch = "wasm32")]
fn web_log(message: &str) {
    web_sys::console::error_1(&message.into());
}

/// Provides the app-wide client to its children (echo-react
/// `configureEcho`): configured once, built lazily when a hook first needs
/// it, left and disconnected when the provider unmounts.
#[component]
pub fn EchoProvider(props: &EchoProviderProps) -> Html {
    let registry = use_state(|| {
        let factory = props.factory.clone().unwrap_or_else(|| factory_of(props.options.clone()));
        ChannelRegistry::new(move || (factory.0)())
    });
    let generation = use_state(|| 0_u64);
    {
        let registry = (*registry).clone();
        use_effect_with((), move |_| move || registry.shutdown());
    }
    let disconnect = {
        let registry = (*registry).clone();
        let generation = generation.clone();
        Callback::from(move |_| {
            registry.disconnect();
            generation.set(registry.generation());
        })
    };
    let context = EchoContext {
        registry: (*registry).clone(),
        generation: *generation,
        disconnect,
    };
    html! {
        <ContextProvider<EchoContext> {context}>{ props.children.clone() }</ContextProvider<EchoContext>>
    }
}

/// The provided [`EchoContext`], if an [`EchoProvider`] is above.
#[hook]
pub fn use_echo_context() -> Option<EchoContext> {
    use_context::<EchoContext>()
}

/// A callback that disconnects the app-wide client so that hooks move to a
/// fresh one (Laravel's `disconnectEcho`, e.g. with a new token after a
/// sign-in). Does nothing without a provider.
#[hook]
pub fn use_disconnect_echo() -> Callback<()> {
    let context = use_echo_context();
    Callback::from(move |_| {
        if let Some(context) = &context {
            context.disconnect();
        }
    })
}
