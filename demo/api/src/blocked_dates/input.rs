//! Validation of `POST /api/admin/blocked-dates`.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::validation::{ValidationErrors, Validator};

/// The JSON body of `POST /api/admin/blocked-dates`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedDateInput {
    /// First blocked day, `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// Last blocked day, inclusive.
    pub end_date: Option<String>,
    /// Why, up to 200 characters.
    pub reason: Option<String>,
}

/// A range that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBlockedDate {
    /// First blocked day.
    pub start_date: NaiveDate,
    /// Last blocked day, on or after `start_date`.
    pub end_date: NaiveDate,
    /// Trimmed reason.
    pub reason: String,
}

impl BlockedDateInput {
    /// Checks every rule; `today` is the earliest day a range may end on.
    pub fn validate(self, today: NaiveDate) -> Result<ValidBlockedDate, ValidationErrors> {
        let mut v = Validator::new();
        let start_date = v.date("start_date", self.start_date);
        let end_date = v.date("end_date", self.end_date);
        let reason = v.required_text("reason", self.reason, 200);
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if end < start {
                v.fail("end_date", "The end date field must be a date after or equal to start date.");
            } else if end < today {
                v.fail("end_date", "The end date field must not be in the past.");
            }
        }
        v.finish(|| ValidBlockedDate {
            start_date: start_date.unwrap_or_default(),
            end_date: end_date.unwrap_or_default(),
            reason: reason.unwrap_or_default(),
        })
    }
}
