//! What the [`Echo`](crate::Echo) client needs from its environment: a
//! WebSocket, a timer, a way to run futures and the clock. The browser
//! (`WebRuntime`, on `wasm32`), tokio (`TokioRuntime`, feature `tokio`) and
//! the in-memory test double (`echo_rs::testing::FakeRuntime`) implement it.
//! A runtime makes no protocol decisions.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use echo_proto::{AuthRequest, ChannelAuth, EchoError};

#[cfg(all(feature = "tokio", not(target_arch = "wasm32")))]
mod tokio;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(all(feature = "tokio", not(target_arch = "wasm32")))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "tokio", not(target_arch = "wasm32")))))]
pub use self::tokio::TokioRuntime;
#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub use self::web::WebRuntime;
/// The monotonic clock [`Runtime::now`] returns (`std::time::Instant`
/// natively, `performance.now()` in the browser).
pub use web_time::Instant;

/// A boxed, not necessarily `Send`, future.
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// What a socket reports to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketEvent {
    /// The socket opened.
    Open,
    /// A text frame arrived.
    Message(String),
    /// A binary frame arrived (not part of the Pusher protocol).
    Binary,
    /// The socket closed or failed; `code` is `None` when no close frame was
    /// received (1005/1006).
    Close {
        /// The WebSocket close code.
        code: Option<u16>,
        /// The close reason.
        reason: String,
    },
}

/// Receives a socket's events. Cheap to clone; calling it after the socket
/// was replaced or closed does nothing.
pub type SocketSink = std::rc::Rc<dyn Fn(SocketEvent)>;

/// An open (or opening) socket. Dropping it closes the socket and stops its
/// events.
pub trait SocketHandle {
    /// Sends a text frame; a socket that is not open drops it.
    fn send(&self, text: &str);
}

/// The environment of an [`Echo`](crate::Echo) client.
pub trait Runtime: 'static {
    /// The current time.
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// Opens a WebSocket to `url`; its events go to `sink`.
    ///
    /// # Errors
    /// A message when the socket cannot even be created (bad URL); the client
    /// treats it like a close without a code.
    fn open_socket(&self, url: &str, sink: SocketSink) -> Result<Box<dyn SocketHandle>, String>;

    /// Calls `callback` once after `delay`. Dropping the returned value
    /// cancels it.
    fn set_timer(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Box<dyn Any>;

    /// Runs `future` to completion in the background on the current thread.
    fn spawn_local(&self, future: LocalBoxFuture<()>);

    /// Whether the page is served over https (pusher-js then always uses TLS).
    fn page_is_https(&self) -> bool {
        false
    }

    /// A seed for the reconnect jitter.
    fn random_seed(&self) -> u64;

    /// The bearer token used when no token getter is set
    /// ([`set_echo_token_getter`](crate::set_echo_token_getter)).
    /// Browser: `localStorage.getItem("token")`. Default: none.
    fn default_token(&self) -> Option<String> {
        None
    }

    /// The page's CSRF token (`<meta name="csrf-token">`), sent as
    /// `X-CSRF-TOKEN`. Default: none.
    fn csrf_token(&self) -> Option<String> {
        None
    }

    /// The value of the page's cookie `name`, decoded (`%2B` → `+`), when
    /// the page can read it (not `HttpOnly`). Browser: `document.cookie`.
    /// Default: none.
    fn cookie(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }

    /// Performs `request` over HTTP: POST, form-encoded, its headers, and the
    /// answer checked by [`parse_auth_response`](crate::proto::parse_auth_response).
    /// Default: an error saying this runtime has no HTTP client, so an
    /// authorizer must be given.
    fn http_authorize(&self, request: AuthRequest) -> LocalBoxFuture<Result<ChannelAuth, EchoError>> {
        Box::pin(async move {
            Err(EchoError::Auth {
                channel: request.channel,
                cause: echo_proto::AuthFailure::NoHttpClient,
                reason: "this runtime has no HTTP client: pass an authorizer to Echo::with_runtime".into(),
            })
        })
    }

    /// Shows a warning about a likely mistake in the app (an `Echo` dropped
    /// while connected). Browser: `console.warn`; default: standard error.
    fn warn(&self, message: &str) {
        eprintln!("{message}");
    }

    /// Calls `callback` whenever liveness should be checked at once (the
    /// browser's `online` event, the page becoming visible). Dropping the
    /// returned value stops it. Default: never.
    fn watch_liveness(&self, callback: Box<dyn Fn()>) -> Box<dyn Any> {
        drop(callback);
        Box::new(())
    }
}
