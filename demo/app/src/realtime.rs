//! Channel names, event names and query keys in one place (the seed's
//! `channels.ts` and `queryKeys`), and the global subscriber's table.

use echo_leptos::{GlobalSubscription, RealtimeQueries};
use leptos_fetch::QueryScopeLocal;

use crate::api;

/// Public channel names: the same strings the backend broadcasts on.
pub mod channels {
    /// Room list changes.
    pub const ROOMS: &str = "rooms";
}

/// Event names: the backend's class short names, listened with a leading dot.
pub mod events {
    /// A room was created, changed or removed.
    pub const ROOMS_UPDATED: &str = ".RoomsUpdated";
}

/// Query-key prefixes: every query of a resource starts with its `ALL` key.
pub mod keys {
    /// Every room query: `["rooms", ...]`.
    pub const ROOMS_ALL: &[&str] = &["rooms"];
}

/// Registers every query scope under its key path.
pub fn register_queries(queries: RealtimeQueries) {
    queries.register(QueryScopeLocal::new(api::fetch_rooms), |_: &()| vec!["rooms".into(), "home".into()]);
}

/// Which event invalidates which query-key prefix (the seed's
/// `useRealtimeGlobalSubscriber` table).
pub fn global_subscriptions() -> Vec<GlobalSubscription> {
    vec![GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, keys::ROOMS_ALL)]
}
