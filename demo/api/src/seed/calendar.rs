//! Blocked ranges and bookings, dated relative to the server's today.

use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection};

use crate::clock;

fn day(offset: i64) -> String {
    let today = clock::today();
    let moved = if offset >= 0 {
        today.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    moved.unwrap_or(NaiveDate::MIN).to_string()
}

/// Two closures: a wedding buyout and the yearly pool maintenance.
pub fn blocked_dates(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    let ranges = [
        (45, 47, "Private buyout for the Villanueva–Reyes wedding"),
        (90, 92, "Annual pool resurfacing and beachfront maintenance"),
    ];
    for (start, end, reason) in ranges {
        conn.execute(
            "INSERT INTO blocked_dates (start_date, end_date, reason, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![day(start), day(end), reason, now],
        )?;
    }
    Ok(())
}

/// `(reference, name, email, phone, room_id, venue_id, check-in offset,
/// nights (0 for an event), guests, total PHP, status)`.
type SeedBooking = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
    &'static str,
);

const BOOKINGS: [SeedBooking; 5] = [
    (
        "CMR-7K3Q9",
        "Jose Bautista",
        "jose.bautista@example.ph",
        "+63 917 555 0142",
        Some(2),
        None,
        7,
        3,
        2,
        23_400,
        "confirmed",
    ),
    (
        "CMR-H4PX2",
        "Angelica Tan",
        "angelica.tan@example.ph",
        "+63 918 555 0177",
        Some(1),
        None,
        14,
        2,
        2,
        9_000,
        "pending",
    ),
    (
        "CMR-M8TD6",
        "Ramon and Grace Villanueva",
        "grace.villanueva@example.ph",
        "+63 920 555 0119",
        None,
        Some(1),
        21,
        0,
        180,
        85_000,
        "confirmed",
    ),
    (
        "CMR-R2WB5",
        "Kristine Domingo",
        "kdomingo@example.ph",
        "+63 927 555 0163",
        Some(3),
        None,
        -20,
        2,
        5,
        19_000,
        "completed",
    ),
    (
        "CMR-B5NJ8",
        "Mark Aquino",
        "mark.aquino@example.ph",
        "+63 939 555 0108",
        Some(4),
        None,
        10,
        2,
        2,
        7_600,
        "cancelled",
    ),
];

/// A few bookings in every state.
pub fn bookings(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    for (reference, name, email, phone, room_id, venue_id, check_in, nights, guests, total, status) in BOOKINGS {
        let check_out = (nights > 0).then(|| day(check_in + nights));
        conn.execute(
            "INSERT INTO bookings (reference, guest_name, guest_email, guest_phone, room_id, venue_id,
                                   check_in, check_out, guests, total_price, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                reference,
                name,
                email,
                phone,
                room_id,
                venue_id,
                day(check_in),
                check_out,
                guests,
                total,
                status,
                now
            ],
        )?;
    }
    Ok(())
}
