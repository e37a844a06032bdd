//! Admin editors for what guests see: blocked dates, rooms, venues, gallery
//! and reviews. Each write makes the backend broadcast, and every open page
//! refreshes through the global subscriber.

use echo_leptos::use_realtime_queries;
use leptos::prelude::*;
use leptos_fetch::QueryClient;
use serde_json::{json, Value};

use super::{admin_write, admin_write_then, confirmed};
use crate::api;
use crate::components::QueryView;
use crate::pages::pesos;

#[component]
pub fn BlockedDatesEditor() -> impl IntoView {
    let client: QueryClient = expect_context();
    let ranges = client.local_resource(api::fetch_blocked_dates, || ());
    let queries = use_realtime_queries();
    let error = RwSignal::new(None::<String>);
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({ "start_date": start.get_untracked(), "end_date": end.get_untracked(), "reason": reason.get_untracked() });
        let clear = move || {
            start.set(String::new());
            end.set(String::new());
            reason.set(String::new());
        };
        admin_write_then(
            queries,
            error,
            async move { api::post_json::<Value>("/api/admin/blocked-dates", &body).await.map(|_| ()) },
            clear,
        );
    };
    view! {
        <section class="panel">
            <h2>"Blocked dates"</h2>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            <QueryView resource=ranges loading="Loading blocked dates…" view={move |list: Vec<api::BlockedRange>| view! {
                <ul class="rows" data-testid="admin-blocked-dates">
                    {list.into_iter().map(|r| {
                        let id = r.id;
                        view! {
                            <li>
                                <span>{format!("{} → {}", r.start_date, r.end_date)}</span>" "<span class="muted">{r.reason}</span>
                                <button type="button" class="ghost" on:click=move |_| {
                                    if confirmed("Unblock these dates? Guests can book them again.") {
                                        admin_write(queries, error, async move { api::delete(&format!("/api/admin/blocked-dates/{id}")).await });
                                    }
                                }>"Unblock"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }}/>
            <form class="form inline" on:submit=add>
                <label>"From"<input type="date" name="start_date" bind:value=start required/></label>
                <label>"To"<input type="date" name="end_date" bind:value=end required/></label>
                <label>"Reason"<input name="reason" bind:value=reason placeholder="e.g. Private event"/></label>
                <button type="submit">"Block dates"</button>
            </form>
        </section>
    }
}

/// One editable row of a priced resource (a room or a venue).
#[derive(Clone)]
struct PricedRow {
    id: i64,
    name: String,
    price: i64,
}

/// What differs between the rooms and the venues editors.
#[derive(Clone, Copy)]
struct PricedKind {
    title: &'static str,
    testid: &'static str,
    /// `/api/admin/{path}/{id}`.
    path: &'static str,
    price_field: &'static str,
    name_label: &'static str,
    price_label: &'static str,
    /// The highest price the API accepts (its `PRICE_PER_*_MAX`).
    price_max: i64,
}

/// The PATCH body for a name and a price as typed, or what is wrong with
/// them: the name must not be blank, the price a whole number of pesos from 1
/// to `max` (an empty price is an error, never 0).
fn priced_changes(kind: PricedKind, name: &str, price: &str) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        problems.push(format!("Enter a {}.", kind.name_label.to_lowercase()));
    }
    let price = match price.trim() {
        "" => {
            problems.push(format!("Enter a {}.", kind.price_label.to_lowercase()));
            None
        }
        text => match text.parse::<i64>() {
            Ok(price) if (1..=kind.price_max).contains(&price) => Some(price),
            Ok(_) => {
                problems.push(format!(
                    "The {} must be between ₱1 and {}.",
                    kind.price_label.to_lowercase(),
                    pesos(kind.price_max)
                ));
                None
            }
            Err(_) => {
                problems.push(format!("The {} must be a whole number of pesos.", kind.price_label.to_lowercase()));
                None
            }
        },
    };
    match price {
        Some(price) if problems.is_empty() => Ok(json!({ "name": name, kind.price_field: price })),
        _ => Err(problems),
    }
}

/// Name and price editors for rooms or venues; each save is a PATCH that
/// makes the backend broadcast, so the guest pages update live.
#[component]
fn PricedEditor<T: Clone + 'static>(
    kind: PricedKind,
    resource: LocalResource<Result<Vec<T>, api::ApiError>>,
    to_row: fn(T) -> PricedRow,
) -> impl IntoView {
    let queries = use_realtime_queries();
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="panel">
            <h2>{kind.title}</h2>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            <QueryView resource=resource loading="Loading…" view={move |list: Vec<T>| view! {
                <ul class="rows" data-testid=kind.testid>
                    {list.into_iter().map(to_row).map(|row| {
                        let id = row.id;
                        let name = RwSignal::new(row.name.clone());
                        let price = RwSignal::new(row.price.to_string());
                        view! {
                            <li>
                                <form class="form inline" novalidate on:submit=move |ev| {
                                    ev.prevent_default();
                                    // Checked here first: nothing is sent until it is valid.
                                    match priced_changes(kind, &name.get_untracked(), &price.get_untracked()) {
                                        Ok(body) => admin_write(queries, error, async move {
                                            api::patch_json::<Value>(&format!("/api/admin/{}/{id}", kind.path), &body).await.map(|_| ())
                                        }),
                                        Err(problems) => error.set(Some(problems.join(" "))),
                                    }
                                }>
                                    <input aria-label=kind.name_label name="name" bind:value=name/>
                                    <input aria-label=kind.price_label name=kind.price_field type="number" min="1" max=kind.price_max bind:value=price/>
                                    <button type="submit">"Save"</button>
                                    <span class="muted">{format!("now {}", pesos(row.price))}</span>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }}/>
        </section>
    }
}

#[component]
pub fn RoomsEditor() -> impl IntoView {
    let kind = PricedKind {
        title: "Rooms",
        testid: "admin-rooms",
        path: "rooms",
        price_field: "price_per_night",
        name_label: "Room name",
        price_label: "Price per night",
        price_max: 1_000_000,
    };
    let client: QueryClient = expect_context();
    let rooms = client.local_resource(api::fetch_rooms, || ());
    let to_row = |r: api::Room| PricedRow {
        id: r.id,
        name: r.name,
        price: r.price_per_night,
    };
    view! { <PricedEditor kind=kind resource=rooms to_row=to_row/> }
}

#[component]
pub fn VenuesEditor() -> impl IntoView {
    let kind = PricedKind {
        title: "Venues",
        testid: "admin-venues",
        path: "venues",
        price_field: "price_per_event",
        name_label: "Venue name",
        price_label: "Price per event",
        price_max: 10_000_000,
    };
    let client: QueryClient = expect_context();
    let venues = client.local_resource(api::fetch_venues, || ());
    let to_row = |v: api::Venue| PricedRow {
        id: v.id,
        name: v.name,
        price: v.price_per_event,
    };
    view! { <PricedEditor kind=kind resource=venues to_row=to_row/> }
}

#[component]
pub fn GalleryEditor() -> impl IntoView {
    let client: QueryClient = expect_context();
    let items = client.local_resource(api::fetch_gallery, || ());
    let queries = use_realtime_queries();
    let error = RwSignal::new(None::<String>);
    let title = RwSignal::new(String::new());
    let caption = RwSignal::new(String::new());
    let color = RwSignal::new("#1b6f7a".to_owned());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({ "title": title.get_untracked(), "caption": caption.get_untracked(), "color": color.get_untracked() });
        let clear = move || {
            title.set(String::new());
            caption.set(String::new());
        };
        admin_write_then(
            queries,
            error,
            async move { api::post_json::<Value>("/api/admin/gallery", &body).await.map(|_| ()) },
            clear,
        );
    };
    view! {
        <section class="panel">
            <h2>"Gallery"</h2>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            <QueryView resource=items loading="Loading the gallery…" view={move |list: Vec<api::GalleryItem>| view! {
                <ul class="rows" data-testid="admin-gallery">
                    {list.into_iter().map(|item| {
                        let id = item.id;
                        let question = format!("Remove the tile “{}” from the gallery?", item.title);
                        view! {
                            <li>
                                <span>{item.title}</span>" "<span class="muted">{item.caption}</span>
                                <button type="button" class="ghost" on:click={
                                    let question = question.clone();
                                    move |_| {
                                        if confirmed(&question) {
                                            admin_write(queries, error, async move { api::delete(&format!("/api/admin/gallery/{id}")).await });
                                        }
                                    }
                                }>"Remove"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }}/>
            <form class="form inline" on:submit=add>
                <input aria-label="Title" name="title" bind:value=title placeholder="Title" required/>
                <input aria-label="Caption" name="caption" bind:value=caption placeholder="Caption" required/>
                <input aria-label="Colour" name="color" type="color" bind:value=color/>
                <button type="submit">"Add tile"</button>
            </form>
        </section>
    }
}

#[component]
pub fn ReviewsEditor() -> impl IntoView {
    let client: QueryClient = expect_context();
    let reviews = client.local_resource(api::fetch_admin_reviews, || ());
    let queries = use_realtime_queries();
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="panel">
            <h2>"Reviews"</h2>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            <QueryView resource=reviews loading="Loading reviews…" view={move |list: Vec<api::Review>| view! {
                <ul class="rows" data-testid="admin-reviews">
                    {list.into_iter().map(|review| {
                        let id = review.id;
                        let approved = review.approved.unwrap_or(false);
                        view! {
                            <li data-review-id=id>
                                <span>{format!("{} ★ {}", review.rating, review.guest_name)}</span>" "<span class="muted">{review.body}</span>
                                <span class=if approved { "status status-confirmed" } else { "status status-pending" }>{if approved { "shown" } else { "awaiting approval" }}</span>
                                <button type="button" class="ghost" on:click=move |_| admin_write(queries, error, async move {
                                    api::patch_json::<Value>(&format!("/api/admin/reviews/{id}"), &json!({ "approved": !approved })).await.map(|_| ())
                                })>{if approved { "Hide" } else { "Approve" }}</button>
                                <button type="button" class="ghost" on:click=move |_| {
                                    if confirmed("Delete this review for good?") {
                                        admin_write(queries, error, async move { api::delete(&format!("/api/admin/reviews/{id}")).await });
                                    }
                                }>"Delete"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }}/>
        </section>
    }
}
