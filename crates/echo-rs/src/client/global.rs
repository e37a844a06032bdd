//! The app-wide client: one [`Echo`] per page, kept until the app lets it go,
//! like a typical Laravel + React app's `getEcho()` / `disconnectEcho()` and echo-react's
//! `configureEcho()` / `echo()`.
//!
//! ```
//! use echo_rs::testing::FakeEcho;
//!
//! // At start-up (in the browser: `echo_rs::configure_echo(options)?`).
//! let fake = FakeEcho::new("app-key")?;
//! let client = fake.echo().clone();
//! echo_rs::configure_echo_with(move || Some(client.clone()));
//!
//! // Anywhere later: the same client, alive after the caller returns.
//! if let Some(echo) = echo_rs::echo() {
//!     echo.channel("rooms").listen(".RoomsUpdated", |data| println!("{data}"));
//! }
//! assert!(fake.emit("rooms", ".RoomsUpdated", serde_json::json!({ "room_ids": [1] })));
//!
//! // After signing in or out: the next `echo()` builds a fresh client,
//! // which authorizes with the new token.
//! echo_rs::disconnect_echo();
//! # Ok::<(), echo_rs::ConfigError>(())
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use super::Echo;

type Build = Rc<dyn Fn() -> Option<Echo>>;

#[derive(Default)]
struct Global {
    build: Option<Build>,
    client: Option<Echo>,
}

thread_local! {
    static GLOBAL: RefCell<Global> = RefCell::default();
}

/// Configures the app-wide browser client from `options` (echo-react
/// `configureEcho`); [`echo`] builds it on first use. Replaces an earlier
/// configuration, disconnecting the client built from it. An empty
/// `options.key` turns realtime off: [`echo`] then returns `None` (a typical Laravel + React app's
/// `getEcho()` returning `null` when no key is set).
///
/// # Errors
/// [`ConfigError`](crate::ConfigError) when a key is set but the options can
/// never connect (no host, a host with a scheme …); nothing is configured
/// then.
#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub fn configure_echo(options: crate::EchoOptions) -> Result<(), crate::ConfigError> {
    if !options.key.trim().is_empty() {
        options.validate()?;
    }
    configure_echo_with(move || Echo::new_if_configured(options.clone()).ok().flatten());
    Ok(())
}

/// Configures the app-wide client with a function that builds it, on any
/// runtime (`|| Echo::new_tokio(options.clone()).ok()`, a test double …);
/// `None` from it means realtime is off. Replaces an earlier configuration,
/// disconnecting the client built from it.
pub fn configure_echo_with(build: impl Fn() -> Option<Echo> + 'static) {
    let old = GLOBAL.with(|global| {
        let mut global = global.borrow_mut();
        global.build = Some(Rc::new(build));
        global.client.take()
    });
    if let Some(old) = old {
        old.disconnect();
    }
}

/// The app-wide client (a typical Laravel + React app's `getEcho()`, echo-react `echo()`): built
/// by the configuration on first call, then the same client (a cheap clone)
/// until [`disconnect_echo`]. The app-wide configuration keeps it alive, so
/// a caller may drop what it gets. `None` when nothing is configured
/// (`configure_echo`, [`configure_echo_with`]) or realtime is off.
pub fn echo() -> Option<Echo> {
    let (existing, build) = GLOBAL.with(|global| {
        let global = global.borrow();
        (global.client.clone(), global.build.clone())
    });
    if existing.is_some() {
        return existing;
    }
    // Built with no borrow held: building connects and may call back here.
    let client = build?()?;
    GLOBAL.with(|global| global.borrow_mut().client.get_or_insert(client).clone().into())
}

/// Disconnects the app-wide client and forgets it (a typical Laravel + React app's
/// `disconnectEcho()`, called after signing in or out): its channels and
/// listeners go with it, and the next [`echo`] builds a new client that
/// authorizes with the current token. The configuration is kept. Does
/// nothing when no client was built.
pub fn disconnect_echo() {
    let client = GLOBAL.with(|global| global.borrow_mut().client.take());
    if let Some(client) = client {
        client.disconnect();
    }
}
