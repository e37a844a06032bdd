//! Channel and event names in one place (the seed's `channels.ts`), and the
//! global subscriber's table.

use echo_leptos::GlobalSubscription;
use leptos_fetch::QueryClient;

use crate::api;

/// Public channel names, the same strings the backend broadcasts on.
pub mod channels {
    /// Room list changes.
    pub const ROOMS: &str = "rooms";
}

/// Event names: the backend's class short names, listened with a leading dot.
pub mod events {
    /// A room was created, changed or removed.
    pub const ROOMS_UPDATED: &str = ".RoomsUpdated";
}

/// Which event invalidates which queries.
pub fn global_subscriptions(client: QueryClient) -> Vec<GlobalSubscription> {
    vec![GlobalSubscription::new(channels::ROOMS, events::ROOMS_UPDATED, move || {
        client.invalidate_query_scope(api::fetch_rooms);
    })]
}
