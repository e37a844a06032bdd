use echo_leptos::disconnect_echo;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use serde_json::json;

use crate::api::{self, ApiError, Login};

/// Stores the token where echo-rs's default token getter reads it
/// (`localStorage["token"]`), or removes it.
pub fn store_token(token: Option<&str>) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = match token {
            Some(token) => storage.set_item("token", token),
            None => storage.remove_item("token"),
        };
    }
}

/// Staff sign-in. After it, `disconnect_echo()` so the next private
/// subscription is authorized with the new token.
#[component]
pub fn AdminLogin() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let login = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let body = json!({ "email": email.get_untracked(), "password": password.get_untracked() });
            match api::post_json::<Login>("/api/login", &body).await {
                Ok(login) => {
                    store_token(Some(&login.token));
                    disconnect_echo();
                    navigate("/admin", NavigateOptions::default());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="panel narrow">
            <h1>"Staff sign-in"</h1>
            <form class="form" on:submit=move |ev| { ev.prevent_default(); login.dispatch(()); }>
                <label>"Email"<input name="email" type="email" autocomplete="username" bind:value=email required/></label>
                <label>"Password"<input name="password" type="password" autocomplete="current-password" bind:value=password required/></label>
                {move || error.get().map(|e| view! { <p class="error">{e.message}</p> })}
                <button type="submit" disabled=move || login.pending().get()>"Sign in"</button>
            </form>
        </section>
    }
}
