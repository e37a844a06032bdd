//! Browser tests of private, presence and encrypted channels: echo-rs in
//! headless Chromium against a real Sockudo, authorized by the demo API's
//! `/broadcasting/auth` with tokens from its `/api/login`.
//! `scripts/test.sh` starts the services.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

#[cfg(feature = "encryption")]
use base64::Engine;
#[cfg(feature = "encryption")]
use crypto_secretbox::aead::{Aead, KeyInit};
use echo_rs::{Echo, EchoError, Value};
use hmac::{Hmac, KeyInit as _, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod browser_support;
use browser_support::*;

/// A client whose auth requests carry `token` (per client, through
/// `auth_headers`, so two users can share one page).
fn client(token: Option<&str>) -> Echo {
    let mut options = options();
    options.auth_endpoint = format!("{API}/broadcasting/auth");
    options.auth_headers = token
        .map(|t| vec![("Authorization".to_owned(), format!("Bearer {t}"))])
        .unwrap_or_default();
    Echo::new(options).expect("valid options")
}

fn counter() -> (Rc<RefCell<u32>>, impl Fn(echo_rs::Subscription) + 'static) {
    let count = Rc::new(RefCell::new(0));
    let c = count.clone();
    (count, move |_| *c.borrow_mut() += 1)
}

#[wasm_bindgen_test]
async fn admin_subscribes_the_private_dashboard_and_receives_contact_messages() {
    let echo = client(Some(&login("admin@casamarcelino.test", "admin-password").await));
    let dashboard = echo.private("admin.dashboard");
    let (subscribed, on_subscribed) = counter();
    dashboard.subscribed(on_subscribed);
    let received: Rc<RefCell<Vec<Value>>> = Rc::default();
    let r = received.clone();
    dashboard.listen(".ContactFormSubmitted", move |data| r.borrow_mut().push(data.clone()));
    wait_until("private-admin.dashboard to be subscribed", Duration::from_secs(10), || {
        *subscribed.borrow() == 1
    })
    .await;

    let subject = format!("Wedding in June {}", (js_sys::Math::random() * 1e9) as u64);
    let response = gloo_net::http::Request::post(&format!("{API}/api/contact"))
        .json(&json!({ "name": "Ana Reyes", "email": "ana@example.test", "subject": subject, "message": "Is the garden free on June 14?" }))
        .expect("body")
        .send()
        .await
        .expect("demo API reachable");
    assert!(response.ok(), "contact answered HTTP {}", response.status());
    wait_until("ContactFormSubmitted", Duration::from_secs(10), || {
        received.borrow().iter().any(|d| d["subject"] == subject.as_str())
    })
    .await;
    echo.disconnect();
}

#[wasm_bindgen_test]
async fn a_guest_is_refused_the_dashboard_with_403_while_public_channels_carry_on() {
    let echo = client(Some(&login("guest@casamarcelino.test", "guest-password").await));
    let errors: Rc<RefCell<Vec<EchoError>>> = Rc::default();
    let e = errors.clone();
    echo.private("admin.dashboard")
        .error(move |error| e.borrow_mut().push(error.clone()));
    let (rooms_subscribed, on_rooms) = counter();
    echo.channel("rooms").subscribed(on_rooms);
    wait_until("the auth error", Duration::from_secs(10), || !errors.borrow().is_empty()).await;
    let error = errors.borrow()[0].to_string();
    assert!(error.contains("HTTP 403") && error.contains("private-admin.dashboard"), "{error}");
    wait_until("rooms still subscribed", Duration::from_secs(10), || {
        *rooms_subscribed.borrow() == 1
    })
    .await;
    assert!(!echo.is_subscribed("private-admin.dashboard"));
    echo.disconnect();
}

#[wasm_bindgen_test]
async fn presence_members_and_whispers_between_two_clients() {
    let admin = client(Some(&login("admin@casamarcelino.test", "admin-password").await));
    let staff = client(Some(&login("staff@casamarcelino.test", "staff-password").await));
    let name = unique("front-desk.").replace(' ', "");

    let lobby = admin.join(&name);
    let here_counts: Rc<RefCell<Vec<usize>>> = Rc::default();
    let h = here_counts.clone();
    lobby.here(move |members| h.borrow_mut().push(members.len()));
    let joined: Rc<RefCell<Vec<String>>> = Rc::default();
    let j = joined.clone();
    lobby.joining(move |member| j.borrow_mut().push(member.id.clone()));
    let left: Rc<RefCell<Vec<String>>> = Rc::default();
    let l = left.clone();
    lobby.leaving(move |member| l.borrow_mut().push(member.id.clone()));
    let whispers: Rc<RefCell<Vec<Value>>> = Rc::default();
    let w = whispers.clone();
    lobby.listen_for_whisper("typing", move |data| w.borrow_mut().push(data.clone()));
    let errors: Rc<RefCell<Vec<String>>> = Rc::default();
    let e = errors.clone();
    admin.on_error(move |error| e.borrow_mut().push(error.to_string()));
    let start = web_time::Instant::now();
    while here_counts.borrow().as_slice() != [1] {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "admin alone in the presence channel: here {:?}, errors {:?}, subscribed {}",
            here_counts.borrow(),
            errors.borrow(),
            lobby.is_subscribed()
        );
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
    assert!(lobby.me().is_some(), "me comes from the auth response's channel_data");

    let desk = staff.join(&name);
    let (staff_here, on_staff_here) = counter();
    desk.subscribed(on_staff_here);
    wait_until("the staff member joining", Duration::from_secs(10), || joined.borrow().len() == 1).await;
    wait_until("staff subscribed", Duration::from_secs(10), || *staff_here.borrow() == 1).await;
    assert_eq!(lobby.members().len(), 2);

    desk.whisper("typing", &json!({ "name": "Staff" }))
        .expect("whisper on a subscribed presence channel");
    wait_until("the whisper", Duration::from_secs(10), || !whispers.borrow().is_empty()).await;
    assert_eq!(whispers.borrow()[0], json!({ "name": "Staff" }));

    staff.leave(&name);
    wait_until("the staff member leaving", Duration::from_secs(10), || left.borrow().len() == 1).await;
    assert_eq!(left.borrow()[0], joined.borrow()[0], "the one who left is the one who joined");
    assert_eq!(lobby.members().len(), 1);
    admin.disconnect();
    staff.disconnect();
}

#[cfg_attr(not(feature = "encryption"), allow(dead_code))]
type HmacSha256 = Hmac<Sha256>;

/// Publishes through Sockudo's Pusher HTTP API, signed with the app secret
/// (test code only: the secret never reaches a page the demo serves).
#[cfg_attr(not(feature = "encryption"), allow(dead_code))]
async fn trigger(channel: &str, event: &str, data: &str) {
    let body = json!({ "name": event, "channels": [channel], "data": data }).to_string();
    let body_md5 = hex::encode(md5::Md5::digest(body.as_bytes()));
    let timestamp = (js_sys::Date::now() / 1000.0) as u64;
    let query = format!("auth_key={KEY}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={body_md5}");
    let path = format!("/apps/{APP_ID}/events");
    let mut mac = HmacSha256::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(format!("POST\n{path}\n{query}").as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let url = format!("http://{WS_HOST}:{WS_PORT}{path}?{query}&auth_signature={signature}");
    let response = gloo_net::http::Request::post(&url)
        .header("Content-Type", "application/json")
        .body(body)
        .expect("body")
        .send()
        .await
        .expect("Sockudo's HTTP API reachable");
    assert!(response.ok(), "trigger answered HTTP {}", response.status());
}

#[cfg(feature = "encryption")]
/// Encrypts `plaintext` for `channel` the way Pusher's server libraries do:
/// key = SHA-256(channel name + master key), NaCl secretbox, base64.
fn encrypt(channel: &str, plaintext: &str, nonce: [u8; 24]) -> String {
    let key = Sha256::digest([channel.as_bytes(), SECRET.as_bytes()].concat());
    let cipher = crypto_secretbox::XSalsa20Poly1305::new_from_slice(&key).expect("32-byte key");
    let ciphertext = cipher.encrypt(&nonce.into(), plaintext.as_bytes()).expect("encrypt");
    let b64 = base64::engine::general_purpose::STANDARD;
    json!({ "nonce": b64.encode(nonce), "ciphertext": b64.encode(ciphertext) }).to_string()
}

#[cfg(feature = "encryption")]
#[wasm_bindgen_test]
async fn encrypted_channel_decrypts_for_listeners_and_drops_what_it_cannot_decrypt() {
    let echo = client(Some(&login("guest@casamarcelino.test", "guest-password").await));
    let name = unique("receipts.").replace(' ', "");
    let channel = echo.encrypted_private(&name);
    let (subscribed, on_subscribed) = counter();
    channel.subscribed(on_subscribed);
    let received: Rc<RefCell<Vec<Value>>> = Rc::default();
    let r = received.clone();
    channel.listen(".ReceiptIssued", move |data| r.borrow_mut().push(data.clone()));
    let errors: Rc<RefCell<Vec<String>>> = Rc::default();
    let e = errors.clone();
    echo.on_error(move |error| e.borrow_mut().push(error.to_string()));
    wait_until("the encrypted channel to be subscribed", Duration::from_secs(10), || {
        *subscribed.borrow() == 1
    })
    .await;

    let full = format!("private-encrypted-{name}");
    trigger(
        &full,
        "ReceiptIssued",
        &encrypt(&full, r#"{"reference":"CMR-7K3Q9","total":13500}"#, [7; 24]),
    )
    .await;
    wait_until("the decrypted event", Duration::from_secs(10), || !received.borrow().is_empty()).await;
    assert_eq!(received.borrow()[0], json!({ "reference": "CMR-7K3Q9", "total": 13500 }));

    // Encrypted for another channel's key: never reaches listeners.
    trigger(
        &full,
        "ReceiptIssued",
        &encrypt("private-encrypted-other", r#"{"reference":"FORGED"}"#, [9; 24]),
    )
    .await;
    wait_until("the undecryptable event to be reported", Duration::from_secs(15), || {
        !errors.borrow().is_empty()
    })
    .await;
    assert_eq!(
        received.borrow().len(),
        1,
        "an undecryptable payload never reaches listeners: {:?}",
        errors.borrow()
    );
    echo.disconnect();
}

/// The page's readable cookie `name` (`document.cookie`), decoded.
fn page_cookie(name: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let document: web_sys::HtmlDocument = web_sys::window()?.document()?.dyn_into().ok()?;
    document.cookie().ok()?.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name)
            .then(|| js_sys::decode_uri_component(value).ok()?.as_string())
            .flatten()
    })
}

/// A client that signs in with the session cookie only (no bearer token
/// anywhere), authorizing through the API on its own origin.
fn cookie_client(credentials: echo_rs::AuthCredentials, xsrf_cookie: Option<&str>) -> Echo {
    let mut options = options();
    options.auth_endpoint = format!("{API}/broadcasting/auth");
    options.auth_credentials = credentials;
    options.xsrf_cookie = xsrf_cookie.map(str::to_owned);
    Echo::new(options).expect("valid options")
}

/// The first error of `channel`, or its subscription.
async fn outcome(echo: &Echo, channel: &str) -> Result<(), String> {
    let errors: Rc<RefCell<Vec<String>>> = Rc::default();
    let e = errors.clone();
    let handle = echo.subscribe(channel.to_owned());
    handle.error(move |error| e.borrow_mut().push(error.to_string()));
    wait_until(&format!("{channel} subscribed or refused"), Duration::from_secs(10), || {
        handle.is_subscribed() || !errors.borrow().is_empty()
    })
    .await;
    let first = errors.borrow().first().cloned();
    first.map_or(Ok(()), Err)
}

/// Laravel Sanctum's SPA sign-in, with the API on another origin than the
/// page (the test page and the demo API listen on different ports): the
/// CSRF cookie, `POST /login` with `X-XSRF-TOKEN`, then channels authorized
/// with the session cookie (`credentials: include`) and the XSRF header that
/// echo-rs reads from the cookie on its own.
#[wasm_bindgen_test]
async fn sanctum_cookie_sign_in_authorizes_private_channels_on_another_origin() {
    use web_sys::RequestCredentials::Include;
    echo_rs::set_echo_token_getter(|| None);
    let csrf = gloo_net::http::Request::get(&format!("{API}/sanctum/csrf-cookie"))
        .credentials(Include)
        .send()
        .await
        .expect("demo API reachable");
    assert_eq!(csrf.status(), 204);
    let xsrf = page_cookie("XSRF-TOKEN").expect("the XSRF-TOKEN cookie is readable by the page");
    let login = gloo_net::http::Request::post(&format!("{API}/login"))
        .credentials(Include)
        .header("X-XSRF-TOKEN", &xsrf)
        .json(&json!({ "email": "admin@casamarcelino.test", "password": "admin-password" }))
        .expect("body")
        .send()
        .await
        .expect("demo API reachable");
    assert_eq!(login.status(), 200, "cookie login");
    assert!(page_cookie("demo_session").is_none(), "the session cookie is HttpOnly");

    // With cookies and the XSRF header: the private dashboard is signed.
    let echo = cookie_client(echo_rs::AuthCredentials::Include, Some("XSRF-TOKEN"));
    assert_eq!(outcome(&echo, "private-admin.dashboard").await, Ok(()));
    echo.disconnect();

    // fetch's default sends no cookie to another origin: not signed in.
    let same_origin_only = cookie_client(echo_rs::AuthCredentials::SameOrigin, Some("XSRF-TOKEN"));
    let refused = outcome(&same_origin_only, "private-admin.dashboard").await.unwrap_err();
    assert!(refused.contains("HTTP 403"), "{refused}");
    assert!(refused.contains("auth_credentials"), "says how to send the cookies: {refused}");
    same_origin_only.disconnect();

    // Cookies without the XSRF header: Laravel's 419.
    let no_xsrf = cookie_client(echo_rs::AuthCredentials::Include, None);
    let expired = outcome(&no_xsrf, "private-admin.dashboard").await.unwrap_err();
    assert!(expired.contains("HTTP 419"), "{expired}");
    no_xsrf.disconnect();

    // Sign out: the session cookie is gone for the tests after this one.
    let logout = gloo_net::http::Request::post(&format!("{API}/logout"))
        .credentials(Include)
        .header("X-XSRF-TOKEN", &xsrf)
        .send()
        .await
        .expect("demo API reachable");
    assert_eq!(logout.status(), 204);
    echo_rs::reset_echo_token_getter();
}
