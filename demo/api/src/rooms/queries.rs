//! SQL for reading and updating rooms. Each function is synchronous and meant
//! to run inside [`Db::call`](crate::db::Db::call).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Room, ValidChanges};

const COLUMNS: &str = "id, name, description, capacity, price_per_night, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Room> {
    Ok(Room {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        capacity: row.get(3)?,
        price_per_night: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

/// All rooms, ordered by id.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Room>> {
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM rooms ORDER BY id"))?;
    let rooms = statement.query_map([], from_row)?;
    rooms.collect()
}

/// The room with `id`, if there is one.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Room>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM rooms WHERE id = ?1"), [id], from_row)
        .optional()
}

/// Applies `changes` to room `id` in one transaction, stamping `updated_at`
/// with `updated_at`, and returns the updated room (`None` if no such room).
pub fn update(conn: &mut Connection, id: i64, changes: &ValidChanges, updated_at: &str) -> rusqlite::Result<Option<Room>> {
    let tx = conn.transaction()?;
    let updated = tx.execute(
        "UPDATE rooms SET
             name            = COALESCE(?1, name),
             description     = COALESCE(?2, description),
             capacity        = COALESCE(?3, capacity),
             price_per_night = COALESCE(?4, price_per_night),
             updated_at      = ?5
         WHERE id = ?6",
        params![
            changes.name,
            changes.description,
            changes.capacity,
            changes.price_per_night,
            updated_at,
            id
        ],
    )?;
    if updated == 0 {
        return Ok(None);
    }
    let room = find(&tx, id)?;
    tx.commit()?;
    Ok(room)
}

/// Rooms free for the nights `[check_in, check_out)` that hold `guests`:
/// none when a blocked range overlaps, else every room without an active
/// booking sharing a night.
pub fn available(conn: &Connection, check_in: NaiveDate, check_out: NaiveDate, guests: i64) -> rusqlite::Result<Vec<Room>> {
    if crate::blocked_dates::first_overlapping(conn, check_in, check_out)?.is_some() {
        return Ok(Vec::new());
    }
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM rooms WHERE capacity >= ?3 AND NOT EXISTS (
             SELECT 1 FROM bookings b WHERE b.room_id = rooms.id AND b.status IN ('pending', 'confirmed')
                 AND b.check_in < ?2 AND COALESCE(b.check_out, date(b.check_in, '+1 day')) > ?1)
         ORDER BY id"
    ))?;
    let rooms = statement.query_map(params![check_in.to_string(), check_out.to_string(), guests], from_row)?;
    rooms.collect()
}
