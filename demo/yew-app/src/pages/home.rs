use echo_yew::use_query;
use yew::prelude::*;

use crate::api::{self, pesos};
use crate::components::query_view;
use crate::realtime::keys;

/// The home page: rooms, venues, gallery and reviews, each kept live by the
/// global subscriber (`realtime::global_subscriptions`).
#[component]
pub fn Home() -> Html {
    let rooms = use_query(keys::home_rooms(), api::fetch_rooms);
    let venues = use_query(keys::path(keys::VENUES_ALL), api::fetch_venues);
    let gallery = use_query(keys::path(keys::GALLERY_ALL), api::fetch_gallery);
    let reviews = use_query(keys::path(keys::REVIEWS_ALL), api::fetch_reviews);
    html! {
        <>
            <section class="hero">
                <h1>{ "Stay by the sea in Laiya, Batangas" }</h1>
                <p>{ "Garden villas, a treetop cabin and four event venues on a white-sand cove, three hours south of Manila." }</p>
            </section>
            <section class="rooms">
                <h2>{ "Rooms" }</h2>
                { query_view(&rooms, "Loading rooms…", |rooms: &Vec<api::Room>| html! {
                    <ul class="card-grid" data-testid="rooms">
                        { for rooms.iter().map(|room| html! {
                            <li key={room.id} class="card room-card" data-room-id={room.id.to_string()}>
                                <h3 class="room-name">{ &room.name }</h3>
                                <p>{ &room.description }</p>
                                <p class="room-meta">{ format!("Sleeps {} · {} per night", room.capacity, pesos(room.price_per_night)) }</p>
                            </li>
                        }) }
                    </ul>
                }) }
            </section>
            <section class="venues">
                <h2>{ "Event venues" }</h2>
                { query_view(&venues, "Loading venues…", |venues: &Vec<api::Venue>| html! {
                    <ul class="card-grid" data-testid="venues">
                        { for venues.iter().map(|venue| html! {
                            <li key={venue.id} class="card venue-card" data-venue-id={venue.id.to_string()}>
                                <h3 class="venue-name">{ &venue.name }</h3>
                                <p>{ &venue.description }</p>
                                <p class="room-meta">{ format!("Up to {} guests · {} per event", venue.capacity, pesos(venue.price_per_event)) }</p>
                            </li>
                        }) }
                    </ul>
                }) }
            </section>
            <section class="gallery">
                <h2>{ "Gallery" }</h2>
                { query_view(&gallery, "Loading the gallery…", |items: &Vec<api::GalleryItem>| html! {
                    <ul class="gallery-grid" data-testid="gallery">
                        { for items.iter().map(|item| {
                            // Only a colour literal goes into the style attribute.
                            let color = if item.color.starts_with('#') && item.color.len() <= 9 && item.color[1..].chars().all(|c| c.is_ascii_hexdigit()) {
                                item.color.clone()
                            } else {
                                "#1b6f7a".into()
                            };
                            html! {
                                <li key={item.id} class="tile" data-gallery-id={item.id.to_string()} style={format!("background:{color}")}>
                                    <strong>{ &item.title }</strong>
                                    <span>{ &item.caption }</span>
                                </li>
                            }
                        }) }
                    </ul>
                }) }
            </section>
            <section class="reviews">
                <h2>{ "What guests say" }</h2>
                { query_view(&reviews, "Loading reviews…", |reviews: &Vec<api::Review>| html! {
                    <ul class="review-list" data-testid="reviews">
                        { for reviews.iter().map(|review| {
                            let stars = review.rating.clamp(0, 5) as usize;
                            html! {
                                <li key={review.id} class="card review" data-review-id={review.id.to_string()}>
                                    <p class="stars" aria-label={format!("{} out of 5", review.rating)}>
                                        { format!("{}{}", "★".repeat(stars), "☆".repeat(5 - stars)) }
                                    </p>
                                    <blockquote>{ &review.body }</blockquote>
                                    <p class="muted">{ format!("— {}", review.guest_name) }</p>
                                </li>
                            }
                        }) }
                    </ul>
                }) }
            </section>
        </>
    }
}
