//! `/admin/bookings/{reference}`: one booking for staff, its status kept
//! live by Laravel model broadcasting (`.BookingUpdated` on
//! `private-App.Models.Booking.{id}`, through `use_echo_model`).

use echo_leptos::{use_echo_context, use_echo_model, use_realtime_queries, ModelEvent, ModelPayload};
use leptos::prelude::*;
use leptos_fetch::QueryClient;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::StaffGate;
use crate::api::{self, AdminBooking};
use crate::config::resort_time;
use crate::realtime::models::{self, BookingModel};
use crate::realtime::{self, keys};

/// The staff page of one booking.
#[component]
pub fn AdminBookingPage() -> impl IntoView {
    view! { <StaffGate page=|_, _| view! { <BookingDetail/> }.into_any()/> }
}

/// Finding the booking in the admin list. It changes only when the outcome
/// does, so a refetch of the list does not remount the live part.
#[derive(Debug, Clone, PartialEq)]
enum Lookup {
    Loading,
    Failed(String),
    Missing,
    Found(i64),
}

#[component]
fn BookingDetail() -> impl IntoView {
    let params = use_params_map();
    let reference = Memo::new(move |_| params.read().get("reference").unwrap_or_default());
    let client: QueryClient = expect_context();
    // The admin list has the booking's id (its model channel's key); it is
    // usually cached already from the dashboard.
    let bookings = client.local_resource(api::fetch_admin_bookings, || ());
    let booking = Memo::new(move |_| {
        let reference = reference.get();
        bookings
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|b| b.reference == reference))
    });
    let lookup = Memo::new(move |_| match bookings.get() {
        None => Lookup::Loading,
        Some(Err(error)) => Lookup::Failed(error.message),
        Some(Ok(_)) => booking.with(|b| b.as_ref().map_or(Lookup::Missing, |b| Lookup::Found(b.id))),
    });
    view! {
        <section class="panel" data-testid="booking-detail">
            <div class="panel-head">
                <h1>"Booking " <span class="nowrap">{move || reference.get()}</span></h1>
                <A href="/admin">"← All bookings"</A>
            </div>
            {move || match lookup.get() {
                Lookup::Loading => view! { <p class="muted">"Loading the booking…"</p> }.into_any(),
                Lookup::Failed(message) => view! { <p class="error">{message}</p> }.into_any(),
                Lookup::Missing => view! { <p class="error">"No booking has this reference."</p> }.into_any(),
                Lookup::Found(id) => view! { <LiveBooking id=id booking=booking/> }.into_any(),
            }}
        </section>
    }
}

/// The last model event heard for the booking.
#[derive(Debug, Clone, PartialEq)]
struct LiveUpdate {
    event: ModelEvent,
    model: BookingModel,
}

