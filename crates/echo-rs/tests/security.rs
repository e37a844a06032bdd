//! Security properties, on the real client over `FakeEcho` and on the
//! sources the browser loads:
//!
//! - the bearer token goes to the auth endpoint only (never in the socket URL
//!   or a frame), and only when a channel needs authorization;
//! - `X-Socket-ID` is offered for same-origin URLs only;
//! - no API subscribes a `private-` or `presence-` channel without `auth`;
//! - undecryptable encrypted payloads never reach listeners;
//! - the demo renders payloads as text (no raw-HTML sink anywhere in the
//!   frontend or the hooks), and the app secret is in none of the files the
//!   browser loads (`scripts/scan_dist.sh` scans the built site as well).
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[cfg(feature = "encryption")]
use base64::{engine::general_purpose::STANDARD, Engine as _};
#[cfg(feature = "encryption")]
use crypto_secretbox::{
    aead::{Aead, KeyInit},
    Key, Nonce, XSalsa20Poly1305,
};
use echo_rs::proto::channel::requires_auth;
use echo_rs::testing::FakeEcho;
use echo_rs::{EchoError, Value};
use serde_json::json;

fn subscribes(fake: &FakeEcho) -> Vec<Value> {
    fake.sent_frames()
        .iter()
        .map(|f| serde_json::from_str::<Value>(f).unwrap())
        .filter(|f| f["event"] == "pusher:subscribe")
        .collect()
}

#[test]
fn the_bearer_token_goes_only_to_the_auth_endpoint() {
    let token = "tok-3f9c-secret-bearer";
    echo_rs::set_echo_token_getter(move || Some(token.to_owned()));
    let fake = FakeEcho::new("app-key").unwrap();
    fake.echo().channel("rooms");
    assert!(fake.auth_requests().is_empty(), "a public channel asks nobody for anything");
    fake.echo().private("orders.1");
    fake.echo().join("lobby");
    let requests = fake.auth_requests();
    echo_rs::reset_echo_token_getter();

    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.endpoint, "/broadcasting/auth");
        let bearer: Vec<&(String, String)> = request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .collect();
        assert_eq!(
            bearer,
            [&("Authorization".to_owned(), format!("Bearer {token}"))],
            "exactly one bearer header"
        );
        assert!(!request.form_body().contains(token), "the token is a header, not in the body");
    }
    for url in fake.runtime().opened_urls() {
        assert!(!url.contains(token), "the socket URL carries the token: {url}");
    }
    for frame in fake.sent_frames() {
        assert!(!frame.contains(token), "a frame carries the token: {frame}");
    }
}

#[test]
fn the_socket_id_header_is_offered_to_same_origin_urls_only() {
    let fake = FakeEcho::new("app-key").unwrap();
    let echo = fake.echo();
    let page = "https://resort.test";
    let socket_id = echo.socket_id().expect("connected");
    for url in [
        "/api/bookings",
        "api/bookings",
        "https://resort.test/api/bookings",
        "https://RESORT.test:443/x",
    ] {
        assert_eq!(echo.socket_id_header(url, page), Some(("X-Socket-ID", socket_id.clone())), "{url}");
    }
    for url in [
        "https://evil.test/api",
        "//evil.test/api",
        "http://resort.test/api",
        "https://resort.test:8443/api",
        "https://resort.test@evil.test/api",
        "https://resort.test.evil.test/api",
        "javascript:fetch('//evil.test')",
        "/\\evil.test/api",
    ] {
        assert_eq!(echo.socket_id_header(url, page), None, "{url}");
    }
    echo.disconnect();
    assert_eq!(
        echo.socket_id_header("/api/bookings", page),
        None,
        "no socket id while disconnected"
    );
}

#[test]
fn no_api_subscribes_a_private_or_presence_channel_without_auth() {
    let fake = FakeEcho::new("app-key").unwrap();
    let echo = fake.echo();
    // Every way to name a channel: the private/presence helpers, and the
    // generic ones given a private or presence name.
    echo.private("a");
    echo.join("b");
    echo.encrypted_private("c");
    echo.channel("private-d");
    echo.subscribe("presence-e".into());
    echo.channel("private-cache-f");
    echo.channel("presence-cache-g");
    // Failing authorizations send no subscribe at all.
    for name in ["private-refused", "presence-refused"] {
        fake.fail_auth(name, "HTTP 403 (not allowed on this channel)");
        let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
        let e = errors.clone();
        echo.subscribe(name.into()).error(move |error| e.borrow_mut().push(error.clone()));
        fake.run_until_idle();
        assert_eq!(errors.borrow().len(), 1, "{name}: one error");
        assert!(!echo.is_subscribed(name));
        // Nor can it be whispered on.
        assert!(echo.subscribe(name.into()).whisper("typing", &json!({})).is_err());
    }
    // Reconnects authorize again, with the new socket id.
    fake.drop_connection(None);
    fake.advance(std::time::Duration::from_secs(3));

    let sent = subscribes(&fake);
    let mut private = 0;
    for frame in &sent {
        let channel = frame["data"]["channel"].as_str().unwrap();
        assert!(!channel.ends_with("-refused"), "{channel} was subscribed although its auth failed");
        if requires_auth(channel) {
            private += 1;
            let auth = frame["data"]["auth"]
                .as_str()
                .unwrap_or_else(|| panic!("{channel} subscribed without auth"));
            assert!(auth.starts_with("app-key:fake-signature-"), "{auth}");
            if channel.starts_with("presence-") {
                assert!(frame["data"]["channel_data"].is_string(), "{channel} without channel_data");
            }
        }
    }
    // Without the `encryption` feature the encrypted channel is refused at
    // authorization, so it is never subscribed.
    let (channels, expected) = if cfg!(feature = "encryption") { (7, 14) } else { (6, 12) };
    assert_eq!(
        private, expected,
        "{channels} private/presence channels, each subscribed on 2 connections"
    );
    let socket_ids: Vec<String> = fake.auth_requests().iter().map(|r| r.socket_id.clone()).collect();
    assert!(socket_ids.contains(&"1234.5678".to_owned()) && socket_ids.contains(&"1235.5679".to_owned()));
}

