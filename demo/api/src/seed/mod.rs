//! The demo content of Casa Marcelino Resort & Events, a beach resort in
//! Laiya, San Juan, Batangas: inserted table by table, into whichever
//! tables are still empty, all in one transaction. Bookings and blocked
//! ranges are placed relative to today so the calendar always looks alive.

mod accounts;
mod calendar;
mod content;
mod rooms;

use rusqlite::Connection;

use crate::clock;

/// Fills one table, given the current timestamp.
type Seeder = fn(&Connection, &str) -> rusqlite::Result<()>;

/// Every seeded table, with the function that fills it.
const TABLES: [(&str, Seeder); 8] = [
    ("rooms", rooms::seed),
    ("venues", content::venues),
    ("gallery_items", content::gallery),
    ("reviews", content::reviews),
    ("contact_messages", content::contact_messages),
    ("users", accounts::seed),
    ("blocked_dates", calendar::blocked_dates),
    ("bookings", calendar::bookings),
];

/// Seeds every empty table, in one transaction.
pub fn seed_if_empty(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let now = clock::now_rfc3339();
    for (table, seed) in TABLES {
        let count: i64 = tx.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| row.get(0))?;
        if count == 0 {
            seed(&tx, &now)?;
            tracing::info!(table, "seeded demo data");
        }
    }
    tx.commit()
}
