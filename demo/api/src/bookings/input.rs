//! Validation of `POST /api/bookings` that needs no database: field shapes
//! and the calendar rules. Capacity, blocked ranges and other bookings are
//! checked in [`create`](super::create), inside the insert's transaction.

use chrono::{Days, NaiveDate};
use serde::Deserialize;

use crate::validation::{ValidationErrors, Validator};

/// Longest room stay, in nights.
pub const MAX_NIGHTS: i64 = 30;

/// The JSON body of `POST /api/bookings`. Give `room_id` with `check_in`
/// and `check_out` for a stay, or `venue_id` with `check_in` (the event day)
/// for an event.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    /// Room to stay in.
    pub room_id: Option<i64>,
    /// Venue to hold an event at.
    pub venue_id: Option<i64>,
    /// Guest's full name.
    pub guest_name: Option<String>,
    /// Guest's e-mail address.
    pub guest_email: Option<String>,
    /// Guest's phone number.
    pub guest_phone: Option<String>,
    /// Arrival (or event) day, `YYYY-MM-DD`.
    pub check_in: Option<String>,
    /// Departure day, `YYYY-MM-DD`; stays only.
    pub check_out: Option<String>,
    /// Number of guests.
    pub guests: Option<i64>,
}

/// What is being booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A room, by id.
    Room(i64),
    /// A venue, by id.
    Venue(i64),
}

/// A booking request that passed the checks of [`BookingInput::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBooking {
    /// The room or venue.
    pub target: Target,
    /// Trimmed name.
    pub guest_name: String,
    /// Lower-case e-mail address.
    pub guest_email: String,
    /// Trimmed phone number.
    pub guest_phone: String,
    /// Arrival or event day, today or later.
    pub check_in: NaiveDate,
    /// Departure day, after `check_in` (rooms only).
    pub check_out: Option<NaiveDate>,
    /// At least 1.
    pub guests: i64,
}

impl ValidBooking {
    /// The day after the last occupied one: check-out for a stay, the day
    /// after the event for a venue.
    pub fn end_exclusive(&self) -> NaiveDate {
        self.check_out
            .unwrap_or_else(|| self.check_in.checked_add_days(Days::new(1)).unwrap_or(self.check_in))
    }

    /// Nights of a stay (1 for an event).
    pub fn nights(&self) -> i64 {
        (self.end_exclusive() - self.check_in).num_days()
    }
}

impl BookingInput {
    /// Checks every rule that needs no database; `today` is the first day
    /// that may be booked.
    pub fn validate(self, today: NaiveDate) -> Result<ValidBooking, ValidationErrors> {
        let mut v = Validator::new();
        let target = match (self.room_id, self.venue_id) {
            (Some(room), None) => Some(Target::Room(room)),
            (None, Some(venue)) => Some(Target::Venue(venue)),
            (Some(_), Some(_)) => {
                v.fail("venue_id", "The venue id field is prohibited when room id is present.");
                None
            }
            (None, None) => {
                v.fail("room_id", "The room id field is required when venue id is not present.");
                None
            }
        };
        let guest_name = v.required_text("guest_name", self.guest_name, 80);
        let guest_email = v.email("guest_email", self.guest_email);
        let guest_phone = v.required_text("guest_phone", self.guest_phone, 30);
        if guest_phone.as_deref().is_some_and(|phone| !is_phone(phone)) {
            v.fail(
                "guest_phone",
                "The guest phone field must be a phone number, e.g. +63 917 555 0142.",
            );
        }
        let check_in = v.date("check_in", self.check_in);
        if check_in.is_some_and(|day| day < today) {
            v.fail("check_in", "The check in field must be a date after or equal to today.");
        }
        let check_out = match target {
            Some(Target::Venue(_)) if self.check_out.is_some() => {
                v.fail("check_out", "The check out field is prohibited for venue bookings.");
                None
            }
            Some(Target::Venue(_)) => None,
            _ => v.date("check_out", self.check_out),
        };
        if let (Some(check_in), Some(check_out)) = (check_in, check_out) {
            let nights = (check_out - check_in).num_days();
            if nights < 1 {
                v.fail("check_out", "The check out field must be a date after check in.");
            } else if nights > MAX_NIGHTS {
                v.fail("check_out", format!("A stay may last at most {MAX_NIGHTS} nights."));
            }
        }
        let guests = v.required_int("guests", self.guests, 1..=i64::MAX);
        let (Some(target), Some(check_in), Some(guests)) = (target, check_in, guests) else {
            return Err(v.finish(|| ()).err().unwrap_or_default());
        };
        v.finish(|| ValidBooking {
            target,
            guest_name: guest_name.unwrap_or_default(),
            guest_email: guest_email.unwrap_or_default(),
            guest_phone: guest_phone.unwrap_or_default(),
            check_in,
            check_out,
            guests,
        })
    }
}

/// Digits with the usual separators (`+`, spaces, `-`, parentheses), at
/// least seven digits.
fn is_phone(value: &str) -> bool {
    value.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) && value.chars().filter(char::is_ascii_digit).count() >= 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn stay() -> BookingInput {
        BookingInput {
            room_id: Some(1),
            guest_name: Some("Maria Santos".into()),
            guest_email: Some("Maria.Santos@example.ph".into()),
            guest_phone: Some("+63 917 555 0142".into()),
            check_in: Some("2026-05-01".into()),
            check_out: Some("2026-05-03".into()),
            guests: Some(2),
            ..BookingInput::default()
        }
    }

    #[test]
    fn accepts_a_stay() {
        let valid = stay().validate(day("2026-04-01")).unwrap();
        assert_eq!(valid.target, Target::Room(1));
        assert_eq!(valid.guest_email, "maria.santos@example.ph");
        assert_eq!(valid.nights(), 2);
    }

    #[test]
    fn an_event_is_one_day_without_check_out() {
        let event = BookingInput {
            room_id: None,
            venue_id: Some(2),
            check_out: None,
            ..stay()
        };
        let valid = event.clone().validate(day("2026-04-01")).unwrap();
        assert_eq!((valid.nights(), valid.end_exclusive()), (1, day("2026-05-02")));
        let with_check_out = BookingInput {
            check_out: Some("2026-05-03".into()),
            ..event
        };
        assert_eq!(with_check_out.validate(day("2026-04-01")).unwrap_err().0[0].0, "check_out");
    }

    #[test]
    fn refuses_past_and_backwards_dates() {
        let errors = stay().validate(day("2026-05-02")).unwrap_err().0;
        assert_eq!(errors[0].0, "check_in");
        let backwards = BookingInput {
            check_out: Some("2026-05-01".into()),
            ..stay()
        };
        assert_eq!(backwards.validate(day("2026-04-01")).unwrap_err().0[0].0, "check_out");
    }

    #[test]
    fn needs_exactly_one_target() {
        let both = BookingInput {
            venue_id: Some(1),
            ..stay()
        };
        assert_eq!(both.validate(day("2026-04-01")).unwrap_err().0[0].0, "venue_id");
        let neither = BookingInput { room_id: None, ..stay() };
        assert_eq!(neither.validate(day("2026-04-01")).unwrap_err().0[0].0, "room_id");
    }
}
