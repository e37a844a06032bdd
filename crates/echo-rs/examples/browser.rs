//! The plain browser quick start (no framework): the app-wide client, a
//! public channel and a private one, alive after `main` returns.
//!
//! Build: `cargo build -p laravel-echo-rs --example browser --target
//! wasm32-unknown-unknown`, then `wasm-bindgen --target web` and a page that
//! imports the glue (a trunk-built page does this for a binary crate). The
//! server is the one `scripts/dev.sh` starts (Sockudo with the demo's app).

#[cfg(target_arch = "wasm32")]
fn main() {
    use echo_rs::{EchoOptions, Value};

    // Built once, kept until `echo_rs::disconnect_echo()`: the listeners below
    // keep hearing events after `main` returns.
    if let Err(error) = echo_rs::configure_echo(EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http")) {
        web_sys::console::error_1(&format!("echo-rs is not configured: {error}").into());
        return;
    }
    let Some(echo) = echo_rs::echo() else { return }; // no key: realtime off
    echo.channel("rooms").listen(".RoomsUpdated", |data: &Value| {
        web_sys::console::log_1(&format!("rooms changed: {}", data["room_ids"]).into());
    });
    // Authorized by POST /broadcasting/auth with the bearer token from
    // localStorage["token"] (or `echo_rs::set_echo_token_getter`).
    let dashboard = echo.private("admin.dashboard");
    dashboard.listen(".ContactFormSubmitted", |data| {
        web_sys::console::log_1(&format!("new message: {}", data["subject"]).into());
    });
    dashboard.error(|error| web_sys::console::warn_1(&error.to_string().into()));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("this example runs in the browser: build it with --target wasm32-unknown-unknown");
}
