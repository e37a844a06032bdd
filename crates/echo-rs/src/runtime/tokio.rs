//! The native runtime (feature `tokio`): sockets with tokio-tungstenite,
//! timers with `tokio::time`, channel authorization with reqwest, and futures
//! run with `tokio::task::spawn_local`.
//!
//! Everything runs on the current thread's [`LocalSet`](tokio::task::LocalSet):
//! the client is `!Send` and its socket events are delivered by local tasks.
//! TLS needs the `rustls` feature (rustls with the aws-lc-rs provider; the
//! webpki root certificates for sockets, the platform's for auth requests).
//! Without it only `ws://` is supported: options that resolve to `wss://`
//! (`force_tls`, the default of [`EchoOptions::new`](crate::EchoOptions::new))
//! fail to connect and are retried like any other connection failure, and an
//! `https://` auth endpoint fails with an [`EchoError::Auth`].

use std::any::Any;
use std::cell::Cell;
use std::hash::{BuildHasher, Hasher};
use std::rc::Rc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use super::{HttpError, HttpRequest, HttpResponse, LocalBoxFuture, Runtime, SocketEvent, SocketHandle, SocketSink};

/// How long a closing socket waits for the close handshake before it is
/// dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// The tokio [`Runtime`]; [`Echo::new_tokio`](crate::Echo::new_tokio) uses it.
///
/// - sockets: tokio-tungstenite, `ws://` (and `wss://` with the `rustls`
///   feature); a close frame's code is reported as is, a connection that
///   ends without one (refused, reset, handshake failure) as `code: None`;
///   dropping the socket sends a close frame (1000) and stops its events;
/// - timers: a `tokio::time::sleep` in a local task, aborted when the timer
///   is dropped; the clock is `tokio::time::Instant`, so tokio's paused test
///   time drives the client too;
/// - HTTP (the channel authorization POST): reqwest; a failed request's
///   message names every cause in its chain ("Connection refused" …);
/// - no `localStorage`, meta tags, cookies or page origin: a bearer token
///   comes from a getter ([`ChannelAuthorization::bearer_token`](crate::ChannelAuthorization::bearer_token)
///   or [`set_echo_token_getter`](crate::set_echo_token_getter));
/// - no liveness events, never an "https page".
///
/// # Panics
/// Every method that starts a task (opening a socket, arming a timer,
/// authorizing, hence [`Echo::new_tokio`](crate::Echo::new_tokio) itself) panics when called outside
/// a [`LocalSet`](tokio::task::LocalSet), or on a tokio runtime without its
/// time and IO drivers (build it with `enable_all`).
#[derive(Debug, Clone, Default)]
pub struct TokioRuntime {
    http: reqwest::Client,
}

impl TokioRuntime {
    /// A runtime with a default reqwest client.
    pub fn new() -> Self {
        Self::default()
    }

    /// A runtime whose auth requests go through `http` (for a proxy, timeouts,
    /// default headers …).
    pub fn with_http_client(http: reqwest::Client) -> Self {
        Self { http }
    }
}

impl Runtime for TokioRuntime {
    fn now(&self) -> web_time::Instant {
        tokio::time::Instant::now().into_std()
    }

    fn open_socket(&self, url: &str, sink: SocketSink) -> Result<Box<dyn SocketHandle>, String> {
        let supported = url.starts_with("ws://") || (cfg!(feature = "rustls") && url.starts_with("wss://"));
        if !supported {
            return Err(format!(
                "cannot open {url}: the tokio runtime supports ws:// only without its `rustls` feature (enable it, or set force_tls to false)"
            ));
        }
        let state = Rc::new(SocketState {
            open: Cell::new(false),
            dropped: Cell::new(false),
        });
        let (outgoing, receiver) = mpsc::unbounded_channel();
        let task = tokio::task::spawn_local(run_socket(url.to_owned(), sink, receiver, state.clone()));
        Ok(Box::new(TokioSocket {
            outgoing: Some(outgoing),
            state,
            _task: task,
        }))
    }

