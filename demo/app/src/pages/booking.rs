use leptos::prelude::*;
use leptos_fetch::QueryClient;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::pesos;
use crate::api::{self, ApiError, CreatedBooking, NewBooking};
use crate::components::{Calendar, QueryView};
use crate::dates::Date;

/// What is being booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Room,
    Venue,
}

/// The booking form: dates on a calendar that greys out blocked dates (live),
/// step 1 a room (only those free for the dates) or a venue, then the
/// guest's details.
#[component]
pub fn Booking() -> impl IntoView {
    let client: QueryClient = expect_context();
    let kind = RwSignal::new(Kind::Room);
    let check_in = RwSignal::new(None::<Date>);
    let check_out = RwSignal::new(None::<Date>);
    let room_id = RwSignal::new(None::<i64>);
    let venue_id = RwSignal::new(None::<i64>);
    let guests = RwSignal::new("2".to_owned());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);

    let blocked = client.local_resource(api::fetch_blocked_dates, || ());
    let blocked_ranges = Signal::derive(move || blocked.get().and_then(Result::ok).unwrap_or_default());
    let stay = move || match (check_in.get(), check_out.get()) {
        (Some(a), Some(b)) => Some((a.to_string(), b.to_string())),
        _ => None,
    };
    let rooms = client.local_resource(api::fetch_rooms, || ());
    let available = client.local_resource(api::fetch_available_rooms, move || stay().unwrap_or_default());
    let venues = client.local_resource(api::fetch_venues, || ());
    let event_day = move || check_in.get().map(|day| day.to_string());
    let free_venues = client.local_resource(api::fetch_available_venues, move || event_day().unwrap_or_default());

    // A change to the form clears the errors of the last attempt.
    Effect::new(move |_| {
        kind.track();
        check_in.track();
        check_out.track();
        room_id.track();
        venue_id.track();
        error.set(None);
    });
    let navigate = use_navigate();
    let submit = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let missing = match kind.get_untracked() {
                _ if check_in.get_untracked().is_none() => Some(("check_in", "Pick your dates on the calendar.")),
                Kind::Room if check_out.get_untracked().is_none() => Some(("check_out", "Pick your check-out day on the calendar.")),
                Kind::Room if room_id.get_untracked().is_none() => Some(("room_id", "Choose a room.")),
                Kind::Venue if venue_id.get_untracked().is_none() => Some(("venue_id", "Choose a venue.")),
                _ => None,
            };
            if let Some((field, message)) = missing {
                error.set(Some(ApiError {
                    status: 0,
                    message: message.to_owned(),
                    errors: vec![(field.to_owned(), message.to_owned())],
                }));
                return;
            }
            let booking = NewBooking {
                room_id: (kind.get_untracked() == Kind::Room).then(|| room_id.get_untracked()).flatten(),
                venue_id: (kind.get_untracked() == Kind::Venue).then(|| venue_id.get_untracked()).flatten(),
                check_in: check_in.get_untracked().map(|d| d.to_string()).unwrap_or_default(),
                check_out: (kind.get_untracked() == Kind::Room)
                    .then(|| check_out.get_untracked().map(|d| d.to_string()))
                    .flatten(),
                guests: guests.get_untracked().trim().parse().unwrap_or(0),
                guest_name: name.get_untracked(),
                guest_email: email.get_untracked(),
                guest_phone: phone.get_untracked(),
            };
            match api::post_json::<CreatedBooking>("/api/bookings", &booking).await {
                Ok(created) => navigate(&format!("/booking/{}", created.reference), NavigateOptions::default()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field(field))
                .map(|m| view! { <span class="field-error">{m}</span> })
        }
    };
    let dates_text = move || match (kind.get(), check_in.get(), check_out.get()) {
        (_, None, _) => "Pick your dates on the calendar.".to_owned(),
        (Kind::Venue, Some(day), _) => format!("Event on {day}"),
        (Kind::Room, Some(a), None) => format!("Check-in {a}: now pick your check-out day."),
        (Kind::Room, Some(a), Some(b)) => format!("{a} → {b}"),
    };

    view! {
        <section class="panel booking">
            <h1>"Book your stay or event"</h1>
            <div class="tabs" role="tablist">
                <button type="button" class:active=move || kind.get() == Kind::Room on:click=move |_| { kind.set(Kind::Room); check_out.set(None); }>"Room stay"</button>
                <button type="button" class:active=move || kind.get() == Kind::Venue on:click=move |_| { kind.set(Kind::Venue); check_out.set(None); }>"Event venue"</button>
            </div>
            <div class="booking-grid">
                <div>
                    <h2>"Dates"</h2>
                    <Calendar blocked=blocked_ranges check_in=check_in check_out=check_out single_day=Signal::derive(move || kind.get() == Kind::Venue)/>
                    <p class="muted" data-testid="dates">{dates_text}</p>
                    {field_error("check_in")}{field_error("check_out")}
                </div>
                <div>
                    <h2>{move || if kind.get() == Kind::Room { "1. Choose a room" } else { "1. Choose a venue" }}</h2>
                    {move || match kind.get() {
                        Kind::Room => {
                            let list = move |rooms: Vec<api::Room>| view! {
                                <ul class="choices" data-testid="room-choices">
                                    {rooms.into_iter().map(|room| {
                                        let id = room.id;
                                        view! {
                                            <li>
                                                <label class="choice">
                                                    <input type="radio" name="room" prop:checked=move || room_id.get() == Some(id) on:change=move |_| room_id.set(Some(id))/>
                                                    <span class="choice-name">{room.name}</span>
                                                    <span class="muted">{format!("sleeps {} · {}/night", room.capacity, pesos(room.price_per_night))}</span>
                                                </label>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            };
                            if stay().is_some() {
                                view! { <QueryView resource=available loading="Checking availability…" view=list/> }.into_any()
                            } else {
                                view! { <QueryView resource=rooms loading="Loading rooms…" view=list/> }.into_any()
                            }
                        }
                        Kind::Venue => {
                            let list = move |venues: Vec<api::Venue>| view! {
                                <ul class="choices" data-testid="venue-choices">
                                    {venues.into_iter().map(|venue| {
                                        let id = venue.id;
                                        view! {
                                            <li>
                                                <label class="choice">
                                                    <input type="radio" name="venue" prop:checked=move || venue_id.get() == Some(id) on:change=move |_| venue_id.set(Some(id))/>
                                                    <span class="choice-name">{venue.name}</span>
                                                    <span class="muted">{format!("up to {} guests · {}", venue.capacity, pesos(venue.price_per_event))}</span>
                                                </label>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            };
                            // Once a day is picked, only the venues free that day.
                            if event_day().is_some() {
                                view! { <QueryView resource=free_venues loading="Checking availability…" view=list/> }.into_any()
                            } else {
                                view! { <QueryView resource=venues loading="Loading venues…" view=list/> }.into_any()
                            }
                        }
                    }}
                    {field_error("room_id")}{field_error("venue_id")}
                    <h2>"2. Your details"</h2>
                    <form class="form" on:submit=move |ev| { ev.prevent_default(); submit.dispatch(()); }>
                        <label>"Full name"<input name="guest_name" bind:value=name required/></label>{field_error("guest_name")}
                        <label>"Email"<input name="guest_email" type="email" bind:value=email required/></label>{field_error("guest_email")}
                        <label>"Phone"<input name="guest_phone" type="tel" bind:value=phone required/></label>{field_error("guest_phone")}
                        <label>"Guests"<input name="guests" type="number" min="1" max="300" bind:value=guests required/></label>{field_error("guests")}
                        // Every problem again right above the button: on a
                        // phone the fields it names are often scrolled away.
                        {move || error.get().map(|e| {
                            let problems = if e.errors.is_empty() {
                                vec![e.message.clone()]
                            } else {
                                e.errors.iter().map(|(_, message)| message.clone()).collect()
                            };
                            view! {
                                <div class="error booking-problems" role="alert" data-testid="booking-error">
                                    <p>"The booking was not sent:"</p>
                                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                                </div>
                            }
                        })}
                        <button type="submit" disabled=move || submit.pending().get()>"Request booking"</button>
                    </form>
                </div>
            </div>
        </section>
    }
}
