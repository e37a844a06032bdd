//! SQL for reading and updating venues, run inside [`Db::call`](crate::db::Db::call).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{ValidVenueChanges, Venue};

const COLUMNS: &str = "id, name, description, capacity, price_per_event, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Venue> {
    Ok(Venue {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        capacity: row.get(3)?,
        price_per_event: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

/// All venues, ordered by id.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Venue>> {
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM venues ORDER BY id"))?;
    let venues = statement.query_map([], from_row)?;
    venues.collect()
}

/// The venues free on `day`: no blocked range covers it and no pending or
/// confirmed booking of the venue falls on it (the rule bookings are
/// checked with).
pub fn available(conn: &Connection, day: chrono::NaiveDate) -> rusqlite::Result<Vec<Venue>> {
    let end = day + chrono::Days::new(1);
    if crate::blocked_dates::first_overlapping(conn, day, end)?.is_some() {
        return Ok(Vec::new());
    }
    let mut free = Vec::new();
    for venue in list(conn)? {
        if !crate::bookings::overlaps_active(conn, crate::bookings::Target::Venue(venue.id), day, end)? {
            free.push(venue);
        }
    }
    Ok(free)
}

/// The venue with `id`, if there is one.
pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Venue>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM venues WHERE id = ?1"), [id], from_row)
        .optional()
}

/// Applies `changes` to venue `id` in one transaction and returns the
/// updated venue (`None` if there is no such venue).
pub fn update(conn: &mut Connection, id: i64, changes: &ValidVenueChanges, updated_at: &str) -> rusqlite::Result<Option<Venue>> {
    let tx = conn.transaction()?;
    let updated = tx.execute(
        "UPDATE venues SET
             name            = COALESCE(?1, name),
             description     = COALESCE(?2, description),
             capacity        = COALESCE(?3, capacity),
             price_per_event = COALESCE(?4, price_per_event),
             updated_at      = ?5
         WHERE id = ?6",
        params![
            changes.name,
            changes.description,
            changes.capacity,
            changes.price_per_event,
            updated_at,
            id
        ],
    )?;
    if updated == 0 {
        return Ok(None);
    }
    let venue = find(&tx, id)?;
    tx.commit()?;
    Ok(venue)
}
