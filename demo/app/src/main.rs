//! The echo-rs booking demo (client side).

mod api;
mod app;
mod components;
mod config;
mod dates;
mod pages;
mod realtime;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
