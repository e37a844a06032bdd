//! Realtime settings, read at build time (where a Laravel + Vite frontend reads `VITE_REVERB_*`):
//! `ECHO_WS_KEY` (default `local-key`; set it empty to turn realtime off),
//! `ECHO_WS_HOST` (default: the page's host), `ECHO_WS_PORT` (default 6001),
//! `ECHO_WS_SCHEME` (default `http`).

use echo_rs::EchoOptions;

/// The resort's time zone: times are shown in it, whatever the visitor's.
pub const RESORT_TIME_ZONE: &str = "Asia/Manila";

/// `rfc3339` (a server timestamp, UTC) as the resort's local date and time,
/// e.g. "2 Dec 2026, 4:15 pm", through the browser's `Intl.DateTimeFormat`;
/// the text as given when it is not a date.
pub fn resort_time(rfc3339: &str) -> String {
    use js_sys::wasm_bindgen::JsValue;
    use js_sys::{Array, Date, Intl, Object, Reflect};
    let date = Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = Object::new();
    for (key, value) in [("timeZone", RESORT_TIME_ZONE), ("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = Reflect::set(&options, &key.into(), &value.into());
    }
    let format = Intl::DateTimeFormat::new(&Array::of1(&"en-GB".into()), &options).format();
    format
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| rfc3339.to_owned())
}

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
