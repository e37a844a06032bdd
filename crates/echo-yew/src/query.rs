//! A small keyed query cache for Yew, invalidated by key prefix: the part of
//! TanStack Query the seed's realtime model needs (`useQuery` with a key,
//! `invalidateQueries({ queryKey: prefix })`).
//!
//! It exists because no released Yew query library does this for Yew 0.23:
//! bounce's query (0.9, the newest) targets Yew 0.21 and refreshes one
//! handle at a time, with no invalidation by key prefix; yew-query targets
//! Yew 0.19. Replace it when one does: the global subscriber needs only
//! [`QueryClient::invalidate_prefix`].
//!
//! - [`QueryClientProvider`] provides a [`QueryClient`] (one cache per app).
//! - [`use_query`] reads the entry of a key, fetching it when it has no data
//!   or was invalidated; components on one key share one entry and one
//!   fetch at a time.
//! - [`QueryClient::invalidate_prefix`] marks every entry under a prefix
//!   stale ([`key_matches_prefix`]: `["rooms"]` covers
//!   `["rooms", "home"]`): the ones on screen refetch now, the others when
//!   next shown. [`use_realtime_global_subscriber`](crate::use_realtime_global_subscriber)
//!   calls it when an event arrives.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use echo_rs::hooks::key_matches_prefix;
use yew::prelude::*;

/// A query key: a path of segments, e.g. `["rooms", "home"]`.
pub type QueryKey = Vec<String>;

type Data = Rc<dyn Any>;
type Fetch = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Data, String>>>>>;

#[derive(Default)]
struct Entry {
    data: Option<Data>,
    error: Option<String>,
    fetching: bool,
    /// Invalidated since the data was fetched (or while it was fetching).
    stale: bool,
    /// How to fetch it again: the last `use_query` of the key's.
    fetch: Option<Fetch>,
    /// Components showing it, told when it changes.
    watchers: HashMap<u64, Callback<()>>,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<QueryKey, Entry>,
    next_watcher: u64,
    /// Bumped by `clear`: a fetch started before it lands nothing.
    epoch: u64,
}

/// The query cache. Cheap to clone (clones share it); two clients are equal
/// when they are the same cache.
#[derive(Clone, Default)]
pub struct QueryClient {
    cache: Rc<RefCell<Cache>>,
}

impl PartialEq for QueryClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cache, &other.cache)
    }
}

impl QueryClient {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks every entry whose key starts with `prefix` stale (TanStack's
    /// `invalidateQueries({ queryKey: prefix })`): entries a component shows
    /// refetch now, keeping their data until the new one arrives; the others
    /// refetch when next used.
    pub fn invalidate_prefix(&self, prefix: &[String]) {
        let keys: Vec<QueryKey> = {
            let mut cache = self.cache.borrow_mut();
            cache
                .entries
                .iter_mut()
                .filter(|(key, _)| key_matches_prefix(key, prefix))
                .map(|(key, entry)| {
                    entry.stale = true;
                    key.clone()
                })
                .collect()
        };
        keys.iter().for_each(|key| self.fetch_if_watched(key));
    }

    /// Marks every entry stale (TanStack's `invalidateQueries()` with no
    /// key): `invalidate_prefix(&[])`, since the empty prefix covers every
    /// key.
    pub fn invalidate_all(&self) {
        self.invalidate_prefix(&[]);
    }

    /// Whether the entry of `key` is stale (invalidated and not fetched
    /// again yet); `false` for a key never used.
    pub fn is_stale(&self, key: &[String]) -> bool {
        self.cache.borrow().entries.get(key).is_some_and(|e| e.stale)
    }

    /// Drops every entry's data, e.g. after signing out: entries a
    /// component shows are fetched again, the others forgotten, and a fetch
    /// still running lands nothing.
    pub fn clear(&self) {
        let keys: Vec<QueryKey> = {
            let mut cache = self.cache.borrow_mut();
            // A fetch still running (the signed-out user's) lands nothing.
            cache.epoch += 1;
            cache.entries.retain(|_, e| !e.watchers.is_empty());
            cache.entries.iter_mut().for_each(|(_, e)| {
                e.data = None;
                e.error = None;
                e.stale = false;
                e.fetching = false;
            });
            cache.entries.keys().cloned().collect()
        };
        for key in &keys {
            self.notify(key);
            self.fetch_if_watched(key);
        }
    }

    fn watch(&self, key: &QueryKey, fetch: Fetch, on_change: Callback<()>) -> u64 {
        let mut cache = self.cache.borrow_mut();
        let id = cache.next_watcher;
        cache.next_watcher += 1;
        let entry = cache.entries.entry(key.clone()).or_default();
        entry.fetch = Some(fetch);
        entry.watchers.insert(id, on_change);
        // A component shown again retries what failed (TanStack's retry on mount).
        if entry.error.is_some() {
            entry.stale = true;
        }
        id
    }

    fn unwatch(&self, key: &QueryKey, id: u64) {
        if let Some(entry) = self.cache.borrow_mut().entries.get_mut(key) {
            entry.watchers.remove(&id);
        }
    }

    /// Fetches `key` if a component shows it and it has no data or is stale,
    /// unless a fetch is running (it fetches again when done if stale).
    fn fetch_if_watched(&self, key: &QueryKey) {
        let fetch = {
            let mut cache = self.cache.borrow_mut();
            let Some(entry) = cache.entries.get_mut(key) else { return };
            let needed = entry.data.is_none() && entry.error.is_none() || entry.stale;
            if entry.watchers.is_empty() || entry.fetching || !needed {
                return;
            }
            entry.fetching = true;
            entry.stale = false;
            entry.fetch.clone().map(|fetch| (fetch, cache.epoch))
        };
        let Some((fetch, epoch)) = fetch else { return };
        self.notify(key);
        let client = self.clone();
        let key = key.clone();
        // Started now, with the state of now (the token of the user signed
        // in at this moment), and awaited on Yew's executor.
        let started = fetch();
        yew::platform::spawn_local(async move {
            let result = started.await;
            {
                let mut cache = client.cache.borrow_mut();
                if cache.epoch != epoch {
                    return;
                }
                let Some(entry) = cache.entries.get_mut(&key) else { return };
                entry.fetching = false;
                match result {
                    Ok(data) => {
                        entry.data = Some(data);
                        entry.error = None;
                    }
                    Err(error) => entry.error = Some(error),
                }
            }
            client.notify(&key);
            // Invalidated while fetching: what arrived may predate the change.
            client.fetch_if_watched(&key);
        });
    }

    fn notify(&self, key: &QueryKey) {
        let watchers: Vec<Callback<()>> = self
            .cache
            .borrow()
            .entries
            .get(key)
            .map(|e| e.watchers.values().cloned().collect())
            .unwrap_or_default();
        watchers.iter().for_each(|w| w.emit(()));
    }

    fn read<T: 'static>(&self, key: &QueryKey) -> QueryState<T> {
        let cache = self.cache.borrow();
        let entry = cache.entries.get(key);
        QueryState {
            data: entry.and_then(|e| e.data.clone()).and_then(|d| d.downcast::<T>().ok()),
            error: entry.and_then(|e| e.error.clone()),
            is_fetching: entry.is_some_and(|e| e.fetching),
        }
    }
}

