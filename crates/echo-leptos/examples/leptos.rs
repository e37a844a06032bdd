//! The Leptos quick start: the client in a context, a component that lists
//! rooms from leptos-fetch, and the global subscriber that refetches them
//! when `.RoomsUpdated` arrives.
//!
//! Build: `cargo build -p echo-leptos --example leptos --target
//! wasm32-unknown-unknown` (a trunk-built page serves a binary like it).

#[cfg(target_arch = "wasm32")]
fn main() {
    use echo_leptos::{provide_echo, provide_realtime_queries, use_realtime_global_subscriber, GlobalSubscription};
    use leptos::prelude::*;
    use leptos_fetch::{QueryClient, QueryScopeLocal};

    /// What the app's API returns; here a stand-in for a fetch to /api/rooms.
    async fn fetch_rooms() -> Vec<String> {
        vec!["Garden Villa".into(), "Treetop Cabin".into()]
    }

    #[component]
    fn Rooms() -> impl IntoView {
        let client: QueryClient = expect_context();
        let rooms = client.local_resource(fetch_rooms, || ());
        view! { <ul>{move || rooms.get().map(|rooms| rooms.into_iter().map(|r| view! { <li>{r}</li> }).collect_view())}</ul> }
    }

    #[component]
    fn App() -> impl IntoView {
        let client = QueryClient::new().provide();
        // Every query scope the app fetches with is registered with its key
        // path: an event invalidates the queries under its prefix.
        let queries = provide_realtime_queries(client);
        queries.register(QueryScopeLocal::new(fetch_rooms), |_: &()| vec!["rooms".into()]);
        provide_echo(Some(echo_rs::EchoOptions::reverb("local-key", "127.0.0.1", 6001, "http")));
        use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
        view! { <Rooms/> }
    }

    leptos::mount::mount_to_body(App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("this example runs in the browser: build it with --target wasm32-unknown-unknown");
}
