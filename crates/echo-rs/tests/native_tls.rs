//! TLS on `TokioRuntime` (feature `rustls`), on loopback only: a `wss://`
//! socket and an `https://` auth endpoint each open a TLS handshake (the
//! first bytes on the wire are a TLS ClientHello), and a handshake that fails
//! is handled like any other failure: the socket is retried, the channel's
//! `error` listeners hear of the auth failure. Nothing here has a
//! certificate: the point is that TLS is attempted where it was asked for,
//! not that a certificate chain verifies.
//!
//! `scripts/test.sh` runs it with
//! `cargo test -p laravel-echo-rs --features rustls --lib --test native_tls`.
#![cfg(all(feature = "rustls", not(target_arch = "wasm32")))]

mod native_support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::{ConnectionState, Echo, EchoOptions};
use futures_util::SinkExt;
use native_support::{poll_until, run_local};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const TIMEOUT: Duration = Duration::from_secs(10);

async fn listen() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    (listener, port)
}

/// Accepts the next connection on `listener`, reads the first six bytes the
/// client sends, and hangs up.
async fn first_bytes(listener: &TcpListener) -> [u8; 6] {
    let (mut stream, _) = tokio::time::timeout(TIMEOUT, listener.accept())
        .await
        .expect("a connection in time")
        .expect("accepted");
    let mut bytes = [0; 6];
    tokio::time::timeout(TIMEOUT, stream.read_exact(&mut bytes))
        .await
        .expect("bytes in time")
        .expect("six bytes");
    bytes
}

/// A TLS record of type handshake (22), version 3.x, whose first message is
/// a ClientHello (1).
fn is_client_hello(bytes: &[u8; 6]) -> bool {
    bytes[0] == 22 && bytes[1] == 3 && bytes[5] == 1
}

#[test]
fn a_wss_socket_opens_a_tls_handshake_and_a_failed_one_is_retried() {
    run_local(async {
        let (listener, port) = listen().await;
        // "https": force_tls, so wss://127.0.0.1:{port}/app/app-key.
        let echo = Echo::new_tokio(EchoOptions::reverb("app-key", "127.0.0.1", port, "https")).expect("a client");
        let hello = first_bytes(&listener).await;
        assert!(is_client_hello(&hello), "not a TLS ClientHello: {hello:?}");
        // The handshake failed (the server hung up): the client tries again,
        // with TLS again, and is never connected.
        let again = first_bytes(&listener).await;
        assert!(is_client_hello(&again), "not a TLS ClientHello: {again:?}");
        assert_ne!(echo.connection_state(), ConnectionState::Connected);
        echo.disconnect();
    });
}

#[test]
fn an_https_auth_endpoint_opens_a_tls_handshake_and_its_failure_reaches_the_channel() {
    run_local(async {
        // A plain ws:// Pusher server that only says hello.
        let (sockets, ws_port) = listen().await;
        let server = tokio::task::spawn_local(async move {
            let (stream, _) = sockets.accept().await.expect("the client's socket");
            let mut socket = tokio_tungstenite::accept_async(stream).await.expect("a WebSocket handshake");
            let hello = r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.1\",\"activity_timeout\":120}"}"#;
            socket.send(Message::text(hello)).await.expect("sent");
            // Keep the socket open while the test runs.
            std::future::pending::<()>().await;
            drop(socket);
        });
        let (auth, auth_port) = listen().await;
        let endpoint = format!("https://127.0.0.1:{auth_port}/broadcasting/auth");
        let mut options = EchoOptions::reverb("app-key", "127.0.0.1", ws_port, "http");
        options.auth_endpoint = endpoint.clone();
        let echo = Echo::new_tokio(options).expect("a client");
        let errors = Rc::new(RefCell::new(Vec::<String>::new()));
        let seen = errors.clone();
        let channel = echo.private("orders.1");
        channel.error(move |error| seen.borrow_mut().push(error.to_string()));

        let hello = first_bytes(&auth).await;
        assert!(is_client_hello(&hello), "not a TLS ClientHello: {hello:?}");
        poll_until("the auth failure on the channel", TIMEOUT, || !errors.borrow().is_empty()).await;
        let error = errors.borrow()[0].clone();
        assert!(
            error.contains("private-orders.1") && error.contains(&endpoint),
            "the error names the channel and the endpoint: {error}"
        );
        assert!(!channel.is_subscribed());
        echo.disconnect();
        server.abort();
    });
}
