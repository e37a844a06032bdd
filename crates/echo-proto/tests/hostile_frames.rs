//! Hostile server frames through frame decoding and dispatch
//! ([`Connection::handle_message`]), without cargo-fuzz: the corpus in
//! `tests/corpus/broken_frames.txt`, then 100,000 frames from a seeded
//! generator (structured frames, mutated frames, mutated corpus lines),
//! against a client with a public, a private, a presence and an encrypted
//! channel subscribed.
//!
//! Checked after every frame: no panic; a bounded number of outputs; the
//! channel table unchanged (a server cannot add channels); no event for a
//! channel the client does not have; every event of the encrypted channel
//! decrypted from a payload this test sealed; every `pusher:subscribe` of a
//! private or presence channel carrying `auth`; the client never `failed`.
//! The cargo-fuzz target in `crates/echo-proto/fuzz` runs the same dispatch
//! where a nightly toolchain is available.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
use echo_proto::channel::requires_auth;
use echo_proto::web_time::Instant;
use echo_proto::{ChannelAuth, Connection, ConnectionState, EchoOptions, Output};
use serde_json::{json, Value};

const PUBLIC: &str = "rooms";
const PRIVATE: &str = "private-orders.1";
const PRESENCE: &str = "presence-lobby";
const ENCRYPTED: &str = "private-encrypted-vault";
const CHANNELS: [&str; 4] = [PUBLIC, PRIVATE, PRESENCE, ENCRYPTED];
const KEY: [u8; 32] = [9; 32];
const MARKER: &str = "sealed-by-test";

fn auth_for(channel: &str) -> ChannelAuth {
    ChannelAuth {
        auth: "app-key:signature".into(),
        channel_data: channel.starts_with("presence-").then(|| json!({ "user_id": "me" }).to_string()),
        shared_secret: channel.starts_with("private-encrypted-").then(|| STANDARD.encode(KEY)),
    }
}

fn seal(key: &[u8; 32], nonce: &[u8; 24], plain: &str) -> Value {
    let cipher = XSalsa20Poly1305::new(Key::from_slice(key));
    let sealed = cipher.encrypt(Nonce::from_slice(nonce), plain.as_bytes()).unwrap();
    json!({ "ciphertext": STANDARD.encode(sealed), "nonce": STANDARD.encode(nonce) })
}

fn frame(event: &str, channel: Option<&str>, data: &Value) -> String {
    let mut f = json!({ "event": event, "data": data.to_string() });
    if let Some(channel) = channel {
        f["channel"] = channel.into();
    }
    f.to_string()
}

/// A connected client with every channel subscribed, and a checker of what
/// it outputs.
struct Client {
    conn: Connection,
    now: Instant,
    events: usize,
}

impl Client {
    fn new(seed: u64) -> Self {
        let options = EchoOptions {
            subscription_timeout: Duration::from_secs(2),
            ..EchoOptions::reverb("app-key", "127.0.0.1", 6001, "http")
        };
        let now = Instant::now();
        let mut client = Self {
            conn: Connection::new(options, false, seed),
            now,
            events: 0,
        };
        for channel in CHANNELS {
            client.conn.subscribe(channel, now);
        }
        client.conn.connect(now);
        client.conn.handle_open(now);
        client.feed(&frame(
            "pusher:connection_established",
            None,
            &json!({ "socket_id": "1.1", "activity_timeout": 120 }),
        ));
        for channel in CHANNELS {
            let data = if channel == PRESENCE {
                json!({ "presence": { "ids": ["me", "2"], "hash": { "me": {}, "2": { "name": "Ann" } }, "count": 2 } })
            } else {
                json!({})
            };
            client.feed(&frame("pusher_internal:subscription_succeeded", Some(channel), &data));
        }
        for channel in CHANNELS {
            assert!(client.conn.is_subscribed(channel), "{channel} subscribed in the fixture");
        }
        client
    }

    /// Feeds one frame and checks every output; answers authorizations at
    /// once with a good signature (and the channel's real key).
    fn feed(&mut self, text: &str) {
        self.conn.handle_message(self.now, text);
        self.drain(text);
    }

