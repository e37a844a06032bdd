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

use crate::rooms;

/// The schema, applied on every start; each statement is idempotent.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rooms (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 20),
    price_per_night INTEGER NOT NULL CHECK (price_per_night > 0),
    updated_at      TEXT    NOT NULL
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
    /// parent directory, applies the schema and seeds the demo rooms when the
    /// table is empty.
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
        conn.execute_batch(SCHEMA)?;
        rooms::seed_if_empty(&mut conn)?;
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