#[cfg(feature = "encryption")]
fn sealed(key: &[u8; 32], plain: &str) -> Value {
    let nonce = [4u8; 24];
    let cipher = XSalsa20Poly1305::new(Key::from_slice(key));
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).unwrap();
    json!({ "ciphertext": STANDARD.encode(sealed), "nonce": STANDARD.encode(nonce) })
}

// Needs the `encryption` feature: without it an encrypted channel is refused
// at authorization (echo-proto's tests/protocol.rs, `encrypted_channels_fail_without_the_encryption_feature`).
#[cfg(feature = "encryption")]
#[test]
fn undecryptable_encrypted_payloads_never_reach_listeners() {
    let fake = FakeEcho::new("app-key").unwrap();
    let channel = fake.echo().encrypted_private("vault");
    let heard: Rc<RefCell<Vec<Value>>> = Rc::default();
    let h = heard.clone();
    channel.listen(".Secret", move |data| h.borrow_mut().push(data.clone()));
    let all: Rc<RefCell<Vec<String>>> = Rc::default();
    let a = all.clone();
    channel.listen_to_all(move |event, _| a.borrow_mut().push(event.to_owned()));
    let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
    let e = errors.clone();
    fake.echo().on_error(move |error| e.borrow_mut().push(error.clone()));

    let name = "private-encrypted-vault";
    let frame = |data: Value| json!({ "event": "Secret", "channel": name, "data": data.to_string() });
    let hostile = [
        sealed(&[1; 32], r#"{"evil":true}"#), // another key
        json!({ "ciphertext": "not base64!", "nonce": STANDARD.encode([0; 24]) }),
        json!({ "ciphertext": STANDARD.encode([0; 40]), "nonce": STANDARD.encode([0; 3]) }),
        json!({ "evil": true }), // plaintext where a ciphertext belongs
        json!("<script>alert(1)</script>"),
    ];
    for data in hostile {
        assert!(fake.server_frame(frame(data)));
    }
    // The re-authorization for a fresh key brings the same key: still nothing.
    fake.advance(std::time::Duration::from_secs(1));
    assert!(heard.borrow().is_empty(), "{:?}", heard.borrow());
    assert!(all.borrow().is_empty(), "{:?}", all.borrow());
    let dropped = errors.borrow().iter().filter(|e| matches!(e, EchoError::Decrypt { .. })).count();
    assert_eq!(dropped, 5, "{:?}", errors.borrow());

    // FakeEcho's shared secret is 32 zero bytes: a payload sealed with it arrives.
    assert!(fake.server_frame(frame(sealed(&[0; 32], r#"{"ok":1}"#))));
    assert_eq!(*heard.borrow(), [json!({ "ok": 1 })]);
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sources compiled into (or served with) the browser build.
fn browser_sources() -> Vec<PathBuf> {
    let root = repository();
    let mut files = vec![root.join("index.html"), root.join("Trunk.toml")];
    for dir in ["demo/app", "crates/echo-rs/src", "crates/echo-leptos/src"] {
        files_under(&root.join(dir), &mut files);
    }
    files
}

#[test]
fn the_frontend_and_the_hooks_have_no_raw_html_sink() {
    for path in browser_sources() {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for sink in [
            "inner_html",
            "innerHTML",
            "set_inner_html",
            "outer_html",
            "insert_adjacent_html",
            "document.write",
        ] {
            assert!(
                !text.contains(sink),
                "{} uses {sink}: payloads must be rendered as text",
                path.display()
            );
        }
    }
}

#[test]
fn the_app_secret_is_in_nothing_the_browser_loads() {
    let mut secrets = vec!["local-secret".to_owned()];
    secrets.extend(std::env::var("REVERB_APP_SECRET").ok().filter(|s| s.len() >= 8));
    let mut files = browser_sources();
    // The built site too, when one was built (scripts/scan_dist.sh builds it).
    files_under(&repository().join("dist"), &mut files);
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} contains the app secret",
                path.display()
            );
        }
    }
}
