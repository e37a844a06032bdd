//! The Reverb delivery path against a fake Pusher HTTP API on localhost:
//! checks the exact request (path, body, signature) and that failures are
//! retried rather than lost.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::post,
    Router,
};
use echo_demo_api::{
    broadcast::{signing, BroadcastSink, PusherHttpSink},
    BroadcastEvent, Config, ReverbConfig,
};
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// What the fake server saw: `(app_id, query, body)` per request.
type Seen = Arc<Mutex<Vec<(String, HashMap<String, String>, String)>>>;

/// Starts a fake Reverb that answers the given statuses in turn (then 200).
async fn fake_reverb(statuses: Vec<StatusCode>) -> (ReverbConfig, Seen) {
    let seen: Seen = Arc::default();
    let statuses = Arc::new(Mutex::new(statuses.into_iter()));
    let handler =
        move |State(seen): State<Seen>, Path(app_id): Path<String>, Query(query): Query<HashMap<String, String>>, body: String| {
            let statuses = Arc::clone(&statuses);
            async move {
                seen.lock().unwrap().push((app_id, query, body));
                let status = statuses.lock().unwrap().next().unwrap_or(StatusCode::OK);
                (status, if status.is_success() { "{}" } else { "{\"error\":\"try later\"}" })
            }
        };
    let router = Router::new()
        .route("/apps/{app_id}/events", post(handler))
        .with_state(Arc::clone(&seen));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let config = ReverbConfig {
        port,
        ..Config::default().reverb
    };
    (config, seen)
}

fn rooms_updated() -> BroadcastEvent {
    BroadcastEvent {
        channels: vec!["rooms".into()],
        name: "RoomsUpdated".into(),
        payload: json!({ "room_ids": [1], "updated_at": "2026-01-31T09:15:00Z" }),
    }
}

#[tokio::test]
async fn posts_a_correctly_signed_trigger_request() {
    let (config, seen) = fake_reverb(vec![]).await;
    let sink = PusherHttpSink::new(config.clone()).unwrap();
    sink.deliver(&rooms_updated()).await.unwrap();

    let seen = seen.lock().unwrap();
    let (app_id, query, body) = &seen[0];
    assert_eq!(app_id, "echo-rs-app");
    let parsed: Value = serde_json::from_str(body).unwrap();
    assert_eq!(parsed["name"], "RoomsUpdated");
    assert_eq!(parsed["channels"], json!(["rooms"]));
    let data: Value = serde_json::from_str(parsed["data"].as_str().unwrap()).unwrap();
    assert_eq!(data, rooms_updated().payload);

    assert_eq!(query["auth_key"], config.key);
    assert_eq!(query["auth_version"], "1.0");
    assert_eq!(query["body_md5"], signing::body_md5_hex(body.as_bytes()));
    let timestamp: u64 = query["auth_timestamp"].parse().unwrap();
    let expected = signing::events_query(&config.key, &config.secret, app_id, timestamp, body.as_bytes());
    assert!(expected.ends_with(&format!("auth_signature={}", query["auth_signature"])));
}

#[tokio::test]
async fn reports_rejections_with_status_and_body() {
    let (config, _) = fake_reverb(vec![StatusCode::SERVICE_UNAVAILABLE]).await;
    let err = PusherHttpSink::new(config).unwrap().deliver(&rooms_updated()).await.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "server answered HTTP 503: {\"error\":\"try later\"}");
}

#[tokio::test]
async fn the_worker_retries_until_the_server_accepts() {
    let (config, seen) = fake_reverb(vec![StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY]).await;
    let (broadcaster, worker) = echo_demo_api::Broadcaster::spawn(PusherHttpSink::new(config).unwrap());
    broadcaster.dispatch(rooms_updated());
    drop(broadcaster);
    tokio::time::timeout(Duration::from_secs(10), worker).await.unwrap().unwrap();
    assert_eq!(seen.lock().unwrap().len(), 3);
}
