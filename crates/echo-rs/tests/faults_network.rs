//! Network and auth-endpoint faults against a real Sockudo, on `TokioRuntime`.
//!
//! Between the client and Sockudo sits [`FaultProxy`], a loopback TCP proxy
//! under the test's control: it can cut every connection (FIN), reset them
//! (RST, `SO_LINGER 0`), stall them (sockets stay open, no byte moves), delay
//! every chunk, and refuse new connections (accepted and reset at once, as a
//! host with nothing listening answers). Channel authorization goes to
//! [`AuthServer`], a hand-written HTTP/1.1 endpoint that signs channels with
//! the app secret like Laravel's `/broadcasting/auth`, or fails the way real
//! endpoints fail (401, 403, 419, 500, HTML with 200, too slow), chosen by a
//! marker in the channel name.
//!
//! `scripts/test.sh` starts Sockudo and runs these with
//! `cargo test -p laravel-echo-rs --features tokio --test faults_network`.
//! Read at run time: `REVERB_APP_ID` (default `echo-rs-app`),
//! `REVERB_APP_KEY` (`local-key`), `REVERB_APP_SECRET` (`local-secret`),
//! `REVERB_HOST` (`127.0.0.1`), `REVERB_PORT` (`6001`).
//!
//! Timeouts are short (activity 2 s, pong 1 s, reconnect delay at most 2 s)
//! so the file runs in well under a minute; assertions are about what
//! happened (a ping was sent, a reconnect happened, an event arrived once),
//! never about how fast.
#![cfg(all(feature = "tokio", not(target_arch = "wasm32")))]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use echo_rs::{Channel, ClientEventRefusal, ConnectionState, Echo, EchoError, EchoOptions, Value};
use hmac::{Hmac, KeyInit as _, Mac};
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(15);

mod native_support;
use native_support::{env, poll_until, require_sockudo, run_local, sockudo_addr, unique};

fn app_id() -> String {
    env("REVERB_APP_ID", "echo-rs-app")
}
fn key() -> String {
    env("REVERB_APP_KEY", "local-key")
}
fn secret() -> String {
    env("REVERB_APP_SECRET", "local-secret")
}

// ---------------------------------------------------------------------------
// The fault-injecting proxy.
// ---------------------------------------------------------------------------

/// What the proxy's connections share with the test.
#[derive(Default)]
struct ProxyControl {
    /// No byte is forwarded in either direction; sockets stay open.
    stalled: AtomicBool,
    /// Every chunk waits this long before it is forwarded.
    delay_ms: AtomicU64,
    /// New connections are reset as soon as they are accepted.
    refuse: AtomicBool,
    /// Connections accepted so far (refused ones included).
    accepted: AtomicUsize,
    /// Everything each connection's client sent, in order (at most 1 MB each).
    captured: Mutex<Vec<Vec<u8>>>,
}

/// A loopback TCP proxy to Sockudo on its own thread and tokio runtime.
struct FaultProxy {
    port: u16,
    control: Arc<ProxyControl>,
    /// Bumped to end every open connection; `true` means with a reset.
    kill: tokio::sync::watch::Sender<(u64, bool)>,
}

impl FaultProxy {
    fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("an address").port();
        let control = Arc::new(ProxyControl::default());
        let (kill, _) = tokio::sync::watch::channel((0u64, false));
        let upstream = sockudo_addr();
        let (c, k) = (control.clone(), kill.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("a tokio listener");
                loop {
                    let Ok((client, _)) = listener.accept().await else { continue };
                    tokio::spawn(proxy_connection(client, upstream.clone(), c.clone(), k.subscribe()));
                }
            });
        });
        Self { port, control, kill }
    }

    /// Ends every open connection with a FIN, as a dropped route or a
    /// restarted middlebox would.
    fn cut(&self) {
        self.kill.send_modify(|(epoch, reset)| {
            *epoch += 1;
            *reset = false;
        });
    }

    /// Ends every open connection with an RST.
    fn reset(&self) {
        self.kill.send_modify(|(epoch, reset)| {
            *epoch += 1;
            *reset = true;
        });
    }

    fn stall(&self, on: bool) {
        self.control.stalled.store(on, Ordering::SeqCst);
    }

    fn delay(&self, ms: u64) {
        self.control.delay_ms.store(ms, Ordering::SeqCst);
    }

    fn refuse(&self, on: bool) {
        self.control.refuse.store(on, Ordering::SeqCst);
    }

    fn accepted(&self) -> usize {
        self.control.accepted.load(Ordering::SeqCst)
    }

    /// The bytes the client sent on connection `index` (0-based).
    fn captured(&self, index: usize) -> Vec<u8> {
        self.control.captured.lock().unwrap().get(index).cloned().unwrap_or_default()
    }

    fn connections(&self) -> usize {
        self.control.captured.lock().unwrap().len()
    }
}

