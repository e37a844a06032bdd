//! SQL for the gallery, run inside [`Db::call`](crate::db::Db::call).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{GalleryItem, ValidGalleryChanges, ValidGalleryItem};

const COLUMNS: &str = "id, title, caption, color, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<GalleryItem> {
    Ok(GalleryItem {
        id: row.get(0)?,
        title: row.get(1)?,
        caption: row.get(2)?,
        color: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

/// All items, ordered by id.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<GalleryItem>> {
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM gallery_items ORDER BY id"))?;
    let items = statement.query_map([], from_row)?;
    items.collect()
}

/// The item with `id`, if there is one.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<GalleryItem>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM gallery_items WHERE id = ?1"), [id], from_row)
        .optional()
}

/// Adds `item`, stamped `now`, and returns it.
pub fn insert(conn: &mut Connection, item: &ValidGalleryItem, now: &str) -> rusqlite::Result<GalleryItem> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO gallery_items (title, caption, color, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![item.title, item.caption, item.color, now],
    )?;
    let item = find(&tx, tx.last_insert_rowid())?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    tx.commit()?;
    Ok(item)
}

/// Applies `changes` to item `id` in one transaction (`None`: no such item).
pub fn update(conn: &mut Connection, id: i64, changes: &ValidGalleryChanges, now: &str) -> rusqlite::Result<Option<GalleryItem>> {
    let tx = conn.transaction()?;
    let updated = tx.execute(
        "UPDATE gallery_items SET
             title = COALESCE(?1, title), caption = COALESCE(?2, caption),
             color = COALESCE(?3, color), updated_at = ?4
         WHERE id = ?5",
        params![changes.title, changes.caption, changes.color, now, id],
    )?;
    if updated == 0 {
        return Ok(None);
    }
    let item = find(&tx, id)?;
    tx.commit()?;
    Ok(item)
}

/// Removes item `id`; `false` if there was none.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM gallery_items WHERE id = ?1", [id])? > 0)
}
