use echo_rs::hooks::GlobalSubscription;
use yew::prelude::*;

use crate::context::use_echo_context;
use crate::query::use_query_client;

/// Mount once at the app root, under an [`EchoProvider`](crate::EchoProvider)
/// and a [`QueryClientProvider`](crate::QueryClientProvider) (the seed's
/// `useRealtimeGlobalSubscriber`).
///
/// For each row it subscribes the channel and, on each event, invalidates
/// every cached query under the row's prefix
/// ([`QueryClient::invalidate_prefix`](crate::QueryClient::invalidate_prefix));
/// the queries on screen refetch. It invalidates them too whenever the
/// channel is subscribed again after a connection loss, because events sent
/// during the gap are never replayed. The payload is never decoded. The
/// table is read once, when the component mounts. A no-op when realtime is
/// off or under SSR.
#[hook]
pub fn use_realtime_global_subscriber(table: Vec<GlobalSubscription>) {
    let table = use_state(move || table);
    let context = use_echo_context();
    let queries = use_query_client();
    let generation = context.as_ref().map(|c| c.generation());
    use_effect_with(generation, move |_| {
        let mut held = Vec::new();
        if let (Some(context), Some(queries)) = (context, queries) {
            for row in table.iter() {
                let Some((generation, channel)) = context.registry().acquire(&row.channel) else {
                    break;
                };
                let (on_event, on_subscribed) = (queries.clone(), queries.clone());
                let (prefix, again) = (row.prefix.clone(), row.prefix.clone());
                let listeners = vec![
                    channel.listen_data(&row.event, move |_| on_event.invalidate_prefix(&prefix)),
                    channel.subscribed(move |subscription| {
                        if subscription.is_resubscription() {
                            on_subscribed.invalidate_prefix(&again);
                        }
                    }),
                ];
                held.push((context.clone(), generation, channel, listeners));
            }
        }
        move || {
            for (context, generation, channel, listeners) in held {
                listeners.into_iter().for_each(|h| {
                    channel.echo().stop_listening(h);
                });
                context.release(generation, channel.name());
            }
        }
    });
}
