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

/// A date `offset` days from the server's today, `YYYY-MM-DD`.
pub fn day(offset: i64) -> String {
    (chrono::Local::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

impl TestServer {
    /// Sends `method path` with an optional bearer token and JSON body;
    /// answers the status and the JSON body (`null` when empty).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
        };
        (status, json)
    }

    /// `GET path` without a token.
    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        self.send(reqwest::Method::GET, path, None, None).await
    }

    /// Signs in as the seeded account of `role` (`admin`, `staff`, `guest`)
    /// and returns the token.
    pub async fn token(&self, role: &str) -> String {
        let body = serde_json::json!({ "email": format!("{role}@casamarcelino.test"), "password": format!("{role}-password") });
        let (status, answer) = self.send(reqwest::Method::POST, "/api/login", None, Some(body)).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
        answer["token"].as_str().unwrap().to_owned()
    }

    /// The next broadcast event, waiting up to five seconds.
    pub async fn next_event(&mut self) -> BroadcastEvent {
        tokio::time::timeout(std::time::Duration::from_secs(5), self.events.recv())
            .await
            .expect("an event within 5 s")
            .expect("the worker is running")
    }

    /// The next `N` broadcast events, in order, each waited for as in
    /// [`next_event`](Self::next_event).
    pub async fn next_events<const N: usize>(&mut self) -> [BroadcastEvent; N] {
        let mut events = Vec::with_capacity(N);
        for _ in 0..N {
            events.push(self.next_event().await);
        }
        events.try_into().unwrap()
    }

    /// Asserts nothing was broadcast (after giving the worker a moment).
    pub async fn assert_no_event(&mut self) {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if let Ok(event) = self.events.try_recv() {
            panic!("unexpected broadcast: {event:?}");
        }
    }
}
