//! Query-key prefixes over leptos-fetch, so that a realtime event can
//! invalidate "every query under `rooms`" the way TanStack Query's
//! `invalidateQueries({ queryKey: ["rooms"] })` does.
//!
//! leptos-fetch keys are typed per query scope, so each scope is registered
//! once with a function giving the key path of its keys (the same shape as
//! leptos-fetch's `with_invalidation_link`). Prefix matching is TanStack's:
//! `["rooms"]` matches `["rooms", "home"]` and `["rooms", "2026-12-01",
//! "2026-12-04"]`, and nothing else (not `["rooms-archive"]`, not `["venues"]`).

use std::hash::Hash;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_fetch::{QueryClient, QueryScopeLocal};

type Invalidator = Rc<dyn Fn(&QueryClient, &[String])>;

pub use echo_rs::hooks::key_matches_prefix;

/// The registry of query scopes by key path. `Copy`; provide it once with
/// [`provide_realtime_queries`].
#[derive(Clone, Copy)]
pub struct RealtimeQueries {
    client: QueryClient,
    scopes: StoredValue<Vec<Invalidator>, LocalStorage>,
}

/// Provides a [`RealtimeQueries`] registry over `client` and returns it.
pub fn provide_realtime_queries(client: QueryClient) -> RealtimeQueries {
    let registry = RealtimeQueries {
        client,
        scopes: StoredValue::new_local(Vec::new()),
    };
    provide_context(registry);
    registry
}

/// The provided [`RealtimeQueries`], if any.
pub fn use_realtime_queries() -> Option<RealtimeQueries> {
    use_context::<RealtimeQueries>()
}

impl RealtimeQueries {
    /// The query client behind this registry.
    pub fn client(&self) -> QueryClient {
        self.client
    }

    /// Registers a query scope (`QueryScopeLocal::new(fetch_rooms)`; it shares
    /// its cache with `fetch_rooms` used directly): `key_path` gives the key path of each of its
    /// keys, e.g. `|_| vec!["rooms".into(), "home".into()]` for the home page
    /// room list or `|(check_in, check_out)| vec!["rooms".into(), check_in.clone(), check_out.clone()]`.
    /// Register each scope once, at the app root.
    ///
    /// **Register every scope the app fetches with.** leptos-fetch keeps no
    /// list of its scopes that could be searched by key, so a scope that is
    /// not registered here is never invalidated by realtime events: its
    /// queries refresh only when their own stale time says so, and nothing
    /// reports it. Keep the registrations next to the app's query keys (the
    /// demo's `demo/app/src/realtime.rs` registers all of its scopes in one
    /// function).
    pub fn register<K, V>(&self, scope: QueryScopeLocal<K, V>, key_path: impl Fn(&K) -> Vec<String> + 'static)
    where
        K: Hash + Clone + 'static,
        V: Clone + 'static,
    {
        let key_path = Rc::new(key_path);
        let invalidate: Invalidator = Rc::new(move |client: &QueryClient, prefix: &[String]| {
            let key_path = key_path.clone();
            client.invalidate_queries_with_predicate(scope.clone(), move |key: &K| key_matches_prefix(&key_path(key), prefix));
        });
        self.scopes.update_value(|scopes| scopes.push(invalidate));
    }

    /// Marks every cached query whose key path starts with `prefix` stale;
    /// the active ones refetch in the background.
    pub fn invalidate_prefix(&self, prefix: &[String]) {
        let scopes = self.scopes.with_value(Clone::clone);
        for invalidate in scopes {
            invalidate(&self.client, prefix);
        }
    }
}
