//! The embedded SQLite database.
//!
//! One [`rusqlite::Connection`] sits behind a mutex; async code reaches it
//! through [`Db::call`], which runs the blocking work on Tokio's blocking
//! thread pool so request handlers never stall the async runtime. A single
//! connection is plenty for a demo and keeps writes trivially serialized.

use std::{
    path::Path,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use rusqlite::Connection;

use crate::seed;

/// The schema, applied on every start; each statement is idempotent.
///
/// Dates are `YYYY-MM-DD` text, timestamps RFC 3339 UTC text, booleans 0/1.
/// A venue booking covers the single day `check_in` and has no `check_out`.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rooms (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 20),
    price_per_night INTEGER NOT NULL CHECK (price_per_night > 0),
    updated_at      TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS venues (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    price_per_event INTEGER NOT NULL CHECK (price_per_event > 0),
    updated_at      TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS gallery_items (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    caption    TEXT NOT NULL,
    color      TEXT NOT NULL CHECK (color GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
    id         INTEGER PRIMARY KEY,
    guest_name TEXT    NOT NULL,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body       TEXT    NOT NULL,
    approved   INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS blocked_dates (
    id         INTEGER PRIMARY KEY,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL CHECK (end_date >= start_date),
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bookings (
    id          INTEGER PRIMARY KEY,
    reference   TEXT    NOT NULL UNIQUE,
    guest_name  TEXT    NOT NULL,
    guest_email TEXT    NOT NULL,
    guest_phone TEXT    NOT NULL,
    room_id     INTEGER REFERENCES rooms (id) ON DELETE RESTRICT,
    venue_id    INTEGER REFERENCES venues (id) ON DELETE RESTRICT,
    check_in    TEXT    NOT NULL,
    check_out   TEXT,
    guests      INTEGER NOT NULL CHECK (guests >= 1),
    total_price INTEGER NOT NULL CHECK (total_price > 0),
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'completed')),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CHECK ((room_id IS NULL) <> (venue_id IS NULL)),
    CHECK ((room_id IS NOT NULL AND check_out > check_in) OR (venue_id IS NOT NULL AND check_out IS NULL))
);
CREATE INDEX IF NOT EXISTS bookings_room ON bookings (room_id, check_in);
CREATE INDEX IF NOT EXISTS bookings_venue ON bookings (venue_id, check_in);
CREATE TABLE IF NOT EXISTS contact_messages (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    subject    TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'guest')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL
);
";

/// A database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite reported an error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The database file's directory could not be created.
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
    /// The blocking task running the query panicked or was cancelled.
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A cheaply clonable handle to the database.
#[derive(Clone, Debug)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path`, creates its
    /// parent directory, turns foreign keys on, applies the schema and seeds
    /// the demo data into a fresh database.
    ///
    /// This blocks briefly; call it at start-up, before serving requests.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::init(conn)
    }

    /// Opens a private in-memory database, schema applied and seeded.
    pub fn open_in_memory() -> Result<Self, DbError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, DbError> {
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.execute_batch(SCHEMA)?;
        seed::seed_if_empty(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with exclusive access to the connection on the blocking
    /// thread pool and returns its result.
    pub async fn call<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic in an earlier closure cannot leave a transaction open
            // (`Transaction` rolls back on drop), so a poisoned lock is safe to reuse.
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn)
        })
        .await?
        .map_err(DbError::from)
    }
}