    fn drain(&mut self, cause: &str) {
        let mut count = 0;
        while let Some(output) = self.conn.poll_output() {
            count += 1;
            assert!(count <= 64, "more than 64 outputs for one frame: {cause:?}");
            match output {
                Output::Send(text) => {
                    let sent: Value = serde_json::from_str(&text).expect("the client sends JSON");
                    if sent["event"] == "pusher:subscribe" {
                        let channel = sent["data"]["channel"].as_str().unwrap_or_default();
                        if requires_auth(channel) {
                            assert!(
                                sent["data"]["auth"].is_string(),
                                "{channel} subscribed without auth after {cause:?}"
                            );
                        }
                    }
                }
                Output::Authorize { channel, socket_id } => {
                    self.conn.handle_auth(&channel, &socket_id, Ok(auth_for(&channel)));
                }
                Output::Event(frame) => {
                    self.events += 1;
                    if let Some(channel) = frame.channel.as_deref() {
                        assert!(
                            CHANNELS.contains(&channel),
                            "an event for {channel}, which the client does not have: {cause:?}"
                        );
                        if channel == ENCRYPTED && !frame.event.starts_with("pusher") {
                            assert!(
                                frame.data.to_string().contains(MARKER),
                                "an encrypted channel's event that this test did not seal reached the app: {frame:?} from {cause:?}"
                            );
                        }
                    }
                }
                Output::StateChange { current, .. } => {
                    assert_ne!(current, ConnectionState::Failed, "failed after {cause:?}");
                }
                _ => {}
            }
        }
        let channels: Vec<&str> = self.conn.channels().collect();
        assert_eq!(
            channels.len(),
            CHANNELS.len(),
            "the channel table changed after {cause:?}: {channels:?}"
        );
    }

    fn advance(&mut self, by: Duration) {
        self.now += by;
        self.conn.handle_timeout(self.now);
        self.drain("a timer");
    }

    fn healthy(&self) -> bool {
        self.conn.state() == ConnectionState::Connected && CHANNELS.iter().all(|c| self.conn.is_subscribed(c))
    }
}

fn corpus() -> Vec<String> {
    include_str!("corpus/broken_frames.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_corpus_frame_is_survived_and_the_connection_keeps_working() {
    for (line, text) in corpus().iter().enumerate() {
        let mut client = Client::new(line as u64);
        client.feed(text);
        if client.conn.state() == ConnectionState::Connected {
            let before = client.events;
            client.feed(&frame("Tick", Some(PUBLIC), &json!({ "n": line })));
            assert_eq!(client.events, before + 1, "line {line} {text:?}: the next good event is delivered");
        } else {
            // A frame that ends the connection (a handshake without a socket
            // id …) leaves it retrying, never failed.
            assert!(client.conn.poll_timeout().is_some(), "line {line} {text:?}: a retry is scheduled");
        }
    }
}

/// xorshift64*: deterministic, so a failure names a reproducible frame.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const EVENTS: [&str; 13] = [
    "pusher:connection_established",
    "pusher:error",
    "pusher:ping",
    "pusher:pong",
    "pusher_internal:subscription_succeeded",
    "pusher_internal:member_added",
    "pusher_internal:member_removed",
    "pusher:cache_miss",
    "client-typing",
    "Tick",
    "App\\Events\\Tick",
    "",
    "pusher:signin_success",
];

const TOKENS: [&str; 18] = [
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    ":",
    ",",
    "null",
    "true",
    "1e999",
    "-0",
    "\\u0000",
    "\\ud800",
    "🌴",
    "\u{0}",
    "\"data\":",
    "{\"event\":",
];

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => json!(rng.next().is_multiple_of(3)),
        2 => json!(rng.next() as i64),
        3 => {
            let x = f64::from_bits(rng.next());
            json!(if x.is_finite() { x } else { 0.5 })
        }
        4 => json!(rng.pick(&["me", "2", "3", "", "🌴", "\u{0}"]).to_string()),
        5 => json!(rng.pick(&["1", "2", "3", "4", "5", "6", "7", "8"]).to_string()),
        6 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
        _ => {
            let keys = [
                "user_id",
                "user_info",
                "presence",
                "ids",
                "hash",
                "count",
                "code",
                "message",
                "socket_id",
                "activity_timeout",
                "ciphertext",
                "nonce",
                "n",
            ];
            Value::Object(
                (0..rng.below(5))
                    .map(|_| (rng.pick(&keys).to_string(), value(rng, depth + 1)))
                    .collect(),
            )
        }
    }
}

fn data(rng: &mut Rng) -> Value {
    let id = json!(rng.pick(&["1", "2", "3", "me", "4"]).to_string());
    let mut nonce = [0u8; 24];
    nonce.iter_mut().for_each(|b| *b = rng.next() as u8);
    match rng.below(10) {
        0 => {
            json!({ "presence": { "ids": [id.clone(), "2"], "hash": { "2": {}, id.as_str().unwrap(): value(rng, 0) }, "count": rng.below(4) } })
        }
        1 => json!({ "user_id": id, "user_info": value(rng, 0) }),
        2 => seal(&KEY, &nonce, &json!({ MARKER: rng.next() }).to_string()),
        3 => seal(&[1; 32], &nonce, "not for you"),
        4 => json!({ "code": rng.pick(&[4001, 4009, 4100, 4200, 4201, 4301, 1006, 0, 70000]), "message": "hostile" }),
        5 => json!({ "socket_id": rng.pick(&["2.2", "", "x"]).to_string(), "activity_timeout": rng.next() % 200 }),
        6 => {
            let depth = rng.below(300);
            let text = "[".repeat(depth) + &"]".repeat(rng.below(depth + 1));
            Value::String(text)
        }
        7 if rng.below(50) == 0 => Value::String("x".repeat(rng.below(256 * 1024))),
        _ => value(rng, 0),
    }
}

