//! The booking life cycle and the transitions the admin side may make.

use std::{fmt, str::FromStr};

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use crate::validation::ValidationErrors;

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Made by the guest, awaiting the resort's confirmation.
    Pending,
    /// Accepted by the resort.
    Confirmed,
    /// Called off, by the guest or the resort; final.
    Cancelled,
    /// The stay or event took place; final.
    Completed,
}

impl Status {
    /// The lower-case name used in JSON and the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
        }
    }

    /// Whether the booking holds its dates against other bookings.
    pub const fn is_active(self) -> bool {
        matches!(self, Self::Pending | Self::Confirmed)
    }

    /// The allowed moves: pending → confirmed | cancelled, confirmed →
    /// completed | cancelled. Cancelled and completed are final.
    pub const fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Pending, Self::Confirmed | Self::Cancelled) | (Self::Confirmed, Self::Completed | Self::Cancelled)
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = ();

    fn from_str(value: &str) -> Result<Self, ()> {
        [Self::Pending, Self::Confirmed, Self::Cancelled, Self::Completed]
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or(())
    }
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Status {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str()?.parse().map_err(|()| FromSqlError::InvalidType)
    }
}

/// The JSON body of `PATCH /api/admin/bookings/{reference}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// The new status name.
    pub status: Option<String>,
}

impl StatusInput {
    /// The requested status, or a 422 naming the accepted values.
    pub fn validate(self) -> Result<Status, ValidationErrors> {
        let Some(value) = self.status else {
            return Err(ValidationErrors::one("status", "The status field is required."));
        };
        value.trim().parse().map_err(|()| {
            ValidationErrors::one(
                "status",
                "The selected status is invalid (expected pending, confirmed, cancelled or completed).",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Status::*;

    #[test]
    fn only_forward_moves_are_allowed() {
        assert!(Pending.can_become(Confirmed) && Pending.can_become(Cancelled));
        assert!(Confirmed.can_become(Completed) && Confirmed.can_become(Cancelled));
        for (from, to) in [
            (Pending, Completed),
            (Pending, Pending),
            (Cancelled, Confirmed),
            (Completed, Cancelled),
        ] {
            assert!(!from.can_become(to), "{from} -> {to}");
        }
    }
}
