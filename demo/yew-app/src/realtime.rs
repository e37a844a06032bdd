//! Channel names, event names and query keys in one place, shared with the
//! Leptos demo (`demo/shared/src/names.rs`), and the global subscriber's
//! table.

pub use echo_demo_shared::names::{channels, events, global_subscriptions, keys};
