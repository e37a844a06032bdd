//! The native quick start (feature `tokio`): listens on `rooms` and prints
//! each `.RoomsUpdated` until it has seen `ECHO_EXAMPLE_EVENTS` events
//! (default: runs until stopped). The server is Laravel's `REVERB_APP_KEY`,
//! `REVERB_HOST`, `REVERB_PORT` (default `local-key`, `127.0.0.1`, `6001`).
//!
//! `cargo run -p laravel-echo-rs --features tokio --example tokio` while
//! `scripts/dev.sh` runs; rename a room in the demo's admin to see an event.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::{Echo, EchoOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let wanted: usize = std::env::var("ECHO_EXAMPLE_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // The client is `!Send`: it lives on this thread, in a LocalSet.
    tokio::task::LocalSet::new().block_on(&runtime, async move {
        let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        let port = env("REVERB_PORT", "6001").parse()?;
        let echo = Echo::new_tokio(EchoOptions::reverb(
            env("REVERB_APP_KEY", "local-key"),
            env("REVERB_HOST", "127.0.0.1"),
            port,
            "http",
        ))?;
        let seen = Rc::new(Cell::new(0));
        let counter = seen.clone();
        echo.channel("rooms").listen(".RoomsUpdated", move |data| {
            println!("rooms changed: {}", data["room_ids"]);
            counter.set(counter.get() + 1);
        });
        echo.on_connection_change(|state| eprintln!("connection: {}", state.as_str()));
        // Keep the client (and this task) alive while listening: returning
        // would drop it and close its socket.
        while seen.get() < wanted {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        echo.disconnect();
        Ok(())
    })
}
