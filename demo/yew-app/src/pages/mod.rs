//! One module per page.

mod admin;
mod home;
mod receipt;

pub use admin::{AdminDashboard, AdminLogin};
pub use home::Home;
pub use receipt::Receipt;
