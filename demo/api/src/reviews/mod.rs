//! Guest reviews: submitted by anyone, shown publicly once an admin approves
//! them, and kept in sync through the `ReviewsUpdated` broadcast event.

mod input;
mod queries;

use serde::Serialize;

pub use input::{ReviewInput, ReviewModeration, ValidReview};
pub use queries::{delete, find, insert, list, set_approved};

/// A review, serialized as the API's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Primary key.
    pub id: i64,
    /// The name the guest signs with.
    pub guest_name: String,
    /// Stars, 1 to 5.
    pub rating: i64,
    /// The review text.
    pub body: String,
    /// Whether it is shown on the public site.
    pub approved: bool,
    /// When it was submitted, RFC 3339 UTC.
    pub created_at: String,
    /// When it last changed (e.g. was approved), RFC 3339 UTC.
    pub updated_at: String,
}
