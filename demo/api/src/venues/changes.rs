//! The admin's partial update of a venue and its validation rules.

use serde::Deserialize;

use crate::validation::{ValidationErrors, Validator};

/// The highest price per event accepted, in pesos: a sanity bound that
/// catches a typo's extra zeros (the app's editor checks the same).
pub const PRICE_PER_EVENT_MAX: i64 = 10_000_000;

/// Allowed guest counts for an event.
pub const CAPACITY_RANGE: std::ops::RangeInclusive<i64> = 1..=1000;

/// The JSON body of `PATCH /api/admin/venues/{id}`: every field optional,
/// unknown fields rejected.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VenueChanges {
    /// New display name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New guest capacity.
    pub capacity: Option<i64>,
    /// New rate per event in whole PHP.
    pub price_per_event: Option<i64>,
}

/// Changes that passed [`VenueChanges::validate`]; strings are trimmed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidVenueChanges {
    /// New display name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New guest capacity.
    pub capacity: Option<i64>,
    /// New rate per event in whole PHP.
    pub price_per_event: Option<i64>,
}

impl VenueChanges {
    /// Checks every rule and returns all failures at once.
    pub fn validate(self) -> Result<ValidVenueChanges, ValidationErrors> {
        let mut v = Validator::new();
        let empty = self.name.is_none() && self.description.is_none() && self.capacity.is_none() && self.price_per_event.is_none();
        let name = v.optional_text("name", self.name, 80);
        let description = v.optional_text("description", self.description, 1000);
        let capacity = v.optional_int("capacity", self.capacity, CAPACITY_RANGE);
        let price_per_event = v.optional_int("price_per_event", self.price_per_event, 1..=PRICE_PER_EVENT_MAX);
        if empty {
            v.fail("body", "Provide at least one of: name, description, capacity, price_per_event.");
        }
        v.finish(|| ValidVenueChanges {
            name,
            description,
            capacity,
            price_per_event,
        })
    }
}
