//! The admin dashboard: live notifications on the private channel
//! `admin.dashboard`, and the actions that change what guests see; and one
//! booking's page, live through model broadcasting (`booking.rs`).

mod booking;
mod editors;

use echo_leptos::{disconnect_echo, use_realtime_channel_with_options, use_realtime_queries, RealtimeQueries, UseRealtimeChannelOptions};
use leptos::prelude::*;
use leptos_fetch::QueryClient;
use leptos_router::components::A;
use serde_json::{json, Value};

use super::admin_login::store_token;
use crate::api::{self, ApiError};
use crate::components::QueryView;
use crate::realtime::{self, channels, events, keys};
pub use booking::AdminBookingPage;
use editors::{BlockedDatesEditor, GalleryEditor, ReviewsEditor, RoomsEditor, VenuesEditor};

/// One live notification as shown on the dashboard.
#[derive(Debug, Clone, PartialEq)]
struct Notice {
    id: usize,
    text: String,
}

use echo_demo_shared::names::describe_dashboard_event as describe;

/// Runs an admin write and reports its error in `error`; on success the
/// admin-only queries are refreshed (public ones refresh through the
/// broadcast the backend sends).
pub(crate) fn admin_write(
    queries: Option<RealtimeQueries>,
    error: RwSignal<Option<String>>,
    write: impl std::future::Future<Output = Result<(), ApiError>> + 'static,
) {
    admin_write_then(queries, error, write, || {});
}

/// [`admin_write`], running `on_ok` after a successful write (e.g. to clear a
/// form; a failed write keeps what was typed).
pub(crate) fn admin_write_then(
    queries: Option<RealtimeQueries>,
    error: RwSignal<Option<String>>,
    write: impl std::future::Future<Output = Result<(), ApiError>> + 'static,
    on_ok: impl FnOnce() + 'static,
) {
    leptos::task::spawn_local(async move {
        match write.await {
            Ok(()) => {
                error.set(None);
                on_ok();
                if let Some(queries) = queries {
                    queries.invalidate_prefix(&realtime::path(keys::ADMIN_ALL));
                }
            }
            // Every problem the API named, not only its summary.
            Err(e) if !e.errors.is_empty() => {
                error.set(Some(e.errors.into_iter().map(|(_, message)| message).collect::<Vec<_>>().join(" ")));
            }
            Err(e) => error.set(Some(e.message)),
        }
    });
}

/// Asks before something is deleted (`window.confirm`); `false` when the
/// admin cancels or no window answers.
pub(crate) fn confirmed(question: &str) -> bool {
    web_sys::window().is_some_and(|window| window.confirm_with_message(question).unwrap_or(false))
}

/// `/admin`: the dashboard, for staff.
#[component]
pub fn AdminDashboard() -> impl IntoView {
    view! { <StaffGate page=|user, signed_in| view! { <Dashboard user=user signed_in=signed_in/> }.into_any()/> }
}

/// The sign-in prompt, a refusal for accounts that are not staff, or
/// `page` (given the user and whether still signed in). Only staff ever
/// reach a page, so only staff subscribe the admin's private channels.
#[component]
fn StaffGate(page: fn(api::User, RwSignal<bool>) -> AnyView) -> impl IntoView {
    let signed_in = RwSignal::new(api::token().is_some());
    view! {
        <Show when=move || signed_in.get() fallback=|| view! {
            <section class="panel narrow">
                <h1>"Admin"</h1>
                <p>"Sign in with a staff account to manage bookings and content."</p>
                <A href="/admin/login" attr:class="button">"Sign in"</A>
            </section>
        }>
            <StaffOnly signed_in=signed_in page=page/>
        </Show>
    }
}

/// Signs out: revokes the token, forgets it, and drops the realtime client
/// that was authorized with it.
fn sign_out(signed_in: RwSignal<bool>) {
    leptos::task::spawn_local(async move {
        let _ = api::post_json::<Value>("/api/logout", &json!({})).await;
        store_token(None);
        disconnect_echo();
        signed_in.set(false);
    });
}