    fn set_timer(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Box<dyn Any> {
        Box::new(AbortOnDrop(tokio::task::spawn_local(async move {
            tokio::time::sleep(delay).await;
            callback();
        })))
    }

    fn spawn_local(&self, future: LocalBoxFuture<()>) {
        drop(tokio::task::spawn_local(future));
    }

    fn random_seed(&self) -> u64 {
        // std's RandomState is seeded randomly per process and per instance.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    }

    fn http_post(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, HttpError>> {
        let http = self.http.clone();
        Box::pin(async move {
            let mut builder = http.post(&request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let response = builder
                .body(request.body)
                .send()
                .await
                .map_err(|e| HttpError::Transport(error_chain(&e)))?;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            Ok(HttpResponse { status, body })
        })
    }
}

/// `error` and its sources, so that the cause is named: reqwest's own message
/// ("error sending request for url …") leaves out "Connection refused",
/// "connection reset" and the like.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Aborts the task when dropped (a cancelled timer).
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Shared by a socket handle and its task.
struct SocketState {
    /// The handshake completed and no close was seen: `send` goes through.
    open: Cell<bool>,
    /// The handle was dropped: no more events.
    dropped: Cell<bool>,
}

struct TokioSocket {
    /// Dropped with the handle, which tells the task to close the socket.
    outgoing: Option<mpsc::UnboundedSender<String>>,
    state: Rc<SocketState>,
    /// The task ends on its own once the handle is gone (after at most
    /// [`CLOSE_GRACE`] for the close handshake).
    _task: JoinHandle<()>,
}

impl SocketHandle for TokioSocket {
    fn send(&self, text: &str) {
        if let (true, Some(outgoing)) = (self.state.open.get(), &self.outgoing) {
            let _ = outgoing.send(text.to_owned());
        }
    }
}

impl Drop for TokioSocket {
    fn drop(&mut self) {
        self.state.dropped.set(true);
        self.state.open.set(false);
        self.outgoing = None;
    }
}

/// Connects, then pumps frames both ways until the peer closes, the
/// connection fails or the handle is dropped. Events reach `sink` only while
/// the handle lives.
async fn run_socket(url: String, sink: SocketSink, mut outgoing: mpsc::UnboundedReceiver<String>, state: Rc<SocketState>) {
    let emit = |event: SocketEvent| {
        if !state.dropped.get() {
            sink(event);
        }
    };
    let mut ws = tokio::select! {
        result = tokio_tungstenite::connect_async(url.as_str()) => match result {
            Ok((ws, _response)) => ws,
            Err(e) => return emit(SocketEvent::Close { code: None, reason: e.to_string() }),
        },
        // Nothing is sent before `open`, so this only ends when the handle is dropped.
        None = outgoing.recv() => return,
    };
    state.open.set(true);
    emit(SocketEvent::Open);
    loop {
        tokio::select! {
            text = outgoing.recv() => match text {
                Some(text) => {
                    if let Err(e) = ws.send(Message::text(text)).await {
                        state.open.set(false);
                        return emit(SocketEvent::Close { code: None, reason: e.to_string() });
                    }
                }
                None => {
                    let frame = CloseFrame { code: CloseCode::Normal, reason: "".into() };
                    let _ = tokio::time::timeout(CLOSE_GRACE, ws.close(Some(frame))).await;
                    return;
                }
            },
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => emit(SocketEvent::Message(text.as_str().to_owned())),
                Some(Ok(Message::Binary(_))) => emit(SocketEvent::Binary),
                Some(Ok(Message::Close(frame))) => {
                    state.open.set(false);
                    let (code, reason) = frame.map_or((None, String::new()), |f| (Some(u16::from(f.code)), f.reason.as_str().to_owned()));
                    emit(SocketEvent::Close { code, reason });
                    // Completes the close handshake (the reply is already queued).
                    let _ = tokio::time::timeout(CLOSE_GRACE, ws.close(None)).await;
                    return;
                }
                Some(Ok(_)) => {} // ping / pong; tungstenite answers pings itself
                Some(Err(e)) => {
                    state.open.set(false);
                    return emit(SocketEvent::Close { code: None, reason: e.to_string() });
                }
                None => {
                    state.open.set(false);
                    return emit(SocketEvent::Close { code: None, reason: "the connection ended without a close frame".into() });
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use tokio::net::TcpListener;
    use tokio_tungstenite::WebSocketStream;

    use super::*;

    type Events = Rc<RefCell<Vec<SocketEvent>>>;

    fn local_test(test: impl std::future::Future<Output = ()>) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        tokio::task::LocalSet::new().block_on(&runtime, test);
    }

    /// A one-connection WebSocket server on a free port, and the runtime's
    /// socket to it with its recorded events.
    async fn connect() -> (WebSocketStream<tokio::net::TcpStream>, Box<dyn SocketHandle>, Events) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/app/key", listener.local_addr().unwrap());
        let events: Events = Rc::default();
        let e = events.clone();
        let socket = TokioRuntime::new()
            .open_socket(&url, Rc::new(move |event| e.borrow_mut().push(event)))
            .unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        let server = tokio_tungstenite::accept_async(stream).await.unwrap();
        (server, socket, events)
    }

    async fn wait_for(events: &Events, count: usize) {
        for _ in 0..500 {
            if events.borrow().len() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("expected {count} events, got {:?}", events.borrow());
    }

    #[test]
    fn frames_flow_both_ways_and_a_close_frame_keeps_its_code() {
        local_test(async {
            let (mut server, socket, events) = connect().await;
            wait_for(&events, 1).await;
            socket.send("hello");
            assert_eq!(server.next().await.unwrap().unwrap(), Message::text("hello"));
            server.send(Message::text("world")).await.unwrap();
            server.send(Message::binary(vec![1, 2])).await.unwrap();
            let frame = CloseFrame {
                code: CloseCode::from(4001),
                reason: "app does not exist".into(),
            };
            server.send(Message::Close(Some(frame))).await.unwrap();
            wait_for(&events, 4).await;
            assert_eq!(
                *events.borrow(),
                [
                    SocketEvent::Open,
                    SocketEvent::Message("world".into()),
                    SocketEvent::Binary,
                    SocketEvent::Close {
                        code: Some(4001),
                        reason: "app does not exist".into()
                    },
                ]
            );
        });
    }

    #[test]
    fn a_connection_lost_without_a_close_frame_has_no_code() {
        local_test(async {
            let (server, _socket, events) = connect().await;
            wait_for(&events, 1).await;
            drop(server);
            wait_for(&events, 2).await;
            assert!(
                matches!(events.borrow()[1], SocketEvent::Close { code: None, .. }),
                "{:?}",
                events.borrow()
            );

            let events: Events = Rc::default();
            let e = events.clone();
            let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
            let _refused = TokioRuntime::new()
                .open_socket(&format!("ws://127.0.0.1:{port}/"), Rc::new(move |event| e.borrow_mut().push(event)))
                .unwrap();
            wait_for(&events, 1).await;
            assert!(
                matches!(events.borrow()[0], SocketEvent::Close { code: None, .. }),
                "{:?}",
                events.borrow()
            );
        });
    }

    #[test]
    fn dropping_the_handle_closes_with_1000_and_stops_events() {
        local_test(async {
            let (mut server, socket, events) = connect().await;
            wait_for(&events, 1).await;
            drop(socket);
            let close = server.next().await.unwrap().unwrap();
            assert!(
                matches!(close, Message::Close(Some(ref f)) if f.code == CloseCode::Normal),
                "{close:?}"
            );
            let _ = server.send(Message::text("too late")).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            assert_eq!(*events.borrow(), [SocketEvent::Open]);
        });
    }

    #[cfg(not(feature = "rustls"))]
    #[test]
    fn wss_is_refused_at_once_without_rustls() {
        local_test(async {
            let result = TokioRuntime::new().open_socket("wss://example.invalid/", Rc::new(|_| {}));
            assert!(result.err().is_some_and(|e| e.contains("ws:// only")));
        });
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn wss_is_attempted_with_rustls() {
        local_test(async {
            let events: Events = Rc::default();
            let e = events.clone();
            // A server that accepts the TCP connection and hangs up: the TLS
            // client config is built, then the handshake fails.
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let _socket = TokioRuntime::new()
                .open_socket(
                    &format!("wss://127.0.0.1:{port}/"),
                    Rc::new(move |event| e.borrow_mut().push(event)),
                )
                .expect("wss:// is supported with the rustls feature");
            drop(listener.accept().await.unwrap());
            wait_for(&events, 1).await;
            assert!(
                matches!(&events.borrow()[0], SocketEvent::Close { code: None, reason } if reason.contains("tls")),
                "{:?}",
                events.borrow()
            );
        });
    }

    #[test]
    fn a_dropped_timer_never_fires() {
        local_test(async {
            let fired = Rc::new(Cell::new(0));
            let (a, b) = (fired.clone(), fired.clone());
            let runtime = TokioRuntime::new();
            let kept = runtime.set_timer(Duration::from_millis(10), Box::new(move || a.set(a.get() + 1)));
            drop(runtime.set_timer(Duration::from_millis(10), Box::new(move || b.set(b.get() + 10))));
            tokio::time::sleep(Duration::from_millis(50)).await;
            assert_eq!(fired.get(), 1);
            drop(kept);
        });
    }
}