fn structured(rng: &mut Rng) -> String {
    let event = *rng.pick(&EVENTS);
    let channel = *rng.pick(&[
        Some(PUBLIC),
        Some(PRIVATE),
        Some(PRESENCE),
        Some(ENCRYPTED),
        Some(ENCRYPTED),
        Some("left-or-unknown"),
        None,
    ]);
    let data = data(rng);
    match rng.below(4) {
        // data double-encoded, as servers send it
        0 | 1 => frame(event, channel, &data),
        // data as an object
        2 => json!({ "event": event, "channel": channel, "data": data, "user_id": value(rng, 2) }).to_string(),
        // fields of the wrong type
        _ => json!({ "event": value(rng, 2), "channel": value(rng, 2), "data": data }).to_string(),
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = if chars.is_empty() { 0 } else { rng.below(chars.len() + 1) };
        match rng.below(5) {
            0 if !chars.is_empty() => {
                let end = (at + rng.below(8)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => chars.splice(at..at, rng.pick(&TOKENS).chars()).for_each(drop),
            2 if at < chars.len() => chars[at] = char::from_u32(rng.next() as u32 % 0x300).unwrap_or('?'),
            3 => chars.truncate(at),
            _ if !chars.is_empty() => {
                let start = rng.below(chars.len());
                let end = (start + rng.below(16)).min(chars.len());
                let slice: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, slice).for_each(drop);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

#[test]
fn a_hundred_thousand_generated_hostile_frames_cause_no_panic_and_no_growth() {
    let corpus = corpus();
    let mut rng = Rng(0x5eed_f00d_dead_beef);
    let mut client = Client::new(1);
    let mut rebuilt = 0;
    let mut delivered = 0;
    for i in 0..100_000u32 {
        let text = match rng.below(10) {
            0..=4 => structured(&mut rng),
            5..=7 => {
                let base = structured(&mut rng);
                mutate(&mut rng, &base)
            }
            _ => {
                let base = rng.pick(&corpus).clone();
                mutate(&mut rng, &base)
            }
        };
        client.feed(&text);
        if rng.below(8) == 0 {
            client.advance(Duration::from_millis(rng.below(3000) as u64));
        }
        let members = client.conn.members(PRESENCE).map_or(0, |m| m.count());
        assert!(members <= 16, "frame {i}: presence members grew to {members} from a pool of 6 ids");
        if !client.healthy() {
            // Disturbed (a new handshake, a pending resubscription …): start
            // again from a clean client so the next frames hit every path.
            delivered += client.events;
            client = Client::new(u64::from(i));
            rebuilt += 1;
        }
    }
    delivered += client.events;
    assert!(delivered > 1_000, "the generator reaches dispatch: {delivered} events delivered");
    assert!(rebuilt < 100_000, "{rebuilt}");
}

#[test]
#[cfg(feature = "encryption")] // payloads are held only while a key can be fetched
fn a_flood_of_undecryptable_payloads_while_a_fresh_key_is_awaited_is_not_held_without_bound() {
    let mut client = Client::new(3);
    let mut errors = 0;
    let mut authorizations = 0;
    for n in 0..10_000u32 {
        let mut nonce = [0u8; 24];
        nonce[..4].copy_from_slice(&n.to_be_bytes());
        client
            .conn
            .handle_message(client.now, &frame("Tick", Some(ENCRYPTED), &seal(&[1; 32], &nonce, "rotated key")));
        while let Some(output) = client.conn.poll_output() {
            match output {
                Output::ChannelError {
                    error: echo_proto::EchoError::Decrypt { .. },
                    ..
                } => errors += 1,
                Output::Authorize { .. } => authorizations += 1,
                Output::Event(frame) => panic!("an undecryptable payload reached the app: {frame:?}"),
                _ => {}
            }
        }
    }
    assert_eq!(authorizations, 1, "one re-authorization for a fresh key");
    assert!(
        errors >= 10_000 - 100,
        "at most 100 events are held for the fresh key, the rest dropped at once (dropped {errors})"
    );
    // The key never comes: the held ones are dropped with an error each.
    client.now += Duration::from_secs(3);
    client.conn.handle_timeout(client.now);
    while let Some(output) = client.conn.poll_output() {
        if let Output::ChannelError {
            error: echo_proto::EchoError::Decrypt { .. },
            ..
        } = output
        {
            errors += 1;
        }
    }
    assert_eq!(errors, 10_000, "every one of them dropped with an error, none delivered");
}
