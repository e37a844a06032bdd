use echo_leptos::{use_realtime_event, use_realtime_queries};
use leptos::prelude::*;
use leptos_fetch::QueryClient;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::QueryView;
use crate::realtime::{channels, events, keys};

/// The receipt at `/booking/{reference}`; its status changes live through
/// `BookingStatusUpdated` on the public channel `booking.{reference}`.
#[component]
pub fn Receipt() -> impl IntoView {
    let params = use_params_map();
    let reference = Memo::new(move |_| params.read().get("reference").unwrap_or_default());
    let client: QueryClient = expect_context();
    let receipt = client.local_resource(api::fetch_receipt, move || reference.get());
    let queries = use_realtime_queries();
    use_realtime_event(
        Signal::derive(move || channels::booking(&reference.get())),
        events::BOOKING_STATUS_UPDATED,
        move |_| {
            if let Some(queries) = queries {
                queries.invalidate_prefix(&keys::booking(&reference.get_untracked()));
            }
        },
    );
    view! {
        <section class="panel receipt">
            <h1>"Your booking"</h1>
            <QueryView resource=receipt loading="Loading your booking…" view={|r: api::Receipt| {
                let place = r.place();
                let dates = match &r.check_out {
                    Some(out) => format!("{} → {}", r.check_in, out),
                    None => r.check_in.clone(),
                };
                view! {
                    <dl class="facts">
                        <dt>"Reference"</dt><dd data-testid="reference">{r.reference.clone()}</dd>
                        <dt>"Status"</dt><dd><span class=format!("status status-{}", r.status) data-testid="booking-status">{r.status.clone()}</span></dd>
                        <dt>"Guest"</dt><dd>{r.guest_name.clone()}</dd>
                        <dt>"Where"</dt><dd>{place}</dd>
                        <dt>"When"</dt><dd>{dates}</dd>
                        {r.total_price.map(|total| view! { <dt>"Total"</dt><dd>{crate::pages::pesos(total)}</dd> })}
                    </dl>
                    <p class="muted">"Keep this page open: the status updates by itself when the resort confirms your booking."</p>
                }
            }}/>
        </section>
    }
}
