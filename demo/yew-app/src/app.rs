//! The app shell: providers, the global subscriber, the layout and routes.

use echo_yew::{use_query_client, use_realtime_global_subscriber, EchoProvider, QueryClientProvider};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::ConnectionBadge;
use crate::pages::{AdminDashboard, AdminLogin, Home, Receipt};
use crate::{config, realtime};

/// The pages, by path (the Leptos demo's paths).
#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/booking/:reference")]
    Receipt { reference: String },
    #[at("/admin/login")]
    AdminLogin,
    #[at("/admin")]
    Admin,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Receipt { reference } => html! { <Receipt reference={reference} /> },
        Route::AdminLogin => html! { <AdminLogin /> },
        Route::Admin => html! { <AdminDashboard /> },
        Route::NotFound => html! {
            <section class="panel">
                <h1>{ "Page not found" }</h1>
                <Link<Route> to={Route::Home}>{ "Back to the home page" }</Link<Route>>
            </section>
        },
    }
}

#[component]
pub fn App() -> Html {
    let options = use_memo((), |_| config::echo_options());
    let realtime_enabled = options.is_some();
    html! {
        <QueryClientProvider>
            <EchoProvider options={(*options).clone()}>
                <BrowserRouter>
                    <Shell {realtime_enabled} />
                </BrowserRouter>
            </EchoProvider>
        </QueryClientProvider>
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    realtime_enabled: bool,
}

#[component]
fn Shell(props: &ShellProps) -> Html {
    use_realtime_global_subscriber(realtime::global_subscriptions());
    // With realtime, events (and resubscriptions) say when data changed;
    // without it, every page refetches what it shows when it is opened.
    let queries = use_query_client();
    let path = use_location().map(|l| l.path().to_owned());
    let realtime_enabled = props.realtime_enabled;
    use_effect_with(path, move |_| {
        if let (false, Some(queries)) = (realtime_enabled, queries) {
            queries.invalidate_all();
        }
    });
    html! {
        <>
            <header class="site-header">
                <Link<Route> to={Route::Home} classes="brand">{ "Casa Marcelino" }<span>{ " Resort & Events" }</span></Link<Route>>
                <nav class="site-nav">
                    <Link<Route> to={Route::Admin}>{ "Admin" }</Link<Route>>
                </nav>
                <ConnectionBadge enabled={realtime_enabled} />
            </header>
            <main>
                <Switch<Route> render={switch} />
            </main>
            <footer class="site-footer">{ "Casa Marcelino Resort & Events · Laiya, San Juan, Batangas · +63 43 575 2186 · Yew demo" }</footer>
        </>
    }
}
