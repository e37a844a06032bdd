//! Shared by the browser test files: where the services are (compile-time
//! environment, set by scripts/test.sh), polling, and signing in.
#![allow(dead_code)]

use std::time::Duration;

use echo_rs::{EchoOptions, Value};

const fn env_or(value: Option<&'static str>, default: &'static str) -> &'static str {
    match value {
        Some(v) => v,
        None => default,
    }
}
pub const APP_ID: &str = env_or(option_env!("REVERB_APP_ID"), "echo-rs-app");
pub const KEY: &str = env_or(option_env!("REVERB_APP_KEY"), "local-key");
pub const SECRET: &str = env_or(option_env!("REVERB_APP_SECRET"), "local-secret");
pub const WS_HOST: &str = env_or(option_env!("REVERB_HOST"), "127.0.0.1");
pub const WS_PORT: &str = env_or(option_env!("REVERB_PORT"), "6001");
pub const API: &str = env_or(option_env!("ECHO_TEST_API_URL"), "http://127.0.0.1:8000");
pub const FAULTS: &str = env_or(option_env!("ECHO_TEST_FAULT_URL"), "http://127.0.0.1:6099");

/// Options for the test Sockudo.
pub fn options() -> EchoOptions {
    EchoOptions::reverb(KEY, WS_HOST, WS_PORT.parse().expect("REVERB_PORT is a port number"), "http")
}

/// Polls `condition` every 20 ms until it holds; panics naming `what` after `timeout`.
pub async fn wait_until(what: &str, timeout: Duration, condition: impl Fn() -> bool) {
    let start = web_time::Instant::now();
    while !condition() {
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        gloo_timers::future::sleep(Duration::from_millis(20)).await;
    }
}

/// Signs in through the demo API and returns the bearer token.
pub async fn login(email: &str, password: &str) -> String {
    let response = gloo_net::http::Request::post(&format!("{API}/api/login"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .expect("body")
        .send()
        .await
        .unwrap_or_else(|e| panic!("the demo API at {API} is not reachable: {e}"));
    assert!(response.ok(), "login as {email} answered HTTP {}", response.status());
    let body: Value = response.json().await.expect("login answers JSON");
    body["token"].as_str().expect("login answers a token").to_owned()
}

/// `label` and a random number, so concurrent runs don't collide.
pub fn unique(label: &str) -> String {
    format!("{label} {}", (js_sys::Math::random() * 1e9) as u64)
}
