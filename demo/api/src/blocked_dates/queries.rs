//! SQL for blocked ranges, run inside [`Db::call`](crate::db::Db::call).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{BlockedDate, ValidBlockedDate};

const COLUMNS: &str = "id, start_date, end_date, reason, created_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<BlockedDate> {
    Ok(BlockedDate {
        id: row.get(0)?,
        start_date: row.get(1)?,
        end_date: row.get(2)?,
        reason: row.get(3)?,
        created_at: row.get(4)?,
    })
}

/// Every range that ends on or after `from`, in date order.
pub fn list(conn: &Connection, from: NaiveDate) -> rusqlite::Result<Vec<BlockedDate>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM blocked_dates WHERE end_date >= ?1 ORDER BY start_date, id"
    ))?;
    let ranges = statement.query_map([from.to_string()], from_row)?;
    ranges.collect()
}

/// The earliest range sharing a day with the stay `[first_day, end)` (`end`
/// exclusive: a room's check-out day, or the day after a venue's event).
pub fn first_overlapping(conn: &Connection, first_day: NaiveDate, end: NaiveDate) -> rusqlite::Result<Option<BlockedDate>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM blocked_dates WHERE start_date < ?2 AND end_date >= ?1 ORDER BY start_date LIMIT 1"),
        [first_day.to_string(), end.to_string()],
        from_row,
    )
    .optional()
}

/// Adds `range`, stamped `now`, and returns it.
pub fn insert(conn: &mut Connection, range: &ValidBlockedDate, now: &str) -> rusqlite::Result<BlockedDate> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO blocked_dates (start_date, end_date, reason, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![range.start_date.to_string(), range.end_date.to_string(), range.reason, now],
    )?;
    let id = tx.last_insert_rowid();
    let range = tx.query_row(&format!("SELECT {COLUMNS} FROM blocked_dates WHERE id = ?1"), [id], from_row)?;
    tx.commit()?;
    Ok(range)
}

/// Removes range `id`; `false` if there was none.
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM blocked_dates WHERE id = ?1", [id])? > 0)
}
