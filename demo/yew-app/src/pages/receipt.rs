use echo_yew::{use_query, use_query_client, use_realtime_event};
use yew::prelude::*;

use crate::api::{self, pesos};
use crate::components::query_view;
use crate::realtime::{channels, events, keys};

/// The properties of [`Receipt`].
#[derive(Properties, PartialEq)]
pub struct ReceiptProps {
    /// The booking's reference, from the path.
    pub reference: AttrValue,
}

/// The receipt at `/booking/{reference}`; its status changes live through
/// `.BookingStatusUpdated` on the public channel `booking.{reference}`.
#[component]
pub fn Receipt(props: &ReceiptProps) -> Html {
    let reference = props.reference.to_string();
    let receipt = {
        let reference = reference.clone();
        use_query(keys::booking(&reference.clone()), move || api::fetch_receipt(reference.clone()))
    };
    let queries = use_query_client();
    {
        let reference = reference.clone();
        use_realtime_event(&channels::booking(&reference.clone()), events::BOOKING_STATUS_UPDATED, move |_| {
            if let Some(queries) = &queries {
                queries.invalidate_prefix(&keys::booking(&reference));
            }
        });
    }
    html! {
        <section class="panel receipt">
            <h1>{ "Your booking" }</h1>
            { query_view(&receipt, "Loading your booking…", |r: &api::Receipt| {
                let dates = match &r.check_out {
                    Some(out) => format!("{} → {}", r.check_in, out),
                    None => r.check_in.clone(),
                };
                html! {
                    <>
                        <dl class="facts">
                            <dt>{ "Reference" }</dt><dd data-testid="reference">{ &r.reference }</dd>
                            <dt>{ "Status" }</dt>
                            <dd><span class={format!("status status-{}", r.status)} data-testid="booking-status">{ &r.status }</span></dd>
                            <dt>{ "Guest" }</dt><dd>{ &r.guest_name }</dd>
                            <dt>{ "Where" }</dt><dd>{ r.place() }</dd>
                            <dt>{ "When" }</dt><dd>{ dates }</dd>
                            if let Some(total) = r.total_price {
                                <dt>{ "Total" }</dt><dd>{ pesos(total) }</dd>
                            }
                        </dl>
                        <p class="muted">{ "Keep this page open: the status updates by itself when the resort confirms your booking." }</p>
                    </>
                }
            }) }
        </section>
    }
}