/// What [`use_query`] returns.
#[derive(Debug)]
pub struct QueryState<T> {
    /// The last data fetched for the key, kept while it is fetched again.
    pub data: Option<Rc<T>>,
    /// The last fetch's error, cleared by the next success.
    pub error: Option<String>,
    /// A fetch is running.
    pub is_fetching: bool,
}

impl<T> Clone for QueryState<T> {
    fn clone(&self) -> Self {
        Self {
            data: self.data.clone(),
            error: self.error.clone(),
            is_fetching: self.is_fetching,
        }
    }
}

/// The properties of [`QueryClientProvider`].
#[derive(Properties, PartialEq)]
pub struct QueryClientProviderProps {
    /// The cache to provide; a new one when `None`.
    #[prop_or_default]
    pub client: Option<QueryClient>,
    /// The app.
    #[prop_or_default]
    pub children: Html,
}

/// Provides a [`QueryClient`] to its children (TanStack's
/// `QueryClientProvider`).
#[component]
pub fn QueryClientProvider(props: &QueryClientProviderProps) -> Html {
    let client = use_state(|| props.client.clone().unwrap_or_default());
    html! {
        <ContextProvider<QueryClient> context={(*client).clone()}>{ props.children.clone() }</ContextProvider<QueryClient>>
    }
}

/// The provided [`QueryClient`], if a [`QueryClientProvider`] is above.
#[hook]
pub fn use_query_client() -> Option<QueryClient> {
    use_context::<QueryClient>()
}

/// The cached data of `key`, fetched with `fetch` when it has none or was
/// invalidated (TanStack's `useQuery({ queryKey, queryFn })`). Components on
/// one key share its entry and one fetch at a time; the fetcher is the one
/// of the last render, so it may capture new state. Re-renders when the
/// entry changes. Without a [`QueryClientProvider`] it fetches nothing and
/// stays empty.
#[hook]
pub fn use_query<T, E, F, Fut>(key: QueryKey, fetch: F) -> QueryState<T>
where
    T: 'static,
    E: std::fmt::Display + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, E>> + 'static,
{
    let client = use_query_client();
    let update = use_force_update();
    let fetch: Fetch = Rc::new(move || {
        let future = fetch();
        Box::pin(async move { future.await.map(|data| Rc::new(data) as Data).map_err(|e| e.to_string()) })
    });
    let latest = use_mut_ref(|| fetch.clone());
    *latest.borrow_mut() = fetch;
    {
        let client = client.clone();
        use_effect_with(key.clone(), move |key| {
            let key = key.clone();
            let watched = client.map(|client| {
                let fetch: Fetch = Rc::new(move || (latest.borrow().clone())());
                let id = client.watch(&key, fetch, Callback::from(move |_| update.force_update()));
                client.fetch_if_watched(&key);
                (client, id)
            });
            move || {
                if let Some((client, id)) = watched {
                    client.unwatch(&key, id);
                }
            }
        });
    }
    match client {
        Some(client) => client.read(&key),
        None => QueryState {
            data: None,
            error: None,
            is_fetching: false,
        },
    }
}
