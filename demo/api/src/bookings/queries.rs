//! SQL for bookings, run inside [`Db::call`](crate::db::Db::call). Checks
//! that depend on stored data run in the same transaction as the write, so a
//! concurrent request can never slip a conflicting booking in between.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{reference, Booked, Booking, Status, Target, ValidBooking};
use crate::{blocked_dates, validation::ValidationErrors};

/// Why a booking write was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteError {
    /// No booking has that reference.
    NotFound,
    /// The request conflicts with stored data.
    Invalid(ValidationErrors),
}

const SELECT: &str = "
SELECT b.id, b.reference, b.guest_name, b.guest_email, b.guest_phone,
       b.room_id, r.name, b.venue_id, v.name,
       b.check_in, b.check_out, b.guests, b.total_price, b.status, b.created_at, b.updated_at
FROM bookings b
LEFT JOIN rooms r ON r.id = b.room_id
LEFT JOIN venues v ON v.id = b.venue_id";

fn booked(id: Option<i64>, name: Option<String>) -> Option<Booked> {
    Some(Booked { id: id?, name: name? })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Booking> {
    Ok(Booking {
        id: row.get(0)?,
        reference: row.get(1)?,
        guest_name: row.get(2)?,
        guest_email: row.get(3)?,
        guest_phone: row.get(4)?,
        room: booked(row.get(5)?, row.get(6)?),
        venue: booked(row.get(7)?, row.get(8)?),
        check_in: row.get(9)?,
        check_out: row.get(10)?,
        guests: row.get(11)?,
        total_price: row.get(12)?,
        status: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
    })
}

/// The booking with `reference` (already [normalized](reference::normalize)).
pub fn find(conn: &Connection, reference: &str) -> rusqlite::Result<Option<Booking>> {
    conn.query_row(&format!("{SELECT} WHERE b.reference = ?1"), [reference], from_row)
        .optional()
}

/// Whether a booking has primary key `id`.
pub fn exists(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM bookings WHERE id = ?1)", [id], |row| row.get(0))
}

/// Bookings, newest first, optionally only those with `status`.
pub fn list(conn: &Connection, status: Option<Status>) -> rusqlite::Result<Vec<Booking>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} WHERE ?1 IS NULL OR b.status = ?1 ORDER BY b.created_at DESC, b.id DESC"
    ))?;
    let bookings = statement.query_map([status], from_row)?;
    bookings.collect()
}

/// Whether an active booking of the same room or venue shares a day with
/// `[first_day, end)`. A venue booking's stored `check_out` is null: it ends
/// the day after its `check_in`.
pub fn overlaps_active(conn: &Connection, target: Target, first_day: NaiveDate, end: NaiveDate) -> rusqlite::Result<bool> {
    let (column, id) = match target {
        Target::Room(id) => ("room_id", id),
        Target::Venue(id) => ("venue_id", id),
    };
    conn.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM bookings WHERE {column} = ?1 AND status IN ('pending', 'confirmed')
                 AND check_in < ?3 AND COALESCE(check_out, date(check_in, '+1 day')) > ?2)"
        ),
        params![id, first_day.to_string(), end.to_string()],
        |row| row.get(0),
    )
}

/// Checks `booking` against stored data (the room or venue exists and holds
/// the guests, no blocked range or active booking overlaps) and, if all is
/// well, stores it as pending with a fresh reference, all in one transaction.
pub fn create(conn: &mut Connection, booking: &ValidBooking, now: &str) -> rusqlite::Result<Result<Booking, WriteError>> {
    let tx = conn.transaction()?;
    let (table, field, label) = match booking.target {
        Target::Room(_) => ("rooms", "room_id", "room"),
        Target::Venue(_) => ("venues", "venue_id", "venue"),
    };
    let (Target::Room(id) | Target::Venue(id)) = booking.target;
    let price_column = if label == "room" { "price_per_night" } else { "price_per_event" };
    let found: Option<(String, i64, i64)> = tx
        .query_row(
            &format!("SELECT name, capacity, {price_column} FROM {table} WHERE id = ?1"),
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((name, capacity, price)) = found else {
        let message = format!("The selected {label} id is invalid.");
        return Ok(Err(WriteError::Invalid(ValidationErrors::one(field, message))));
    };

    let mut errors = Vec::new();
    if booking.guests > capacity {
        errors.push(("guests", format!("{name} holds at most {capacity} guests.")));
    }
    let end = booking.end_exclusive();
    if let Some(range) = blocked_dates::first_overlapping(&tx, booking.check_in, end)? {
        let message = format!(
            "The resort takes no bookings from {} to {}: {}.",
            range.start_date, range.end_date, range.reason
        );
        errors.push(("check_in", message));
    } else if overlaps_active(&tx, booking.target, booking.check_in, end)? {
        errors.push(("check_in", format!("{name} is already booked for some of these dates.")));
    }
    if !errors.is_empty() {
        return Ok(Err(WriteError::Invalid(ValidationErrors(errors))));
    }

    let reference = loop {
        let candidate = reference::generate();
        let taken: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM bookings WHERE reference = ?1)", [&candidate], |row| {
            row.get(0)
        })?;
        if !taken {
            break candidate;
        }
    };
    let (room_id, venue_id) = match booking.target {
        Target::Room(id) => (Some(id), None),
        Target::Venue(id) => (None, Some(id)),
    };
    tx.execute(
        "INSERT INTO bookings (reference, guest_name, guest_email, guest_phone, room_id, venue_id,
                               check_in, check_out, guests, total_price, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            reference,
            booking.guest_name,
            booking.guest_email,
            booking.guest_phone,
            room_id,
            venue_id,
            booking.check_in.to_string(),
            booking.check_out.map(|day| day.to_string()),
            booking.guests,
            price * booking.nights(),
            Status::Pending,
            now,
        ],
    )?;
    let stored = find(&tx, &reference)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    tx.commit()?;
    Ok(Ok(stored))
}

/// Moves booking `reference` to `next` if its current status allows it.
pub fn update_status(conn: &mut Connection, reference: &str, next: Status, now: &str) -> rusqlite::Result<Result<Booking, WriteError>> {
    let tx = conn.transaction()?;
    let Some(current) = find(&tx, reference)? else {
        return Ok(Err(WriteError::NotFound));
    };
    if !current.status.can_become(next) {
        let message = format!("A {} booking cannot become {next}.", current.status);
        return Ok(Err(WriteError::Invalid(ValidationErrors::one("status", message))));
    }
    tx.execute(
        "UPDATE bookings SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![next, now, current.id],
    )?;
    let updated = find(&tx, reference)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    tx.commit()?;
    Ok(Ok(updated))
}
