//! The admin's partial update of a room and its validation rules, in the
//! spirit of a Laravel form request.

use serde::Deserialize;

/// Longest allowed room name, in characters.
pub const NAME_MAX_CHARS: usize = 80;
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

/// Why a [`RoomChanges`] was refused: `(field, message)` pairs in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<(&'static str, String)>);

impl RoomChanges {
    /// Checks every rule and returns all failures at once, like Laravel does.
    pub fn validate(self) -> Result<ValidChanges, ValidationErrors> {
        let mut errors = Vec::new();
        let name = self.name.map(|name| name.trim().to_owned());
        let description = self.description.map(|text| text.trim().to_owned());

        if let Some(message) = name.as_deref().and_then(|name| text_error("name", name, NAME_MAX_CHARS)) {
            errors.push(("name", message));
        }
        if let Some(message) = description
            .as_deref()
            .and_then(|text| text_error("description", text, DESCRIPTION_MAX_CHARS))
        {
            errors.push(("description", message));
        }
        if self.capacity.is_some_and(|capacity| !CAPACITY_RANGE.contains(&capacity)) {
            let (min, max) = (CAPACITY_RANGE.start(), CAPACITY_RANGE.end());
            errors.push(("capacity", format!("The capacity field must be between {min} and {max}.")));
        }
        if self.price_per_night.is_some_and(|price| price <= 0) {
            errors.push(("price_per_night", "The price per night field must be greater than 0.".into()));
        }
        if name.is_none() && description.is_none() && self.capacity.is_none() && self.price_per_night.is_none() {
            errors.push((
                "body",
                "Provide at least one of: name, description, capacity, price_per_night.".into(),
            ));
        }

        if errors.is_empty() {
            Ok(ValidChanges {
                name,
                description,
                capacity: self.capacity,
                price_per_night: self.price_per_night,
            })
        } else {
            Err(ValidationErrors(errors))
        }
    }
}

fn text_error(field: &str, value: &str, max_chars: usize) -> Option<String> {
    if value.is_empty() {
        Some(format!("The {field} field is required."))
    } else if value.chars().count() > max_chars {
        Some(format!("The {field} field must not be greater than {max_chars} characters."))
    } else {
        None
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
