//! The server's notion of "now" and "today".

use std::time::SystemTime;

use chrono::NaiveDate;

/// The current time as an RFC 3339 UTC timestamp with second precision, e.g.
/// `2026-01-31T09:15:00Z` (like Laravel's `toIso8601String()`).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Today's date in the server's local time zone: bookings may not start
/// before it. A resort's server runs on the resort's clock (Asia/Manila).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
