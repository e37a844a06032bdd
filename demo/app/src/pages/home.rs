use leptos::prelude::*;
use leptos_fetch::QueryClient;
use leptos_router::components::A;

use super::pesos;
use crate::api;
use crate::components::QueryView;

/// The home page: rooms, venues, gallery and reviews, each kept live by the
/// global subscriber.
#[component]
pub fn Home() -> impl IntoView {
    let client: QueryClient = expect_context();
    let rooms = client.local_resource(api::fetch_rooms, || ());
    let venues = client.local_resource(api::fetch_venues, || ());
    let gallery = client.local_resource(api::fetch_gallery, || ());
    let reviews = client.local_resource(api::fetch_reviews, || ());
    view! {
        <section class="hero">
            <h1>"Stay by the sea in Laiya, Batangas"</h1>
            <p>"Garden villas, a treetop cabin and four event venues on a white-sand cove, three hours south of Manila."</p>
            <A href="/book" attr:class="button">"Check availability"</A>
        </section>
        <section class="rooms">
            <h2>"Rooms"</h2>
            <QueryView resource=rooms loading="Loading rooms…" view={|rooms: Vec<api::Room>| view! {
                <ul class="card-grid" data-testid="rooms">
                    {rooms.into_iter().map(|room| view! {
                        <li class="card room-card" data-room-id=room.id>
                            <h3 class="room-name">{room.name}</h3>
                            <p>{room.description}</p>
                            <p class="room-meta">{format!("Sleeps {} · {} per night", room.capacity, pesos(room.price_per_night))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }}/>
        </section>
        <section class="venues">
            <h2>"Event venues"</h2>
            <QueryView resource=venues loading="Loading venues…" view={|venues: Vec<api::Venue>| view! {
                <ul class="card-grid" data-testid="venues">
                    {venues.into_iter().map(|venue| view! {
                        <li class="card venue-card" data-venue-id=venue.id>
                            <h3 class="venue-name">{venue.name}</h3>
                            <p>{venue.description}</p>
                            <p class="room-meta">{format!("Up to {} guests · {} per event", venue.capacity, pesos(venue.price_per_event))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }}/>
        </section>
        <section class="gallery">
            <h2>"Gallery"</h2>
            <QueryView resource=gallery loading="Loading the gallery…" view={|items: Vec<api::GalleryItem>| view! {
                <ul class="gallery-grid" data-testid="gallery">
                    {items.into_iter().map(|item| {
                        let color = if item.color.starts_with('#') && item.color.len() <= 9 { item.color.clone() } else { "#1b6f7a".into() };
                        view! {
                            <li class="tile" data-gallery-id=item.id style=format!("background:{color}")>
                                <strong>{item.title}</strong>
                                <span>{item.caption}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }}/>
        </section>
        <section class="reviews">
            <h2>"What guests say"</h2>
            <QueryView resource=reviews loading="Loading reviews…" view={|reviews: Vec<api::Review>| view! {
                <ul class="review-list" data-testid="reviews">
                    {reviews.into_iter().map(|review| view! {
                        <li class="card review" data-review-id=review.id>
                            <p class="stars" aria-label=format!("{} out of 5", review.rating)>
                                {"★".repeat(review.rating.clamp(0, 5) as usize)}{"☆".repeat((5 - review.rating.clamp(0, 5)) as usize)}
                            </p>
                            <blockquote>{review.body}</blockquote>
                            <p class="muted">{format!("— {}", review.guest_name)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }}/>
        </section>
    }
}
