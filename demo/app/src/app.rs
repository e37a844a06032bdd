//! The app shell: providers, the global subscriber, the layout and routes.

use echo_leptos::{provide_echo, provide_realtime_queries, use_realtime_global_subscriber};
use leptos::prelude::*;
use std::time::Duration;

use leptos_fetch::{QueryClient, QueryOptions};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::ConnectionBadge;
use crate::pages::{AdminBookingPage, AdminDashboard, AdminLogin, Booking, Contact, Home, Receipt};
use crate::{config, realtime};

#[component]
pub fn App() -> impl IntoView {
    let options = config::echo_options();
    let realtime_enabled = options.is_some();
    // With realtime, events (and resubscriptions) say when data changed; without
    // it, every page refetches what it shows when it is opened.
    let query_options = if realtime_enabled {
        QueryOptions::new()
    } else {
        QueryOptions::new().with_stale_time(Duration::ZERO)
    };
    let client = QueryClient::new().with_options(query_options).provide();
    realtime::register_queries(provide_realtime_queries(client));
    realtime::set_current_echo(provide_echo(options));
    use_realtime_global_subscriber(realtime::global_subscriptions());

    view! {
        <Router>
            <header class="site-header">
                <A href="/" attr:class="brand">"Casa Marcelino"<span>" Resort & Events"</span></A>
                <nav class="site-nav">
                    <A href="/book">"Book"</A>
                    <A href="/contact">"Contact"</A>
                    <A href="/admin">"Admin"</A>
                </nav>
                <ConnectionBadge enabled=realtime_enabled/>
            </header>
            <main>
                <Routes fallback=|| view! { <section class="panel"><h1>"Page not found"</h1><A href="/">"Back to the home page"</A></section> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/book") view=Booking/>
                    <Route path=path!("/booking/:reference") view=Receipt/>
                    <Route path=path!("/contact") view=Contact/>
                    <Route path=path!("/admin/login") view=AdminLogin/>
                    <Route path=path!("/admin") view=AdminDashboard/>
                    <Route path=path!("/admin/bookings/:reference") view=AdminBookingPage/>
                </Routes>
            </main>
            <footer class="site-footer">"Casa Marcelino Resort & Events · Laiya, San Juan, Batangas · +63 43 575 2186"</footer>
        </Router>
    }
}
