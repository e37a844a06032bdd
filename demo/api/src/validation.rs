//! Input validation in the spirit of a Laravel form request: every rule is
//! checked, and all failures come back together as `(field, message)` pairs
//! with Laravel's wording ("The guest email field is required.").

use std::ops::RangeInclusive;

use chrono::NaiveDate;

/// Why some input was refused: `(field, message)` pairs in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<(&'static str, String)>);

impl ValidationErrors {
    /// A single failure.
    pub fn one(field: &'static str, message: impl Into<String>) -> Self {
        Self(vec![(field, message.into())])
    }
}

/// Collects failures while reading fields one by one.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<(&'static str, String)>,
}

/// `guest_email` becomes `guest email`, as Laravel writes attribute names.
fn label(field: &str) -> String {
    field.replace('_', " ")
}

impl Validator {
    /// No failures yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a failure of `field`.
    pub fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push((field, message.into()));
    }

    /// Whether `field` already failed (later rules on it are then skipped).
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|(failed, _)| *failed == field)
    }

    /// Whether anything failed so far.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// A required string, trimmed, 1 to `max_chars` characters.
    pub fn required_text(&mut self, field: &'static str, value: Option<String>, max_chars: usize) -> Option<String> {
        let value = value.map(|text| text.trim().to_owned()).unwrap_or_default();
        if value.is_empty() {
            self.fail(field, format!("The {} field is required.", label(field)));
            return None;
        }
        self.max_chars(field, value, max_chars)
    }

    /// An optional string (a partial update): absent stays absent, present
    /// must obey the rules of [`Validator::required_text`].
    pub fn optional_text(&mut self, field: &'static str, value: Option<String>, max_chars: usize) -> Option<String> {
        value.and_then(|value| self.required_text(field, Some(value), max_chars))
    }

    fn max_chars(&mut self, field: &'static str, value: String, max_chars: usize) -> Option<String> {
        if value.chars().count() > max_chars {
            self.fail(
                field,
                format!("The {} field must not be greater than {max_chars} characters.", label(field)),
            );
            return None;
        }
        Some(value)
    }

    /// A required e-mail address of the usual `local@domain.tld` shape.
    pub fn email(&mut self, field: &'static str, value: Option<String>) -> Option<String> {
        let value = self.required_text(field, value, 254)?;
        if !is_email(&value) {
            self.fail(field, format!("The {} field must be a valid email address.", label(field)));
            return None;
        }
        Some(value.to_lowercase())
    }

    /// A required integer within `range`.
    pub fn required_int(&mut self, field: &'static str, value: Option<i64>, range: RangeInclusive<i64>) -> Option<i64> {
        let Some(value) = value else {
            self.fail(field, format!("The {} field is required.", label(field)));
            return None;
        };
        self.optional_int(field, Some(value), range)
    }

    /// An optional integer that, when present, lies within `range`.
    pub fn optional_int(&mut self, field: &'static str, value: Option<i64>, range: RangeInclusive<i64>) -> Option<i64> {
        let value = value?;
        if range.contains(&value) {
            return Some(value);
        }
        let (min, max) = (range.start(), range.end());
        let message = if *max == i64::MAX {
            format!("The {} field must be at least {min}.", label(field))
        } else {
            format!("The {} field must be between {min} and {max}.", label(field))
        };
        self.fail(field, message);
        None
    }

    /// A required `YYYY-MM-DD` calendar date.
    pub fn date(&mut self, field: &'static str, value: Option<String>) -> Option<NaiveDate> {
        let Some(value) = value.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty()) else {
            self.fail(field, format!("The {} field is required.", label(field)));
            return None;
        };
        match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                self.fail(field, format!("The {} field must match the format YYYY-MM-DD.", label(field)));
                None
            }
        }
    }

    /// A `#rrggbb` colour, lower-cased.
    pub fn hex_color(&mut self, field: &'static str, value: Option<String>) -> Option<String> {
        let value = self.required_text(field, value, 7)?;
        let is_hex = value.len() == 7 && value.starts_with('#') && value[1..].bytes().all(|byte| byte.is_ascii_hexdigit());
        if !is_hex {
            self.fail(field, format!("The {} field must be a colour like #1e88e5.", label(field)));
            return None;
        }
        Some(value.to_ascii_lowercase())
    }

    /// `Ok(value)` when nothing failed, else every failure.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.errors.is_empty() {
            Ok(value())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

/// `local@domain.tld`: one `@`, no spaces, a dot inside the domain.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !value.chars().any(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(name, tld)| !name.is_empty() && !tld.is_empty() && !tld.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_failure_with_laravel_wording() {
        let mut v = Validator::new();
        assert_eq!(v.required_text("guest_name", Some("  Ana ".into()), 10).as_deref(), Some("Ana"));
        assert_eq!(v.required_text("subject", Some(" ".into()), 10), None);
        assert_eq!(v.email("guest_email", Some("ana@".into())), None);
        assert_eq!(v.required_int("guests", Some(0), 1..=4), None);
        assert_eq!(v.date("check_in", Some("2026-2-1".into())), None);
        let errors = v.finish(|| ()).unwrap_err().0;
        assert_eq!(
            errors,
            [
                ("subject", "The subject field is required.".into()),
                ("guest_email", "The guest email field must be a valid email address.".into()),
                ("guests", "The guests field must be between 1 and 4.".into()),
                ("check_in", "The check in field must match the format YYYY-MM-DD.".into()),
            ]
        );
    }

    #[test]
    fn emails_have_a_simple_shape() {
        for good in ["ana@example.ph", "a.b+c@mail.casamarcelino.test"] {
            assert!(is_email(good), "{good}");
        }
        for bad in ["", "ana", "ana@", "@x.ph", "ana@ph", "ana@x.", "a na@x.ph", "a@b@c.ph"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn colours_are_hex() {
        let mut v = Validator::new();
        assert_eq!(v.hex_color("color", Some("#1E88E5".into())).as_deref(), Some("#1e88e5"));
        assert_eq!(v.hex_color("color", Some("blue".into())), None);
        assert!(!v.is_empty());
    }
}
