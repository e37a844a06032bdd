//! Validation of the admin's gallery writes.

use serde::Deserialize;

use crate::validation::{ValidationErrors, Validator};

const TITLE_MAX_CHARS: usize = 80;
const CAPTION_MAX_CHARS: usize = 300;

/// The JSON body of `POST /api/admin/gallery`: all fields required.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GalleryInput {
    /// Short title.
    pub title: Option<String>,
    /// One sentence.
    pub caption: Option<String>,
    /// `#rrggbb`.
    pub color: Option<String>,
}

/// A new item that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidGalleryItem {
    /// Trimmed title.
    pub title: String,
    /// Trimmed caption.
    pub caption: String,
    /// Lower-case `#rrggbb`.
    pub color: String,
}

impl GalleryInput {
    /// Checks every rule and returns all failures at once.
    pub fn validate(self) -> Result<ValidGalleryItem, ValidationErrors> {
        let mut v = Validator::new();
        let title = v.required_text("title", self.title, TITLE_MAX_CHARS);
        let caption = v.required_text("caption", self.caption, CAPTION_MAX_CHARS);
        let color = v.hex_color("color", self.color);
        v.finish(|| ValidGalleryItem {
            title: title.unwrap_or_default(),
            caption: caption.unwrap_or_default(),
            color: color.unwrap_or_default(),
        })
    }
}

/// The JSON body of `PATCH /api/admin/gallery/{id}`: every field optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GalleryChanges {
    /// New title.
    pub title: Option<String>,
    /// New caption.
    pub caption: Option<String>,
    /// New colour.
    pub color: Option<String>,
}

/// Changes that passed [`GalleryChanges::validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidGalleryChanges {
    /// New title.
    pub title: Option<String>,
    /// New caption.
    pub caption: Option<String>,
    /// New colour.
    pub color: Option<String>,
}

impl GalleryChanges {
    /// Checks every rule and returns all failures at once.
    pub fn validate(self) -> Result<ValidGalleryChanges, ValidationErrors> {
        let mut v = Validator::new();
        let empty = self.title.is_none() && self.caption.is_none() && self.color.is_none();
        let title = v.optional_text("title", self.title, TITLE_MAX_CHARS);
        let caption = v.optional_text("caption", self.caption, CAPTION_MAX_CHARS);
        let color = self.color.and_then(|color| v.hex_color("color", Some(color)));
        if empty {
            v.fail("body", "Provide at least one of: title, caption, color.");
        }
        v.finish(|| ValidGalleryChanges { title, caption, color })
    }
}
