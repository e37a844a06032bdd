//! The admin's partial update of a room and its validation rules, in the
//! spirit of a Laravel form request.

use serde::Deserialize;

use crate::validation::{ValidationErrors, Validator};

/// Longest allowed room name, in characters.
pub const NAME_MAX_CHARS: usize = 80;
/// The highest price per night accepted, in pesos: a sanity bound that
/// catches a typo's extra zeros (the app's editor checks the same).
pub const PRICE_PER_NIGHT_MAX: i64 = 1_000_000;
/// Longest allowed description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 1000;
/// Allowed guest counts.
pub const CAPACITY_RANGE: std::ops::RangeInclusive<i64> = 1..=20;

/// The JSON body of `PATCH /api/admin/rooms/{id}`: every field is optional,
/// absent (or `null`) fields stay as they are, unknown fields are rejected.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomChanges {
    /// New display name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New guest capacity.
    pub capacity: Option<i64>,
    /// New nightly rate in whole PHP.
    pub price_per_night: Option<i64>,
}

/// Changes that passed [`RoomChanges::validate`]; strings are trimmed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidChanges {
    /// New display name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New guest capacity.
    pub capacity: Option<i64>,
    /// New nightly rate in whole PHP.
    pub price_per_night: Option<i64>,
}

impl RoomChanges {
    /// Checks every rule and returns all failures at once, like Laravel does.
    pub fn validate(self) -> Result<ValidChanges, ValidationErrors> {
        let mut v = Validator::new();
        let empty = self.name.is_none() && self.description.is_none() && self.capacity.is_none() && self.price_per_night.is_none();
        let name = v.optional_text("name", self.name, NAME_MAX_CHARS);
        let description = v.optional_text("description", self.description, DESCRIPTION_MAX_CHARS);
        let capacity = v.optional_int("capacity", self.capacity, CAPACITY_RANGE);
        let price_per_night = v.optional_int("price_per_night", self.price_per_night, 1..=PRICE_PER_NIGHT_MAX);
        if empty {
            v.fail("body", "Provide at least one of: name, description, capacity, price_per_night.");
        }
        v.finish(|| ValidChanges {
            name,
            description,
            capacity,
            price_per_night,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_trims_good_changes() {
        let changes = RoomChanges {
            name: Some("  Sunset Loft ".into()),
            capacity: Some(20),
            ..RoomChanges::default()
        };
        let valid = changes.validate().unwrap();
        assert_eq!(valid.name.as_deref(), Some("Sunset Loft"));
        assert_eq!(valid.capacity, Some(20));
    }

    #[test]
    fn reports_every_broken_rule() {
        let changes = RoomChanges {
            name: Some(" ".into()),
            description: Some("x".repeat(DESCRIPTION_MAX_CHARS + 1)),
            capacity: Some(0),
            price_per_night: Some(-5),
        };
        let fields: Vec<_> = changes.validate().unwrap_err().0.into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["name", "description", "capacity", "price_per_night"]);
    }

    #[test]
    fn counts_characters_not_bytes() {
        let ok = RoomChanges {
            name: Some("ñ".repeat(NAME_MAX_CHARS)),
            ..RoomChanges::default()
        };
        assert!(ok.validate().is_ok());
        let long = RoomChanges {
            name: Some("a".repeat(NAME_MAX_CHARS + 1)),
            ..RoomChanges::default()
        };
        assert!(long.validate().is_err());
    }

    #[test]
    fn refuses_an_empty_patch() {
        assert_eq!(RoomChanges::default().validate().unwrap_err().0[0].0, "body");
    }
}
