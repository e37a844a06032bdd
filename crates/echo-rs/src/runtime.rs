//! What the [`Echo`](crate::Echo) client needs from its environment: a
//! WebSocket, a timer, a way to run futures, the clock, an HTTP POST and
//! what the page offers (storage, meta tags, cookies, its origin). Only IO:
//! which storage key, meta tag or cookie to read, and what to POST, are the
//! client's choice ([`ChannelAuthorization`](crate::ChannelAuthorization)). The browser
//! (`WebRuntime`, on `wasm32`), tokio (`TokioRuntime`, feature `tokio`) and
//! the in-memory test double (`echo_rs::testing::FakeRuntime`) implement it.
//! A runtime makes no protocol decisions.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

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

/// An HTTP POST the client asks its runtime to make (the channel
/// authorization request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The URL, absolute or relative to the page.
    pub url: String,
    /// Every header to send, `Content-Type` included.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// Whether cookies go with it (fetch's `credentials`); native runtimes
    /// keep no cookies.
    pub credentials: echo_proto::AuthCredentials,
}

/// The answer to an [`HttpRequest`], any status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body text (empty when it could not be read).
    pub body: String,
}

/// Why an [`HttpRequest`] got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// This runtime makes no HTTP requests.
    Unsupported,
    /// The request failed before an answer: the message names the cause
    /// (connection refused, DNS, TLS, CORS …).
    Transport(String),
}

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

    /// The value stored under `key` in the page's `localStorage`.
    /// Default: none.
    fn local_storage(&self, key: &str) -> Option<String> {
        let _ = key;
        None
    }

    /// The `content` of the page's `<meta name="{name}">`. Default: none.
    fn meta_content(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }

    /// The value of the page's cookie `name`, decoded (`%2B` → `+`), when
    /// the page can read it (not `HttpOnly`). Browser: `document.cookie`.
    /// Default: none.
    fn cookie(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }

    /// The page's origin (`https://app.example.test`), to tell same-origin
    /// URLs from others. Default: none (no page).
    fn page_origin(&self) -> Option<String> {
        None
    }

    /// Makes an HTTP POST and returns the status and body, whatever the
    /// status. Default: [`HttpError::Unsupported`] (the client then needs an
    /// authorizer).
    fn http_post(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, HttpError>> {
        drop(request);
        Box::pin(async { Err(HttpError::Unsupported) })
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
