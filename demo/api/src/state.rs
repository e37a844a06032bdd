//! What every request handler shares.

use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::{broadcast::Broadcaster, config::Config, db::Db, db::DbError};

/// Shared application state: cheap to clone, one per server.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// The database.
    pub db: Db,
    /// Where handlers dispatch broadcast events.
    pub broadcaster: Broadcaster,
}

/// The server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened or prepared.
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// The HTTP client for the WebSocket server could not be built.
    #[error("broadcast client: {0}")]
    Broadcast(#[from] reqwest::Error),
}

impl AppState {
    /// Assembles the state from its parts; tests use this with their own
    /// database and broadcaster.
    pub fn new(config: Config, db: Db, broadcaster: Broadcaster) -> Self {
        Self {
            config: Arc::new(config),
            db,
            broadcaster,
        }
    }

    /// Opens the configured database and starts the configured broadcast
    /// worker, returning the state and the worker's task.
    pub fn from_config(config: Config) -> Result<(Self, JoinHandle<()>), StartupError> {
        let db = Db::open(&config.database_path)?;
        let (broadcaster, worker) = Broadcaster::from_config(&config)?;
        Ok((Self::new(config, db, broadcaster), worker))
    }
}
