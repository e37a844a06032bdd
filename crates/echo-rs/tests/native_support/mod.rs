//! Shared by the native test files that run against a real Sockudo
//! (`--features tokio`): settings from the environment, a local-set runner,
//! polling and unique names.
#![allow(dead_code)]

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

/// `name` from the environment, `default` when unset or empty.
pub fn env(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// `REVERB_HOST:REVERB_PORT` (default `127.0.0.1:6001`).
pub fn sockudo_addr() -> String {
    format!("{}:{}", env("REVERB_HOST", "127.0.0.1"), env("REVERB_PORT", "6001"))
}

/// Fails, naming what is missing, unless Sockudo accepts connections.
pub async fn require_sockudo() {
    let address = sockudo_addr();
    if let Err(e) = tokio::net::TcpStream::connect(&address).await {
        panic!("Sockudo is not reachable at {address} ({e}): start it (scripts/services.sh start_sockudo) or set REVERB_HOST/REVERB_PORT");
    }
}

/// Runs `test` on a current-thread runtime inside a `LocalSet` (echo-rs's
/// `Echo` is `!Send`).
pub fn run_local(test: impl Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    tokio::task::LocalSet::new().block_on(&runtime, test);
}

/// Polls `condition` every 10 ms until it holds; panics naming `what` after `timeout`.
pub async fn poll_until(what: &str, timeout: Duration, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// `label` followed by a random number, so concurrent runs don't collide.
pub fn unique(label: &str) -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    format!("{label}{}", hasher.finish() % 1_000_000_000)
}
