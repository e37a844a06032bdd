//! One module per page.

mod admin;
mod admin_login;
mod booking;
mod contact;
mod home;
mod receipt;

pub use admin::{AdminBookingPage, AdminDashboard};
pub use admin_login::AdminLogin;
pub use booking::Booking;
pub use contact::Contact;
pub use home::Home;
pub use receipt::Receipt;

pub use echo_demo_shared::types::pesos;