async fn proxy_connection(
    mut client: TcpStream,
    upstream: String,
    control: Arc<ProxyControl>,
    mut kill: tokio::sync::watch::Receiver<(u64, bool)>,
) {
    control.accepted.fetch_add(1, Ordering::SeqCst);
    if control.refuse.load(Ordering::SeqCst) {
        let _ = client.set_zero_linger();
        return;
    }
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        let _ = client.set_zero_linger();
        return;
    };
    let index = {
        let mut captured = control.captured.lock().unwrap();
        captured.push(Vec::new());
        captured.len() - 1
    };
    let mut from_client = vec![0u8; 16 * 1024];
    let mut from_server = vec![0u8; 16 * 1024];
    let reset = loop {
        let (chunk, to_server) = tokio::select! {
            read = client.read(&mut from_client) => match read {
                Ok(0) | Err(_) => break false,
                Ok(n) => {
                    let mut captured = control.captured.lock().unwrap();
                    if captured[index].len() < 1 << 20 {
                        captured[index].extend_from_slice(&from_client[..n]);
                    }
                    (n, true)
                }
            },
            read = server.read(&mut from_server) => match read {
                Ok(0) | Err(_) => break false,
                Ok(n) => (n, false),
            },
            _ = kill.changed() => break kill.borrow().1,
        };
        // A stall holds the chunk: the socket stays open, nothing moves.
        let mut killed = None;
        while control.stalled.load(Ordering::SeqCst) && killed.is_none() {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(10)) => {}
                _ = kill.changed() => killed = Some(kill.borrow().1),
            }
        }
        if let Some(reset) = killed {
            break reset;
        }
        let delay = control.delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        let written = if to_server {
            server.write_all(&from_client[..chunk]).await
        } else {
            client.write_all(&from_server[..chunk]).await
        };
        if written.is_err() {
            break false;
        }
    };
    if reset {
        let _ = client.set_zero_linger();
        let _ = server.set_zero_linger();
    } else {
        let _ = client.shutdown().await;
        let _ = server.shutdown().await;
    }
}

