//! Small shared components.

mod calendar;
mod connection_badge;
mod query_view;

pub use calendar::Calendar;
pub use connection_badge::ConnectionBadge;
pub use query_view::QueryView;
