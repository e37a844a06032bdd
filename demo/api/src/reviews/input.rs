//! Validation of review submissions and moderation.

use serde::Deserialize;

use crate::validation::{ValidationErrors, Validator};

/// The JSON body of `POST /api/reviews`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The name to sign with.
    pub guest_name: Option<String>,
    /// Stars, 1 to 5.
    pub rating: Option<i64>,
    /// The review text, up to 2000 characters.
    pub body: Option<String>,
}

/// A submission that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidReview {
    /// Trimmed name.
    pub guest_name: String,
    /// 1 to 5.
    pub rating: i64,
    /// Trimmed text.
    pub body: String,
}

impl ReviewInput {
    /// Checks every rule and returns all failures at once.
    pub fn validate(self) -> Result<ValidReview, ValidationErrors> {
        let mut v = Validator::new();
        let guest_name = v.required_text("guest_name", self.guest_name, 80);
        let rating = v.required_int("rating", self.rating, 1..=5);
        let body = v.required_text("body", self.body, 2000);
        v.finish(|| ValidReview {
            guest_name: guest_name.unwrap_or_default(),
            rating: rating.unwrap_or_default(),
            body: body.unwrap_or_default(),
        })
    }
}

/// The JSON body of `PATCH /api/admin/reviews/{id}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewModeration {
    /// Show (`true`) or hide (`false`) the review.
    pub approved: Option<bool>,
}

impl ReviewModeration {
    /// The requested approval, or a 422 if it is missing.
    pub fn validate(self) -> Result<bool, ValidationErrors> {
        self.approved
            .ok_or_else(|| ValidationErrors::one("approved", "The approved field is required."))
    }
}
