//! SQL for reviews, run inside [`Db::call`](crate::db::Db::call).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Review, ValidReview};

const COLUMNS: &str = "id, guest_name, rating, body, approved, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        id: row.get(0)?,
        guest_name: row.get(1)?,
        rating: row.get(2)?,
        body: row.get(3)?,
        approved: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

/// Reviews, newest first: only approved ones when `approved_only`.
pub fn list(conn: &Connection, approved_only: bool) -> rusqlite::Result<Vec<Review>> {
    let filter = if approved_only { "WHERE approved = 1" } else { "" };
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM reviews {filter} ORDER BY created_at DESC, id DESC"))?;
    let reviews = statement.query_map([], from_row)?;
    reviews.collect()
}

/// The review with `id`, if there is one.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Review>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM reviews WHERE id = ?1"), [id], from_row)
        .optional()
}

/// Stores a new, unapproved review and returns it.
pub fn insert(conn: &mut Connection, review: &ValidReview, now: &str) -> rusqlite::Result<Review> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO reviews (guest_name, rating, body, approved, created_at, updated_at) VALUES (?1, ?2, ?3, 0, ?4, ?4)",
        params![review.guest_name, review.rating, review.body, now],
    )?;
    let review = find(&tx, tx.last_insert_rowid())?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    tx.commit()?;
    Ok(review)
}

/// Approves or hides review `id` (`None`: no such review).
pub fn set_approved(conn: &mut Connection, id: i64, approved: bool, now: &str) -> rusqlite::Result<Option<Review>> {
    let tx = conn.transaction()?;
    if tx.execute(
        "UPDATE reviews SET approved = ?1, updated_at = ?2 WHERE id = ?3",
        params![approved, now, id],
    )? == 0
    {
        return Ok(None);
    }
    let review = find(&tx, id)?;
    tx.commit()?;
    Ok(review)
}

/// Removes review `id`; `false` if there was none.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM reviews WHERE id = ?1", [id])? > 0)
}
