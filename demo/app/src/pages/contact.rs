use leptos::prelude::*;
use serde_json::json;

use crate::api::{self, ApiError};

/// The contact form; a message reaches the admin dashboard live.
#[component]
pub fn Contact() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(false);
    let send = Action::new_local(move |_: &()| async move {
        let body = json!({ "name": name.get_untracked(), "email": email.get_untracked(), "subject": subject.get_untracked(), "message": message.get_untracked() });
        match api::post_json::<serde_json::Value>("/api/contact", &body).await {
            Ok(_) => {
                sent.set(true);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
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
    view! {
        <section class="panel">
            <h1>"Contact us"</h1>
            <Show when=move || !sent.get() fallback=|| view! { <p class="notice" data-testid="contact-sent">"Thank you! We answer within a day."</p> }>
                <form class="form" on:submit=move |ev| { ev.prevent_default(); send.dispatch(()); }>
                    <label>"Name"<input name="name" bind:value=name required/></label>{field_error("name")}
                    <label>"Email"<input name="email" type="email" bind:value=email required/></label>{field_error("email")}
                    <label>"Subject"<input name="subject" bind:value=subject required/></label>{field_error("subject")}
                    <label>"Message"<textarea name="message" rows="5" bind:value=message required></textarea></label>{field_error("message")}
                    {move || error.get().filter(|e| e.errors.is_empty()).map(|e| view! { <p class="error">{e.message}</p> })}
                    <button type="submit" disabled=move || send.pending().get()>"Send message"</button>
                </form>
            </Show>
        </section>
    }
}
