//! Realtime settings, read at build time like `demo/app/src/config.rs`
//! (where a Laravel + Vite frontend reads `VITE_REVERB_*`): `ECHO_WS_KEY`
//! (default `local-key`; set it empty to turn realtime off), `ECHO_WS_HOST`
//! (default: the page's host), `ECHO_WS_PORT` (default 6001),
//! `ECHO_WS_SCHEME` (default `http`).

use echo_rs::EchoOptions;

/// The options for the demo's echo client, or `None` when realtime is off.
pub fn echo_options() -> Option<EchoOptions> {
    let key = option_env!("ECHO_WS_KEY").unwrap_or("local-key");
    if key.trim().is_empty() {
        return None;
    }
    let host = option_env!("ECHO_WS_HOST")
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .or_else(|| web_sys::window()?.location().hostname().ok())
        .unwrap_or_else(|| "localhost".into());
    let port = option_env!("ECHO_WS_PORT").and_then(|p| p.parse().ok()).unwrap_or(6001);
    let scheme = option_env!("ECHO_WS_SCHEME").unwrap_or("http");
    Some(EchoOptions::reverb(key, host, port, scheme))
}
