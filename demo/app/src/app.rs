//! The app shell: providers, the global subscriber and the home page.

use echo_leptos::{provide_echo, provide_realtime_queries, use_connection_status, use_realtime_global_subscriber, ConnectionState};
use leptos::prelude::*;
use leptos_fetch::QueryClient;

use crate::{api, config, realtime};

#[component]
pub fn App() -> impl IntoView {
    let client = QueryClient::new().provide();
    let realtime_enabled = config::echo_options().is_some();
    realtime::register_queries(provide_realtime_queries(client));
    provide_echo(config::echo_options());
    use_realtime_global_subscriber(realtime::global_subscriptions());

    view! {
        <header class="site-header">
            <div class="brand">"Casa Marcelino"<span>" Resort & Events"</span></div>
            <ConnectionBadge enabled=realtime_enabled/>
        </header>
        <main>
            <section class="hero">
                <h1>"Stay by the sea in Bohol"</h1>
                <p>"Four rooms, a garden and a quiet beach. Prices and rooms update live."</p>
            </section>
            <Rooms/>
        </main>
    }
}

#[component]
fn ConnectionBadge(enabled: bool) -> impl IntoView {
    let status = use_connection_status();
    let label = move || match (enabled, status.get()) {
        (false, _) => ("off", "Live updates off"),
        (_, ConnectionState::Connected) => ("connected", "Live"),
        (_, ConnectionState::Connecting | ConnectionState::Initialized) => ("connecting", "Connecting…"),
        (_, ConnectionState::Unavailable) => ("reconnecting", "Reconnecting…"),
        (_, ConnectionState::Failed | ConnectionState::Disconnected) => ("offline", "Offline"),
    };
    view! {
        <span class=move || format!("badge badge-{}", label().0) data-testid="connection-status" data-state=move || status.get().as_str()>
            {move || label().1}
        </span>
    }
}

#[component]
fn Rooms() -> impl IntoView {
    let client: QueryClient = expect_context();
    let rooms = client.local_resource(api::fetch_rooms, || ());
    view! {
        <section class="rooms">
            <h2>"Rooms"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading rooms…"</p> }>
                {move || rooms.get().map(|result| match result {
                    Ok(rooms) => view! {
                        <ul class="room-grid" data-testid="rooms">
                            <For each=move || rooms.clone() key=|room| (room.id, room.name.clone(), room.price_per_night) let:room>
                                <li class="room-card" data-room-id=room.id>
                                    <h3 class="room-name">{room.name.clone()}</h3>
                                    <p>{room.description.clone()}</p>
                                    <p class="room-meta">
                                        {format!("Sleeps {} · ₱{} per night", room.capacity, room.price_per_night)}
                                    </p>
                                </li>
                            </For>
                        </ul>
                    }.into_any(),
                    Err(message) => view! { <p class="error">{message}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
