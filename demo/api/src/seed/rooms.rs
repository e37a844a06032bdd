//! The resort's four rooms.

use rusqlite::{params, Connection};

/// `(name, description, capacity, price_per_night in PHP)`.
const ROOMS: [(&str, &str, i64, i64); 4] = [
    (
        "Garden Villa",
        "A private villa opening onto the tropical garden, with a queen bed and an outdoor rain shower.",
        2,
        4_500,
    ),
    (
        "Ocean View Suite",
        "A top-floor corner suite with a king bed and a wide balcony that looks straight out to sea.",
        3,
        7_800,
    ),
    (
        "Family Bungalow",
        "A two-bedroom bungalow a short walk from the pool, with a kitchenette and room for the whole family.",
        6,
        9_500,
    ),
    (
        "Treetop Cabin",
        "A wooden cabin raised among the mango trees, reached by a spiral stair and cooled by the sea breeze.",
        2,
        3_800,
    ),
];

/// Inserts the demo rooms.
pub fn seed(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    let mut insert = conn.prepare(
        "INSERT INTO rooms (name, description, capacity, price_per_night, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (name, description, capacity, price) in ROOMS {
        insert.execute(params![name, description, capacity, price, now])?;
    }
    Ok(())
}
