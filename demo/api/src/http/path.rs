//! Record ids from `{id}` path segments.

use super::ApiError;

/// The integer id in `raw`; anything else is the 404 for `what` (e.g.
/// "Venue not found."), as with Laravel's route model binding.
pub fn id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found(what))
}
