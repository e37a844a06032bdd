//! Shared set-up: a server on an ephemeral port over a temporary SQLite file,
//! with broadcasts captured by a channel sink instead of sent anywhere.

#![allow(dead_code)] // each test binary uses a different part

use echo_demo_api::{
    app,
    broadcast::{BroadcastSink, DeliveryError},
    AppState, BroadcastConnection, BroadcastEvent, Broadcaster, Config, Db,
};
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::mpsc};

/// A sink that hands every event to the test.
pub struct ChannelSink(pub mpsc::UnboundedSender<BroadcastEvent>);

impl BroadcastSink for ChannelSink {
    async fn deliver(&self, event: &BroadcastEvent) -> Result<(), DeliveryError> {
        self.0
            .send(event.clone())
            .map_err(|_| DeliveryError::Transport("test receiver gone".into()))
    }
}

/// A running server and what the test needs to talk to and observe it.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Every event the worker delivered, in order.
    pub events: mpsc::UnboundedReceiver<BroadcastEvent>,
    /// The configuration the server runs with.
    pub config: Config,
    /// HTTP client for the test.
    pub client: reqwest::Client,
    _dir: TempDir,
}

impl TestServer {
    /// Starts a fresh server with freshly seeded data.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            api_port: 0,
            database_path: dir.path().join("nested/demo.sqlite"),
            broadcast_connection: BroadcastConnection::Log,
            ..Config::default()
        };
        let db = Db::open(&config.database_path).unwrap();
        let (sender, events) = mpsc::unbounded_channel();
        let (broadcaster, _worker) = Broadcaster::spawn(ChannelSink(sender));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let router = app(AppState::new(config.clone(), db, broadcaster));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self {
            base_url,
            events,
            config,
            client: reqwest::Client::new(),
            _dir: dir,
        }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}