#[component]
fn StaffOnly(signed_in: RwSignal<bool>, page: fn(api::User, RwSignal<bool>) -> AnyView) -> impl IntoView {
    let client: QueryClient = expect_context();
    let me = client.local_resource(api::fetch_me, || ());
    view! {
        <Suspense fallback=|| view! { <section class="panel"><p class="muted">"Loading your account…"</p></section> }>
            {move || me.get().map(|result| match result {
                Ok(user) if user.role == "admin" || user.role == "staff" => page(user, signed_in),
                Ok(user) => view! {
                    <section class="panel narrow" data-testid="not-staff">
                        <h1>"Staff only"</h1>
                        <p>{format!("You are signed in as {}, a guest account. The dashboard is for resort staff.", user.name)}</p>
                        <button type="button" on:click=move |_| sign_out(signed_in)>"Sign out"</button>
                    </section>
                }.into_any(),
                Err(error) => view! {
                    <section class="panel narrow">
                        <h1>"Admin"</h1>
                        <p class="error">{error.message}</p>
                        <A href="/admin/login" attr:class="button">"Sign in again"</A>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(user: api::User, signed_in: RwSignal<bool>) -> impl IntoView {
    let notices = RwSignal::new(Vec::<Notice>::new());
    let queries = use_realtime_queries();
    let live = use_realtime_channel_with_options(
        channels::ADMIN_DASHBOARD,
        vec![events::ADMIN_DASHBOARD_NOTIFICATION.into(), events::CONTACT_FORM_SUBMITTED.into()],
        move |event, data| {
            let text = describe(event, data);
            notices.update(|list| {
                let id = list.len() + 1;
                list.insert(0, Notice { id, text });
            });
            if let Some(queries) = queries {
                queries.invalidate_prefix(&realtime::path(keys::ADMIN_ALL));
            }
        },
        UseRealtimeChannelOptions {
            private: true,
            ..Default::default()
        },
    );
    // Events sent while the connection was lost are never replayed: what
    // they would have refreshed is fetched again.
    Effect::new(move |_| {
        if live.subscription.get().is_some_and(|s| s.is_resubscription()) {
            if let Some(queries) = queries {
                queries.invalidate_prefix(&realtime::path(keys::ADMIN_ALL));
            }
        }
    });
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"Dashboard"</h1>
                <div>
                    <span class="muted">{format!("{} · {}", user.name, user.role)}</span>
                    <button type="button" class="ghost" on:click=move |_| sign_out(signed_in)>"Sign out"</button>
                </div>
            </div>
            <h2>"Live notifications "
                <span class=move || if live.subscribed.get() { "badge badge-connected" } else { "badge" } data-testid="admin-live">
                    {move || if live.subscribed.get() { "listening" } else { "not listening" }}
                </span>
            </h2>
            {move || live.error.get().map(|e| {
                // The cause, not the message: a lapsed session asks to sign in again.
                let text = if e.needs_sign_in() {
                    "Your session has ended: sign in again for live notifications."
                } else {
                    "Live notifications are unavailable for this account right now."
                };
                view! { <p class="error">{text}</p> }
            })}
            <ul class="notices" data-testid="notifications">
                <For each=move || notices.get() key=|n| n.id let:notice>
                    <li>{notice.text}</li>
                </For>
                <Show when=move || notices.with(Vec::is_empty)><li class="muted">"New bookings and messages appear here as they arrive."</li></Show>
            </ul>
        </section>
        <Bookings/>
        <BlockedDatesEditor/>
        <RoomsEditor/>
        <VenuesEditor/>
        <GalleryEditor/>
        <ReviewsEditor/>
        <ContactMessages/>
    }
}

#[component]
fn Bookings() -> impl IntoView {
    let client: QueryClient = expect_context();
    let bookings = client.local_resource(api::fetch_admin_bookings, || ());
    let error = RwSignal::new(None::<String>);
    let queries = use_realtime_queries();
    view! {
        <section class="panel">
            <h2>"Bookings"</h2>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            <QueryView resource=bookings loading="Loading bookings…" view={move |list: Vec<api::AdminBooking>| view! {
                <table class="table" data-testid="admin-bookings">
                    <thead><tr><th>"Reference"</th><th>"Guest"</th><th>"Where"</th><th>"When"</th><th>"Status"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|b| {
                            let reference = b.reference.clone();
                            let href = format!("/admin/bookings/{}", b.reference);
                            let shown = b.reference.clone();
                            let status = b.status.clone();
                            view! {
                                <tr data-reference=b.reference.clone()>
                                    <td><A href=href>{shown}</A></td>
                                    <td>{b.guest_name.clone()}<br/><span class="muted">{b.guest_email.clone()}</span></td>
                                    <td>{b.room.as_ref().or(b.venue.as_ref()).map(|n| n.name.clone()).unwrap_or_default()}</td>
                                    <td>{match &b.check_out { Some(out) => format!("{} → {}", b.check_in, out), None => b.check_in.clone() }}</td>
                                    <td>
                                        <select aria-label="Status" on:change=move |ev| {
                                            let status = event_target_value(&ev);
                                            let reference = reference.clone();
                                            admin_write(queries, error, async move {
                                                api::patch_json::<Value>(&format!("/api/admin/bookings/{reference}"), &json!({ "status": status })).await.map(|_| ())
                                            });
                                        }>
                                            {[("pending", "Pending"), ("confirmed", "Confirmed"), ("cancelled", "Cancelled"), ("completed", "Completed")].map(|(s, label)| view! { <option value=s selected=status == s>{label}</option> })}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }}/>
        </section>
    }
}

#[component]
fn ContactMessages() -> impl IntoView {
    let client: QueryClient = expect_context();
    let messages = client.local_resource(api::fetch_contact_messages, || ());
    view! {
        <section class="panel">
            <h2>"Contact messages"</h2>
            <QueryView resource=messages loading="Loading messages…" view={|list: Vec<api::ContactMessage>| view! {
                <ul class="messages" data-testid="contact-messages">
                    {list.into_iter().map(|m| view! {
                        <li class="card">
                            <strong>{m.subject}</strong>" "<span class="muted">{format!("{} <{}> · {}", m.name, m.email, crate::config::resort_time(&m.created_at))}</span>
                            <p>{m.message}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }}/>
        </section>
    }
}
