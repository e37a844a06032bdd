//! The echo-rs booking demo in Yew 0.23 (echo-yew): the guest home page,
//! a booking's receipt and the staff dashboard, against the same demo API
//! and WebSocket server as the Leptos app in `demo/app`.

mod api;
mod app;
mod components;
mod config;
mod pages;
mod realtime;

fn main() {
    console_error_panic_hook::set_once();
    // The bearer token for `/broadcasting/auth`, read on every private
    // subscription: the one the sign-in stored (echo-rs's default reads the
    // same `localStorage["token"]`; this says so in one place).
    echo_rs::set_echo_token_getter(api::token);
    yew::Renderer::<app::App>::new().render();
}