/// The booking's facts, its status as the newest of the list and the model
/// events say, and the state of its model channel.
#[component]
fn LiveBooking(id: i64, booking: Memo<Option<AdminBooking>>) -> impl IntoView {
    let realtime_on = use_echo_context().is_some_and(|echo| echo.is_configured());
    let queries = use_realtime_queries();
    // The dashboard's list shows the status too.
    let refresh = move || {
        if let Some(queries) = queries {
            queries.invalidate_prefix(&realtime::path(keys::ADMIN_BOOKINGS));
        }
    };
    let last = RwSignal::new(None::<LiveUpdate>);
    let live = use_echo_model(
        models::BOOKING,
        id.to_string(),
        models::BOOKING_PAGE_EVENTS,
        move |event, payload: ModelPayload<BookingModel>| {
            last.set(Some(LiveUpdate {
                event,
                model: payload.model,
            }));
            refresh();
        },
    );
    // Events sent while the connection was lost are never replayed.
    Effect::new(move |_| {
        if live.subscription.get().is_some_and(|s| s.is_resubscription()) {
            refresh();
        }
    });
    // The event's status while it is newer than the list's (each event
    // refetches the list, which then catches up); else the list's, which
    // also has what this page did not hear (paused, or sent while
    // reconnecting). Times are to the second: a tie goes to the list.
    let status = move || {
        let listed = booking.with(|b| b.as_ref().map(|b| (b.updated_at.clone(), b.status.clone())));
        let heard = last.with(|l| l.as_ref().map(|l| (l.model.updated_at.clone(), l.model.status.clone())));
        match (listed, heard) {
            (Some(listed), Some(heard)) if heard.0 > listed.0 => heard.1,
            (Some(listed), _) => listed.1,
            (None, heard) => heard.map(|h| h.1).unwrap_or_default(),
        }
    };
    let refused = move || live.error.with(|e| e.as_ref().is_some_and(|e| e.is_subscription_failure()));
    let indicator = move || match (realtime_on, refused(), live.listening.get(), live.subscribed.get()) {
        (false, ..) => ("badge", "Live updates off"),
        (_, true, ..) => ("badge badge-offline", "Unavailable"),
        (_, false, false, _) => ("badge", "Paused"),
        (_, false, true, true) => ("badge badge-connected", "Live"),
        (_, false, true, false) => ("badge badge-connecting", "Connecting…"),
    };
    let pause_or_resume = move |_| {
        if live.listening.get_untracked() {
            live.stop_listening();
        } else {
            live.listen();
            refresh(); // catch up on what changed while paused
        }
    };
    view! {
        <dl class="facts">
            <dt>"Status"</dt>
            <dd><span class=move || format!("status status-{}", status()) data-testid="detail-status">{status}</span></dd>
            {move || booking.get().map(|b| view! {
                <dt>"Guest"</dt>
                <dd>{b.guest_name}<br/><span class="muted">{b.guest_email}</span></dd>
                <dt>"Where"</dt>
                <dd>{b.room.or(b.venue).map(|n| n.name).unwrap_or_default()}</dd>
                <dt>"When"</dt>
                <dd>{match b.check_out { Some(out) => format!("{} → {out}", b.check_in), None => b.check_in }}</dd>
                <dt>"Booked"</dt>
                <dd>{resort_time(&b.created_at)}</dd>
            })}
            <dt>"Live updates"</dt>
            <dd class="live-controls">
                <span class=move || indicator().0 data-testid="model-live" data-subscribed=move || live.subscribed.get().to_string()>
                    {move || indicator().1}
                </span>
                <Show when=move || realtime_on>
                    <button type="button" class="ghost" data-testid="toggle-live" on:click=pause_or_resume>
                        {move || if live.listening.get() { "Pause live updates" } else { "Resume live updates" }}
                    </button>
                </Show>
            </dd>
            <Show when=move || realtime_on>
                <dt>"Last live update"</dt>
                <dd data-testid="last-live-update" data-updated-at=move || last.with(|l| l.as_ref().map(|l| l.model.updated_at.clone()))>
                    {move || match last.get() {
                        Some(LiveUpdate { event, model }) => format!("{event}: {} · {}", model.status, resort_time(&model.updated_at)).into_any(),
                        None => view! { <span class="muted">"None yet: changes show here as they happen."</span> }.into_any(),
                    }}
                </dd>
            </Show>
        </dl>
        {move || live.error.get().map(|e| {
            let text = if e.needs_sign_in() {
                "Your session has ended: sign in again for live updates.".to_owned()
            } else if e.is_forbidden() {
                "This account may not follow this booking live.".to_owned()
            } else if e.is_subscription_failure() {
                format!("Live updates are unavailable right now: {e}")
            } else {
                format!("An update could not be read: {e}")
            };
            view! { <p class="error" data-testid="model-live-error">{text}</p> }
        })}
        <p class="muted">
            {move || booking.get().map(|b| view! { <A href=format!("/booking/{}", b.reference)>"The guest's receipt"</A> })}
        </p>
    }
}
