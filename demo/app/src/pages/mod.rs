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

/// `4500` → `"₱4,500"`.
pub fn pesos(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}₱{out}", if amount < 0 { "-" } else { "" })
}
