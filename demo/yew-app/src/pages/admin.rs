//! Staff sign-in and the dashboard: live notifications on the private
//! channel `private-admin.dashboard`, authorized through
//! `/broadcasting/auth` with the bearer token the sign-in stored.

use std::rc::Rc;

use echo_yew::{use_disconnect_echo, use_query, use_query_client, use_realtime_channel_with_options, UseRealtimeEventOptions};
use serde_json::{json, Value};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError, Login};
use crate::app::Route;
use crate::realtime::{channels, events, keys};

/// Staff sign-in (`POST /api/login`). After it the cached queries are
/// dropped (they were read as someone else) and the realtime client is
/// replaced (`use_disconnect_echo`, the seed's `disconnectEcho`), so the
/// next private subscription is authorized with the new token.
#[component]
pub fn AdminLogin() -> Html {
    let email = use_node_ref();
    let password = use_node_ref();
    let error = use_state(|| None::<ApiError>);
    let pending = use_state(|| false);
    let disconnect = use_disconnect_echo();
    let queries = use_query_client();
    let navigator = use_navigator();
    let onsubmit = {
        let (email, password, error, pending) = (email.clone(), password.clone(), error.clone(), pending.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |node: &NodeRef| node.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let body = json!({ "email": value(&email), "password": value(&password) });
            let (error, pending, disconnect, queries, navigator) = (
                error.clone(),
                pending.clone(),
                disconnect.clone(),
                queries.clone(),
                navigator.clone(),
            );
            pending.set(true);
            yew::platform::spawn_local(async move {
                match api::post_json::<Login>("/api/login", &body).await {
                    Ok(login) => {
                        api::store_token(Some(&login.token));
                        if let Some(queries) = &queries {
                            queries.clear();
                        }
                        disconnect.emit(());
                        if let Some(navigator) = &navigator {
                            navigator.push(&Route::Admin);
                        }
                    }
                    Err(e) => {
                        pending.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    html! {
        <section class="panel narrow">
            <h1>{ "Staff sign-in" }</h1>
            <form class="form" {onsubmit}>
                <label>{ "Email" }<input ref={email} name="email" type="email" autocomplete="username" required=true /></label>
                <label>{ "Password" }<input ref={password} name="password" type="password" autocomplete="current-password" required=true /></label>
                if let Some(e) = &*error {
                    <p class="error">{ &e.message }</p>
                }
                <button type="submit" disabled={*pending}>{ "Sign in" }</button>
            </form>
        </section>
    }
}

/// Signs out: revokes the token, forgets it and what was read with it, and
/// drops the realtime client that was authorized with it.
#[hook]
fn use_sign_out(signed_in: UseStateHandle<bool>) -> Callback<MouseEvent> {
    let disconnect = use_disconnect_echo();
    let queries = use_query_client();
    Callback::from(move |_| {
        let (signed_in, disconnect, queries) = (signed_in.clone(), disconnect.clone(), queries.clone());
        yew::platform::spawn_local(async move {
            let _ = api::post_json::<Value>("/api/logout", &json!({})).await;
            api::store_token(None);
            if let Some(queries) = &queries {
                queries.clear();
            }
            disconnect.emit(());
            signed_in.set(false);
        });
    })
}

/// `/admin`: the sign-in prompt, a refusal for accounts that are not staff
/// (the role from `GET /api/me`), or the dashboard. Only staff ever reach
/// the dashboard, so only staff subscribe its private channel.
#[component]
pub fn AdminDashboard() -> Html {
    let signed_in = use_state(|| api::token().is_some());
    if !*signed_in {
        return html! {
            <section class="panel narrow">
                <h1>{ "Admin" }</h1>
                <p>{ "Sign in with a staff account to see the dashboard." }</p>
                <Link<Route> to={Route::AdminLogin} classes="button">{ "Sign in" }</Link<Route>>
            </section>
        };
    }
    html! { <StaffOnly {signed_in} /> }
}

#[derive(Properties, PartialEq)]
struct SignedInProps {
    signed_in: UseStateHandle<bool>,
}

#[component]
fn StaffOnly(props: &SignedInProps) -> Html {
    let me = use_query(keys::me(), api::fetch_me);
    let sign_out = use_sign_out(props.signed_in.clone());
    match (&me.data, &me.error) {
        (Some(user), _) if user.is_staff() => html! { <Dashboard user={(**user).clone()} signed_in={props.signed_in.clone()} /> },
        (Some(user), _) => html! {
            <section class="panel narrow" data-testid="not-staff">
                <h1>{ "Staff only" }</h1>
                <p>{ format!("You are signed in as {}, a guest account. The dashboard is for resort staff.", user.name) }</p>
                <button type="button" onclick={sign_out}>{ "Sign out" }</button>
            </section>
        },
        (None, Some(error)) => html! {
            <section class="panel narrow">
                <h1>{ "Admin" }</h1>
                <p class="error">{ error.clone() }</p>
                <Link<Route> to={Route::AdminLogin} classes="button">{ "Sign in again" }</Link<Route>>
            </section>
        },
        (None, None) => html! { <section class="panel"><p class="muted">{ "Loading your account…" }</p></section> },
    }
}

/// One live notification as shown on the dashboard.
#[derive(Clone, Debug, PartialEq)]
struct Notice {
    id: usize,
    text: String,
}

/// The dashboard's notices, newest first (a reducer: two events in one tick
/// both land).
#[derive(Default, PartialEq)]
struct Notices(Vec<Notice>);

impl Reducible for Notices {
    type Action = String;
    fn reduce(self: Rc<Self>, text: String) -> Rc<Self> {
        let mut list = self.0.clone();
        list.insert(0, Notice { id: list.len() + 1, text });
        Rc::new(Notices(list))
    }
}

use echo_demo_shared::names::describe_dashboard_event as describe;

#[derive(Properties, PartialEq)]
struct DashboardProps {
    user: api::User,
    signed_in: UseStateHandle<bool>,
}

#[component]
fn Dashboard(props: &DashboardProps) -> Html {
    let notices = use_reducer(Notices::default);
    let live = {
        let notices = notices.dispatcher();
        use_realtime_channel_with_options(
            channels::ADMIN_DASHBOARD,
            vec![events::ADMIN_DASHBOARD_NOTIFICATION.into(), events::CONTACT_FORM_SUBMITTED.into()],
            move |event, data| notices.dispatch(describe(event, data)),
            UseRealtimeEventOptions {
                private: true,
                ..Default::default()
            },
        )
    };
    let sign_out = use_sign_out(props.signed_in.clone());
    html! {
        <section class="panel">
            <div class="panel-head">
                <h1>{ "Dashboard" }</h1>
                <div>
                    <span class="muted">{ format!("{} · {}", props.user.name, props.user.role) }</span>
                    <button type="button" class="ghost" onclick={sign_out}>{ "Sign out" }</button>
                </div>
            </div>
            <h2>
                { "Live notifications " }
                <span class={if live.subscribed { "badge badge-connected" } else { "badge" }} data-testid="admin-live">
                    { if live.subscribed { "listening" } else { "not listening" } }
                </span>
            </h2>
            if let Some(error) = &live.error {
                <p class="error">{
                    if error.needs_sign_in() {
                        "Your session has ended: sign in again for live notifications."
                    } else {
                        "Live notifications are unavailable for this account right now."
                    }
                }</p>
            }
            <ul class="notices" data-testid="notifications">
                { for notices.0.iter().map(|n| html! { <li key={n.id}>{ &n.text }</li> }) }
                if notices.0.is_empty() {
                    <li class="muted">{ "New bookings and messages appear here as they arrive." }</li>
                }
            </ul>
        </section>
    }
}
