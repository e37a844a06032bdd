use echo_rs::hooks::HoldSpec;
use std::rc::Rc;

use leptos::prelude::*;

use crate::query_keys::use_realtime_queries;
use crate::subscription::use_channel_hook;

pub use echo_rs::hooks::GlobalSubscription;

/// Mount once at the app root (as the demo app's `demo/app/src/app.rs` does).
///
/// For each row it subscribes the channel and, on each event, invalidates
/// every cached leptos-fetch query under the row's prefix through the
/// [`RealtimeQueries`](crate::RealtimeQueries) registry (provide it with
/// [`provide_realtime_queries`](crate::provide_realtime_queries)); the active
/// ones refetch. It also invalidates them whenever the channel is subscribed
/// again after a connection loss, because events sent during the gap are
/// never replayed. A no-op when realtime is disabled or under SSR.
pub fn use_realtime_global_subscriber(table: Vec<GlobalSubscription>) {
    let Some(queries) = use_realtime_queries() else {
        leptos::logging::warn!("use_realtime_global_subscriber: no RealtimeQueries provided; call provide_realtime_queries at the root");
        return;
    };
    for row in table {
        let prefix = Rc::new(row.prefix);
        let event = row.event;
        let channel = row.channel;
        let prefix = StoredValue::new_local(prefix);
        use_channel_hook(
            move || Some(channel.clone()),
            HoldSpec::listening(move |ch, _| {
                vec![
                    // `listen_data`: the payload is never decoded.
                    ch.listen_data(&event, move |_| queries.invalidate_prefix(&prefix.get_value())),
                    // Events sent while the connection was lost are never replayed.
                    ch.subscribed(move |subscription| {
                        if subscription.is_resubscription() {
                            queries.invalidate_prefix(&prefix.get_value());
                        }
                    }),
                ]
            }),
        );
    }
}
