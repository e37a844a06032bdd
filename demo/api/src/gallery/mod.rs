//! The homepage gallery. There are no image files: each item is a tile the
//! frontend renders from its `title`, `caption` and background `color`.
//! Kept in sync with browsers through the `GalleryUpdated` broadcast event.

mod input;
mod queries;

use serde::Serialize;

pub use input::{GalleryChanges, GalleryInput, ValidGalleryChanges, ValidGalleryItem};
pub use queries::{delete, find, insert, list, update};

/// One gallery tile, serialized as the API's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GalleryItem {
    /// Primary key.
    pub id: i64,
    /// Short title, 1 to 80 characters.
    pub title: String,
    /// A sentence shown under the title, 1 to 300 characters.
    pub caption: String,
    /// Tile background, `#rrggbb` lower-case.
    pub color: String,
    /// When the item was added, RFC 3339 UTC.
    pub created_at: String,
    /// When the item last changed, RFC 3339 UTC.
    pub updated_at: String,
}