/// The HTTP upgrade request and the text frames a WebSocket client sent,
/// unmasked, each with the offset it starts at.
fn client_frames(bytes: &[u8]) -> (String, Vec<(usize, String)>) {
    let Some(head_end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (String::from_utf8_lossy(bytes).into_owned(), Vec::new());
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let mut frames = Vec::new();
    let mut i = head_end + 4;
    while i + 2 <= bytes.len() {
        let start = i;
        let opcode = bytes[i] & 0x0f;
        let masked = bytes[i + 1] & 0x80 != 0;
        let mut len = usize::from(bytes[i + 1] & 0x7f);
        i += 2;
        if len == 126 {
            let Some(b) = bytes.get(i..i + 2) else { break };
            len = usize::from(u16::from_be_bytes([b[0], b[1]]));
            i += 2;
        } else if len == 127 {
            let Some(b) = bytes.get(i..i + 8) else { break };
            len = usize::try_from(u64::from_be_bytes(b.try_into().unwrap())).unwrap_or(usize::MAX);
            i += 8;
        }
        let mask = if masked {
            let Some(m) = bytes.get(i..i + 4) else { break };
            i += 4;
            Some([m[0], m[1], m[2], m[3]])
        } else {
            None
        };
        let Some(payload) = bytes.get(i..i.saturating_add(len)) else {
            break;
        };
        i += len;
        let payload: Vec<u8> = payload.iter().enumerate().map(|(k, b)| mask.map_or(*b, |m| b ^ m[k % 4])).collect();
        if opcode == 1 {
            frames.push((start, String::from_utf8_lossy(&payload).into_owned()));
        }
    }
    (head, frames)
}

// ---------------------------------------------------------------------------
// The auth endpoint.
// ---------------------------------------------------------------------------

/// One request the auth endpoint saw.
#[derive(Debug, Clone)]
struct AuthSeen {
    channel: String,
    socket_id: String,
    authorization: Option<String>,
}

#[derive(Default)]
struct AuthControl {
    /// Every channel is signed, whatever marker its name has (the endpoint
    /// recovered).
    healthy: AtomicBool,
    /// The first `-fgate-` request waits until this is set.
    gate_open: AtomicBool,
    gated: AtomicUsize,
    seen: Mutex<Vec<AuthSeen>>,
}

/// Laravel's `/broadcasting/auth`, hand-written: signs `private-*` and
/// `presence-*` channels with the app secret, or fails as the channel name
/// says: `-f401-`, `-f403-`, `-f419-`, `-f500-`, `-fhtml-` (an HTML page
/// with status 200), `-fslow-` (answers after 4 s), `-fgate-` (the first
/// request waits for [`open_gate`](Self::open_gate)), `-fbadsig-` (status
/// 200 with a signature the server refuses). `private-encrypted-` channels
/// get [`ENCRYPTION_KEY`] as their `shared_secret`.
struct AuthServer {
    port: u16,
    control: Arc<AuthControl>,
}

impl AuthServer {
    fn start() -> Self {
        Self::start_on(0)
    }

    fn start_on(port: u16) -> Self {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("a loopback port for the auth endpoint");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("an address").port();
        let control = Arc::new(AuthControl::default());
        let c = control.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("a tokio listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else { continue };
                    tokio::spawn(answer_auth(stream, c.clone()));
                }
            });
        });
        Self { port, control }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/broadcasting/auth", self.port)
    }

    fn recover(&self) {
        self.control.healthy.store(true, Ordering::SeqCst);
    }

    fn open_gate(&self) {
        self.control.gate_open.store(true, Ordering::SeqCst);
    }

    fn seen(&self) -> Vec<AuthSeen> {
        self.control.seen.lock().unwrap().clone()
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn sign(text: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret().as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

async fn answer_auth(mut stream: TcpStream, control: Arc<AuthControl>) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let body_start = loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..body_start]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while request.len() < body_start + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let body = String::from_utf8_lossy(&request[body_start..]).into_owned();
    let form: BTreeMap<String, String> = body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (percent_decode(k), percent_decode(v)))
        .collect();
    let channel = form.get("channel_name").cloned().unwrap_or_default();
    let socket_id = form.get("socket_id").cloned().unwrap_or_default();
    control.seen.lock().unwrap().push(AuthSeen {
        channel: channel.clone(),
        socket_id: socket_id.clone(),
        authorization: header("authorization"),
    });

    let healthy = control.healthy.load(Ordering::SeqCst);
    let fault = ["f401", "f403", "f419", "f500", "fhtml", "fslow", "fgate", "fbadsig"]
        .into_iter()
        .find(|m| channel.contains(&format!("-{m}-")))
        .filter(|_| !healthy);
    let json = "application/json";
    let (status, content_type, body) = match fault {
        Some("f401") => (401, json, r#"{"message":"Unauthenticated."}"#.to_owned()),
        Some("f403") => (403, json, r#"{"message":"Forbidden."}"#.to_owned()),
        Some("f419") => (419, json, r#"{"message":"CSRF token mismatch."}"#.to_owned()),
        Some("f500") => (500, json, r#"{"message":"Server Error"}"#.to_owned()),
        Some("fhtml") => (
            200,
            "text/html",
            "<!doctype html><html><body>Please sign in</body></html>".to_owned(),
        ),
        Some("fbadsig") => (
            200,
            json,
            serde_json::json!({ "auth": format!("{}:{}", key(), "0".repeat(64)) }).to_string(),
        ),
        other => {
            if other == Some("fslow") {
                tokio::time::sleep(Duration::from_secs(4)).await;
            }
            if other == Some("fgate") && control.gated.fetch_add(1, Ordering::SeqCst) == 0 {
                while !control.gate_open.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            (200, json, signature(&channel, &socket_id))
        }
    };
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        419 => "Page Expired",
        _ => "Internal Server Error",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The `shared_secret` the auth endpoint gives every encrypted channel.
const ENCRYPTION_KEY: [u8; 32] = [0x42; 32];

/// `{"ciphertext","nonce"}` as Laravel's broadcaster encrypts `plain` for an
/// encrypted channel whose key is `key`.
fn seal(key: &[u8; 32], nonce: u8, plain: &Value) -> Value {
    use base64::Engine as _;
    use crypto_secretbox::aead::{Aead, KeyInit};
    let cipher = crypto_secretbox::XSalsa20Poly1305::new(crypto_secretbox::Key::from_slice(key));
    let nonce = [nonce; 24];
    let sealed = cipher
        .encrypt(crypto_secretbox::Nonce::from_slice(&nonce), plain.to_string().as_bytes())
        .expect("sealing in memory works");
    let b64 = base64::engine::general_purpose::STANDARD;
    serde_json::json!({ "ciphertext": b64.encode(sealed), "nonce": b64.encode(nonce) })
}

/// Laravel's answer for `channel`: `{"auth": "key:hmac"}`, plus
/// `channel_data` on presence channels and `shared_secret` on encrypted ones.
fn signature(channel: &str, socket_id: &str) -> String {
    if channel.starts_with("private-encrypted-") {
        use base64::Engine as _;
        let auth = format!("{}:{}", key(), sign(&format!("{socket_id}:{channel}")));
        let secret = base64::engine::general_purpose::STANDARD.encode(ENCRYPTION_KEY);
        serde_json::json!({ "auth": auth, "shared_secret": secret }).to_string()
    } else if channel.starts_with("presence-") {
        let channel_data = serde_json::json!({ "user_id": format!("u-{socket_id}"), "user_info": {} }).to_string();
        let auth = format!("{}:{}", key(), sign(&format!("{socket_id}:{channel}:{channel_data}")));
        serde_json::json!({ "auth": auth, "channel_data": channel_data }).to_string()
    } else {
        let auth = format!("{}:{}", key(), sign(&format!("{socket_id}:{channel}")));
        serde_json::json!({ "auth": auth }).to_string()
    }
}

/// Publishes `event` on `channels` through Sockudo's Pusher HTTP API (not
/// through the proxy).
async fn trigger(channels: &[&str], event: &str, data: &Value) {
    let body = serde_json::json!({ "name": event, "channels": channels, "data": data.to_string() }).to_string();
    let body_md5 = hex::encode(md5::Md5::digest(body.as_bytes()));
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let query = format!("auth_key={}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={body_md5}", key());
    let path = format!("/apps/{}/events", app_id());
    let signature = sign(&format!("POST\n{path}\n{query}"));
    let url = format!("http://{}{path}?{query}&auth_signature={signature}", sockudo_addr());
    let response = reqwest::Client::new()
        .post(&url)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("Sockudo's HTTP API at {url}: {e}"));
    assert!(response.status().is_success(), "trigger answered HTTP {}", response.status());
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

/// Short timeouts so that every fault plays out in seconds.
fn fault_options(proxy: &FaultProxy, auth: &AuthServer) -> EchoOptions {
    EchoOptions {
        auth_endpoint: auth.endpoint(),
        activity_timeout: Duration::from_secs(2),
        pong_timeout: Duration::from_secs(1),
        reconnect_base_delay: Duration::from_millis(100),
        reconnect_max_delay: Duration::from_secs(2),
        handshake_timeout: Duration::from_secs(3),
        unavailable_timeout: Duration::from_secs(5),
        subscription_timeout: Duration::from_secs(3),
        ..EchoOptions::reverb(key(), "127.0.0.1", proxy.port, "http")
    }
}

/// A client with [`fault_options`] behind a fresh proxy and auth endpoint,
/// its connection watched.
fn client_behind_proxy() -> (FaultProxy, AuthServer, Echo, SharedLog) {
    let proxy = FaultProxy::start();
    let auth = AuthServer::start();
    let echo = Echo::new_tokio(fault_options(&proxy, &auth)).expect("valid options");
    let log = watch_connection(&echo);
    (proxy, auth, echo, log)
}

fn local_test(test: impl Future<Output = ()>) {
    run_local(async {
        require_sockudo().await;
        test.await;
    });
}

async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    poll_until(what, TIMEOUT, condition).await;
}

/// What the client reported, per channel and for the connection.
#[derive(Default)]
struct Log {
    subscribed: BTreeMap<String, usize>,
    ticks: BTreeMap<String, Vec<u64>>,
    errors: BTreeMap<String, Vec<EchoError>>,
    states: Vec<ConnectionState>,
}

type SharedLog = Rc<RefCell<Log>>;

fn watch_connection(echo: &Echo) -> SharedLog {
    let log = SharedLog::default();
    let l = log.clone();
    echo.on_connection_change(move |state| l.borrow_mut().states.push(state));
    log
}

/// Counts subscriptions, `.Tick` events (by their `n`) and errors of `channel`.
fn watch(channel: &Channel, log: &SharedLog) {
    let name = channel.name().to_owned();
    let (l, n) = (log.clone(), name.clone());
    channel.subscribed(move |_| *l.borrow_mut().subscribed.entry(n.clone()).or_default() += 1);
    let (l, n) = (log.clone(), name.clone());
    channel.listen(".Tick", move |data| {
        let tick = data["n"].as_u64().expect("a tick number");
        l.borrow_mut().ticks.entry(n.clone()).or_default().push(tick);
    });
    let (l, n) = (log.clone(), name);
    channel.error(move |error| l.borrow_mut().errors.entry(n.clone()).or_default().push(error.clone()));
}

/// Every error the client-wide `on_error` listeners get.
fn client_errors(echo: &Echo) -> Rc<RefCell<Vec<EchoError>>> {
    let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
    let e = errors.clone();
    echo.on_error(move |error| e.borrow_mut().push(error.clone()));
    errors
}

fn subscribed(log: &SharedLog, channel: &str) -> usize {
    log.borrow().subscribed.get(channel).copied().unwrap_or(0)
}

fn ticks(log: &SharedLog, channel: &str) -> Vec<u64> {
    log.borrow().ticks.get(channel).cloned().unwrap_or_default()
}

fn errors(log: &SharedLog, channel: &str) -> Vec<EchoError> {
    log.borrow().errors.get(channel).cloned().unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Network faults.
// ---------------------------------------------------------------------------

#[test]
fn a_stall_longer_than_the_activity_timeout_pings_times_out_and_reconnects() {
    local_test(async {
        let (proxy, _auth, echo, log) = client_behind_proxy();
        let name = unique("faults-stall-");
        let channel = echo.channel(&name);
        watch(&channel, &log);
        wait_until("the first subscription", || subscribed(&log, &name) == 1).await;
        let first_socket = echo.socket_id();

        // The connection is idle now; from here on nothing moves.
        let before = proxy.captured(0).len();
        proxy.stall(true);
        wait_until("the client to give up on the stalled socket", || {
            echo.connection_state() != ConnectionState::Connected
        })
        .await;
        let (_, frames) = client_frames(&proxy.captured(0));
        let during: Vec<&str> = frames.iter().filter(|(at, _)| *at >= before).map(|(_, f)| f.as_str()).collect();
        assert_eq!(during.len(), 1, "exactly one frame sent into the stall, got {during:?}");
        assert_eq!(serde_json::from_str::<Value>(during[0]).unwrap()["event"], "pusher:ping");
        assert!(
            frames.iter().any(|(at, f)| *at < before && f.contains("pusher:subscribe")),
            "the stalled connection had subscribed: {frames:?}"
        );

        proxy.stall(false);
        wait_until("a new connection and resubscription", || subscribed(&log, &name) == 2).await;
        assert!(proxy.connections() >= 2, "the client opened a new socket");
        assert_ne!(echo.socket_id(), first_socket, "a new socket id");
        let states = log.borrow().states.clone();
        assert!(
            states.ends_with(&[ConnectionState::Connecting, ConnectionState::Connected]),
            "states {states:?}"
        );

        trigger(&[&name], "Tick", &serde_json::json!({ "n": 1 })).await;
        wait_until("the event after the reconnect", || ticks(&log, &name) == [1]).await;
        echo.disconnect();
    });
}

#[test]
fn a_cut_while_authorizing_discards_the_stale_signature_and_reauthorizes() {
    local_test(async {
        let (proxy, auth, echo, log) = client_behind_proxy();
        let connection_errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
        let e = connection_errors.clone();
        echo.on_error(move |error| e.borrow_mut().push(error.clone()));
        let name = unique("private-faults-fgate-");
        let channel = echo.subscribe(name.clone());
        watch(&channel, &log);

        wait_until("the first auth request", || auth.seen().len() == 1).await;
        let old_socket = auth.seen()[0].socket_id.clone();
        assert_eq!(echo.socket_id().as_deref(), Some(old_socket.as_str()));
        proxy.cut();
        wait_until("a second auth request, for the new socket", || auth.seen().len() == 2).await;
        let new_socket = auth.seen()[1].socket_id.clone();
        assert_ne!(new_socket, old_socket);
        wait_until("the subscription on the new socket", || subscribed(&log, &name) == 1).await;

        // Now the first answer, signed for the old socket id, comes back.
        auth.open_gate();
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(subscribed(&log, &name), 1, "subscribed exactly once");
        assert_eq!(echo.socket_id().as_deref(), Some(new_socket.as_str()));
        assert!(
            connection_errors.borrow().is_empty(),
            "no error (a stale signature would be refused): {:?}",
            connection_errors.borrow()
        );
        // Every subscribe that reached Sockudo carried a signature for its own socket.
        for index in 0..proxy.connections() {
            let (_, frames) = client_frames(&proxy.captured(index));
            for (_, frame) in frames {
                let frame: Value = serde_json::from_str(&frame).unwrap();
                if frame["event"] == "pusher:subscribe" {
                    let signed = frame["data"]["auth"].as_str().expect("a private subscribe carries auth");
                    assert_eq!(signed, format!("{}:{}", key(), sign(&format!("{new_socket}:{name}"))));
                }
            }
        }
        trigger(&[&name], "Tick", &serde_json::json!({ "n": 7 })).await;
        wait_until("the event on the re-authorized channel", || ticks(&log, &name) == [7]).await;
        echo.disconnect();
    });
}

#[test]
fn twenty_cut_and_restore_cycles_keep_every_channel_subscribed_exactly_once() {
    local_test(async {
        let (proxy, _auth, echo, log) = client_behind_proxy();
        let tag = unique("");
        let names = [
            format!("faults-cycle-{tag}"),
            format!("private-faults-cycle-{tag}"),
            format!("presence-faults-cycle-{tag}"),
        ];
        for name in &names {
            watch(&echo.subscribe(name.clone()), &log);
        }
        let listeners: Vec<usize> = names.iter().map(|n| echo.listener_count(n)).collect();
        const CYCLES: u64 = 20;
        for cycle in 0..=CYCLES {
            let expected = usize::try_from(cycle).unwrap() + 1;
            wait_until(&format!("every channel subscribed on connection {expected}"), || {
                names.iter().all(|n| subscribed(&log, n) >= expected)
            })
            .await;
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            trigger(&refs, "Tick", &serde_json::json!({ "n": cycle })).await;
            wait_until(&format!("tick {cycle} on every channel"), || {
                names.iter().all(|n| ticks(&log, n).len() == expected)
            })
            .await;
            if cycle == CYCLES {
                break;
            }
            // Alternate the fault: a cut, a reset, a slow link then a cut,
            // a refused reconnect then a restore.
            match cycle % 4 {
                0 => proxy.cut(),
                1 => proxy.reset(),
                2 => {
                    proxy.delay(50);
                    proxy.cut();
                }
                _ => {
                    proxy.refuse(true);
                    let accepted = proxy.accepted();
                    proxy.cut();
                    wait_until("a refused reconnect attempt", || proxy.accepted() > accepted).await;
                    proxy.refuse(false);
                    proxy.delay(0);
                }
            }
            wait_until("the client to notice the fault", || {
                echo.connection_state() != ConnectionState::Connected
            })
            .await;
        }
        // Give a late duplicate a chance to show up.
        tokio::time::sleep(Duration::from_millis(300)).await;
        echo.disconnect();
        let log = log.borrow();
        for (name, before) in names.iter().zip(listeners) {
            assert_eq!(
                log.subscribed[name],
                usize::try_from(CYCLES).unwrap() + 1,
                "{name}: one subscription per connection"
            );
            assert_eq!(
                log.ticks[name],
                (0..=CYCLES).collect::<Vec<_>>(),
                "{name}: every tick once, in order"
            );
            assert!(!log.errors.contains_key(name), "{name}: {:?}", log.errors.get(name));
            assert_eq!(echo.listener_count(name), before, "{name}: no listener added or lost");
        }
        assert!(!log.states.contains(&ConnectionState::Failed), "never failed: {:?}", log.states);
        assert_eq!(echo.channel_names().len(), 3);
    });
}

// ---------------------------------------------------------------------------
// Auth endpoint faults.
// ---------------------------------------------------------------------------

#[test]
fn each_auth_endpoint_failure_is_a_channel_error_naming_its_cause_and_spares_the_rest() {
    local_test(async {
        let proxy = FaultProxy::start();
        let auth = AuthServer::start();
        let options = EchoOptions {
            subscription_timeout: Duration::from_millis(1500),
            ..fault_options(&proxy, &auth)
        };
        let echo = Echo::new_tokio(options).expect("valid options");
        let log = watch_connection(&echo);
        let tag = unique("");
        let public = format!("faults-auth-{tag}");
        watch(&echo.channel(&public), &log);
        let cases = [
            ("f401", "HTTP 401 (not signed in)"),
            ("f403", "HTTP 403 (not allowed"),
            ("f419", "HTTP 419 (CSRF token or session expired)"),
            ("f500", "HTTP 500"),
            ("fhtml", "not JSON"),
            ("fslow", "no answer to subscribing"),
        ];
        let names: Vec<String> = cases.iter().map(|(m, _)| format!("private-faults-{m}-{tag}")).collect();
        for name in &names {
            watch(&echo.subscribe(name.clone()), &log);
        }
        for (name, (_, cause)) in names.iter().zip(cases) {
            wait_until(&format!("the error of {name}"), || !errors(&log, name).is_empty()).await;
            let error = errors(&log, name)[0].to_string();
            assert!(error.contains(cause), "{name}: {error:?} should name {cause:?}");
            assert!(error.contains(name.as_str()), "{name}: {error:?} should name the channel");
            assert!(matches!(
                errors(&log, name)[0],
                EchoError::Auth { .. } | EchoError::SubscriptionTimeout { .. }
            ));
        }
        // The public channel kept receiving meanwhile; nothing else failed.
        trigger(&[&public], "Tick", &serde_json::json!({ "n": 1 })).await;
        wait_until("the event on the public channel", || ticks(&log, &public) == [1]).await;
        assert!(errors(&log, &public).is_empty());
        assert_eq!(echo.connection_state(), ConnectionState::Connected);
        assert_eq!(subscribed(&log, &public), 1, "the failures did not disturb the connection");

        // The endpoint recovers; subscribing again succeeds.
        auth.recover();
        for name in &names {
            echo.subscribe(name.clone());
        }
        wait_until("every channel subscribed after recovery", || {
            names.iter().all(|n| subscribed(&log, n) == 1)
        })
        .await;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        trigger(&refs, "Tick", &serde_json::json!({ "n": 2 })).await;
        wait_until("the event on every recovered channel", || {
            names.iter().all(|n| ticks(&log, n) == [2])
        })
        .await;
        // The slow endpoint's late answer changes nothing.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert!(names.iter().all(|n| subscribed(&log, n) == 1 && errors(&log, n).len() == 1));
        echo.disconnect();
    });
}

#[test]
fn a_refused_auth_endpoint_is_a_channel_error_and_subscribing_after_it_is_back_succeeds() {
    local_test(async {
        let proxy = FaultProxy::start();
        // A port with nothing listening.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = EchoOptions {
            auth_endpoint: format!("http://127.0.0.1:{port}/broadcasting/auth"),
            ..fault_options(&proxy, &AuthServer::start())
        };
        let echo = Echo::new_tokio(options).expect("valid options");
        let log = watch_connection(&echo);
        let tag = unique("");
        let public = format!("faults-refused-{tag}");
        let private = format!("private-faults-refused-{tag}");
        watch(&echo.channel(&public), &log);
        watch(&echo.subscribe(private.clone()), &log);
        wait_until("the private channel's error", || !errors(&log, &private).is_empty()).await;
        let error = errors(&log, &private)[0].to_string();
        assert!(error.contains(&private), "{error:?}");
        assert!(
            error.to_lowercase().contains("connection refused"),
            "{error:?} should say the connection was refused"
        );
        wait_until("the public channel", || subscribed(&log, &public) == 1).await;
        trigger(&[&public], "Tick", &serde_json::json!({ "n": 3 })).await;
        wait_until("the event on the public channel", || ticks(&log, &public) == [3]).await;

        let auth = AuthServer::start_on(port);
        echo.subscribe(private.clone());
        wait_until("the private channel once the endpoint is back", || subscribed(&log, &private) == 1).await;
        assert_eq!(auth.seen().len(), 1);
        echo.disconnect();
    });
}

// ---------------------------------------------------------------------------
// Security on the wire.
// ---------------------------------------------------------------------------

#[test]
fn the_bearer_token_goes_to_the_auth_endpoint_and_nowhere_else() {
    local_test(async {
        let token = unique("faults-token-");
        let t = token.clone();
        echo_rs::set_echo_token_getter(move || Some(t.clone()));
        let (proxy, auth, echo, log) = client_behind_proxy();
        let name = unique("private-faults-token-");
        watch(&echo.subscribe(name.clone()), &log);
        wait_until("the private channel", || subscribed(&log, &name) == 1).await;
        echo_rs::reset_echo_token_getter();

        let seen = auth.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].channel, name);
        assert_eq!(seen[0].authorization.as_deref(), Some(format!("Bearer {token}").as_str()));
        let (head, frames) = client_frames(&proxy.captured(0));
        assert!(head.starts_with("GET /app/"), "{head}");
        assert!(!head.contains(&token), "the WebSocket upgrade must not carry the token: {head}");
        assert!(!frames.is_empty());
        for (_, frame) in frames {
            assert!(!frame.contains(&token), "a frame carried the token: {frame}");
            assert!(!frame.contains(&secret()), "a frame carried the app secret: {frame}");
        }
        echo.disconnect();
    });
}

// ---------------------------------------------------------------------------
// Correct at the edges, against the real server.
// ---------------------------------------------------------------------------

#[test]
fn a_bad_signature_reaches_its_own_channel_at_once_and_no_other() {
    local_test(async {
        let (_proxy, _auth, echo, log) = client_behind_proxy();
        let client_errors = client_errors(&echo);
        // Pending together: a public channel, one with a bad signature, a
        // good private one and a presence one.
        let public = unique("faults-edge-public-");
        let bad = unique("private-faults-edge-fbadsig-");
        let good = unique("private-faults-edge-good-");
        let presence = unique("presence-faults-edge-");
        for name in [&public, &bad, &good, &presence] {
            watch(&echo.subscribe(name.clone()), &log);
        }
        wait_until("the bad channel's error", || !errors(&log, &bad).is_empty()).await;
        let refused = errors(&log, &bad);
        assert!(
            matches!(&refused[..], [EchoError::SubscriptionRefused { code: Some(4009), channel, .. }] if *channel == bad),
            "Sockudo's channel-less 4009, attributed to the bad channel (not a timeout): {refused:?}"
        );
        wait_until("the other three subscribed", || {
            [&public, &good, &presence].iter().all(|c| subscribed(&log, c) == 1)
        })
        .await;
        for name in [&public, &good, &presence] {
            assert!(errors(&log, name).is_empty(), "{name}: {:?}", errors(&log, name));
        }
        assert_eq!(*client_errors.borrow(), refused, "on_error hears it once, the same error");
        // Nothing more comes for it (no subscription timeout later).
        tokio::time::sleep(Duration::from_millis(3500)).await;
        assert_eq!(errors(&log, &bad).len(), 1);
        assert_eq!(echo.connection_state(), ConnectionState::Connected);
        echo.disconnect();
    });
}

#[test]
fn a_wake_up_on_a_dead_socket_reconnects_within_the_liveness_timeout_not_the_pong_timeout() {
    local_test(async {
        let proxy = FaultProxy::start();
        let auth = AuthServer::start();
        // The normal heartbeat is far away: only the wake-up can find it.
        let options = EchoOptions {
            activity_timeout: Duration::from_secs(120),
            pong_timeout: Duration::from_secs(30),
            ..fault_options(&proxy, &auth)
        };
        let echo = Echo::new_tokio(options).expect("valid options");
        let log = watch_connection(&echo);
        let name = unique("faults-wake-");
        watch(&echo.channel(&name), &log);
        wait_until("the first subscription", || subscribed(&log, &name) == 1).await;
        let before = proxy.captured(0).len();
        let states_before = log.borrow().states.len();

        // Asleep: the socket is dead without a close. Then three wake-up
        // signals (visibility, online, focus) in one go.
        proxy.stall(true);
        echo.check_liveness();
        echo.check_liveness();
        echo.check_liveness();
        wait_until("the client to give up on the dead socket", || {
            echo.connection_state() != ConnectionState::Connected
        })
        .await;
        proxy.stall(false);
        // TIMEOUT (15 s) is half the pong timeout: only the liveness
        // deadline (3 s) can have ended the wait.
        wait_until("a new connection and resubscription", || subscribed(&log, &name) == 2).await;
        let (_, frames) = client_frames(&proxy.captured(0));
        let during: Vec<&str> = frames.iter().filter(|(at, _)| *at >= before).map(|(_, f)| f.as_str()).collect();
        assert_eq!(during, [r#"{"event":"pusher:ping","data":{}}"#], "one ping for three signals");
        let states = log.borrow().states[states_before..].to_vec();
        assert_eq!(states, [ConnectionState::Connecting, ConnectionState::Connected], "told once");
        trigger(&[&name], "Tick", &serde_json::json!({ "n": 1 })).await;
        wait_until("the event after the reconnect", || ticks(&log, &name) == [1]).await;
        echo.disconnect();
    });
}

#[test]
fn whispers_over_the_size_or_rate_limit_never_reach_sockudo() {
    local_test(async {
        let auth = AuthServer::start();
        let (sender_proxy, receiver_proxy) = (FaultProxy::start(), FaultProxy::start());
        let sender = Echo::new_tokio(fault_options(&sender_proxy, &auth)).expect("valid options");
        let receiver = Echo::new_tokio(fault_options(&receiver_proxy, &auth)).expect("valid options");
        let log = watch_connection(&sender);
        let name = unique("presence-faults-whisper-");
        let from = sender.join(name.trim_start_matches("presence-"));
        let to = receiver.join(name.trim_start_matches("presence-"));
        watch(&from, &log);
        watch(&to, &log);
        let heard: Rc<RefCell<Vec<Value>>> = Rc::default();
        let h = heard.clone();
        to.listen_for_whisper("typing", move |data| h.borrow_mut().push(data.clone()));
        wait_until("both subscribed", || subscribed(&log, &name) == 2).await;

        let too_big = serde_json::json!({ "text": "x".repeat(10_000) });
        assert!(matches!(
            from.whisper("typing", &too_big),
            Err(EchoError::ClientEvent {
                cause: ClientEventRefusal::TooLarge { .. },
                ..
            })
        ));
        let results: Vec<Result<(), EchoError>> = (0..12).map(|n| from.whisper("typing", &serde_json::json!({ "n": n }))).collect();
        assert!(results[..10].iter().all(Result::is_ok), "{results:?}");
        assert!(
            results[10..].iter().all(|r| matches!(
                r,
                Err(EchoError::ClientEvent {
                    cause: ClientEventRefusal::RateLimited { limit: 10 },
                    ..
                })
            )),
            "{results:?}"
        );
        wait_until("ten whispers at the other client", || heard.borrow().len() == 10).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            heard.borrow().iter().map(|d| d["n"].as_u64().unwrap()).collect::<Vec<_>>(),
            (0..10).collect::<Vec<_>>()
        );
        let (_, frames) = client_frames(&sender_proxy.captured(0));
        let whispers: Vec<&String> = frames.iter().map(|(_, f)| f).filter(|f| f.contains("client-typing")).collect();
        assert_eq!(whispers.len(), 10, "the refused ones never went out");
        assert!(whispers.iter().all(|f| f.len() < 10_000));
        assert_eq!(sender.connection_state(), ConnectionState::Connected);
        assert!(log.borrow().errors.is_empty(), "{:?}", log.borrow().errors);
        sender.disconnect();
        receiver.disconnect();
    });
}

#[test]
fn an_event_that_does_not_decrypt_reaches_the_encrypted_channels_error_listeners() {
    local_test(async {
        let (_proxy, auth, echo, log) = client_behind_proxy();
        let client_errors = client_errors(&echo);
        let name = unique("faults-secure-");
        let channel = echo.encrypted_private(&name);
        let full = channel.name().to_owned();
        watch(&channel, &log);
        wait_until("the encrypted channel", || subscribed(&log, &full) == 1).await;

        // Sealed with the channel's key: delivered as its plaintext.
        trigger(&[&full], "Tick", &seal(&ENCRYPTION_KEY, 1, &serde_json::json!({ "n": 1 }))).await;
        wait_until("the decrypted event", || ticks(&log, &full) == [1]).await;
        // Sealed with another key: one re-authorization, then an error on
        // the channel, never an event.
        trigger(&[&full], "Tick", &seal(&[7; 32], 2, &serde_json::json!({ "n": 2 }))).await;
        wait_until("the decrypt error on the channel", || !errors(&log, &full).is_empty()).await;
        let dropped = errors(&log, &full);
        assert!(
            matches!(&dropped[..], [EchoError::Decrypt { channel, event, .. }] if *channel == full && event == "Tick"),
            "{dropped:?}"
        );
        assert_eq!(*client_errors.borrow(), dropped);
        assert_eq!(auth.seen().iter().filter(|s| s.channel == full).count(), 2, "one re-authorization");
        // The channel carries on.
        trigger(&[&full], "Tick", &seal(&ENCRYPTION_KEY, 3, &serde_json::json!({ "n": 3 }))).await;
        wait_until("the next good event", || ticks(&log, &full) == [1, 3]).await;
        assert!(channel.is_subscribed());
        echo.disconnect();
    });
}
