//! Channel names, event names and query keys in one place, the models whose
//! own channels the app listens on, and the global subscriber's table.

use std::cell::Cell;

use echo_leptos::{EchoContext, RealtimeQueries};
use leptos_fetch::QueryScopeLocal;

use crate::api;

pub use echo_demo_shared::names::{channels, events, global_subscriptions, keys, models, path};

/// Registers every query scope under its key path.
pub fn register_queries(queries: RealtimeQueries) {
    queries.register(QueryScopeLocal::new(api::fetch_rooms), |_: &()| path(&["rooms", "home"]));
    queries.register(
        QueryScopeLocal::new(api::fetch_available_rooms),
        |(check_in, check_out): &(String, String)| vec!["rooms".into(), check_in.clone(), check_out.clone()],
    );
    queries.register(QueryScopeLocal::new(api::fetch_venues), |_: &()| path(keys::VENUES_ALL));
    queries.register(QueryScopeLocal::new(api::fetch_available_venues), |day: &String| {
        vec!["venues".into(), day.clone()]
    });
    queries.register(QueryScopeLocal::new(api::fetch_gallery), |_: &()| path(keys::GALLERY_ALL));
    queries.register(QueryScopeLocal::new(api::fetch_reviews), |_: &()| path(keys::REVIEWS_ALL));
    queries.register(QueryScopeLocal::new(api::fetch_blocked_dates), |_: &()| {
        path(keys::BLOCKED_DATES_ALL)
    });
    queries.register(QueryScopeLocal::new(api::fetch_receipt), |reference: &String| {
        keys::booking(reference)
    });
    queries.register(QueryScopeLocal::new(api::fetch_admin_bookings), |_: &()| path(keys::ADMIN_BOOKINGS));
    queries.register(QueryScopeLocal::new(api::fetch_admin_reviews), |_: &()| path(&["admin", "reviews"]));
    queries.register(QueryScopeLocal::new(api::fetch_contact_messages), |_: &()| {
        path(&["admin", "contact-messages"])
    });
}

thread_local! {
    static ECHO: Cell<Option<EchoContext>> = const { Cell::new(None) };
}

/// Remembers the app's echo context for code outside components (API calls).
pub fn set_current_echo(context: EchoContext) {
    ECHO.with(|e| e.set(Some(context)));
}

/// The echo client if realtime is on and it was built.
pub fn current_echo() -> Option<echo_rs::Echo> {
    ECHO.with(Cell::get)?.client()
}
