//! The rooms API end to end: real HTTP against a real SQLite file.

mod common;

use std::time::Duration;

use common::TestServer;
use reqwest::{header::CONTENT_TYPE, StatusCode};
use serde_json::{json, Value};

async fn get_json(server: &TestServer, path: &str) -> (StatusCode, Value) {
    let response = server.client.get(server.url(path)).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

/// PATCHes `body` verbatim, signed in as the seeded admin.
async fn patch_raw(server: &TestServer, path: &str, body: &str) -> (StatusCode, Value) {
    let token = server.token("admin").await;
    let response = server
        .client
        .patch(server.url(path))
        .bearer_auth(token)
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn health_check_answers_ok() {
    let server = TestServer::start().await;
    let response = server.client.get(server.url("/up")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn lists_the_four_seeded_rooms_in_id_order() {
    let server = TestServer::start().await;
    let (status, rooms) = get_json(&server, "/api/rooms").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<_> = rooms
        .as_array()
        .unwrap()
        .iter()
        .map(|room| room["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Garden Villa", "Ocean View Suite", "Family Bungalow", "Treetop Cabin"]);
    let first = &rooms[0];
    assert_eq!(first["id"], 1);
    assert!(first["price_per_night"].as_i64().unwrap() > 0);
    assert!(first["updated_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn shows_one_room_or_404() {
    let server = TestServer::start().await;
    let (status, room) = get_json(&server, "/api/rooms/2").await;
    assert_eq!((status, room["name"].as_str()), (StatusCode::OK, Some("Ocean View Suite")));
    for missing in ["/api/rooms/99", "/api/rooms/abc"] {
        let (status, body) = get_json(&server, missing).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(body["message"], "Room not found.");
    }
}

#[tokio::test]
async fn patch_updates_the_room_and_broadcasts_rooms_updated() {
    let mut server = TestServer::start().await;
    let (status, room) = patch_raw(
        &server,
        "/api/admin/rooms/3",
        r#"{"name": "  Family Bungalow Deluxe ", "capacity": 7}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{room}");
    assert_eq!(room["name"], "Family Bungalow Deluxe");
    assert_eq!(room["capacity"], 7);

    let (_, shown) = get_json(&server, "/api/rooms/3").await;
    assert_eq!(shown, room);

    let event = tokio::time::timeout(Duration::from_secs(5), server.events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.channels, ["rooms"]);
    assert_eq!(event.name, "RoomsUpdated");
    assert_eq!(event.payload, json!({ "room_ids": [3], "updated_at": room["updated_at"] }));
}

#[tokio::test]
async fn malformed_json_is_a_4xx_with_a_message() {
    let server = TestServer::start().await;
    let (status, body) = patch_raw(&server, "/api/admin/rooms/1", r#"{"name": "#).await;
    assert!(status.is_client_error(), "{status}");
    assert!(body["message"].as_str().unwrap().contains("JSON"), "{body}");

    let (status, body) = patch_raw(&server, "/api/admin/rooms/1", r#"{"nmae": "Typo"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["message"].as_str().unwrap().contains("nmae"), "{body}");
}

#[tokio::test]
async fn patching_an_unknown_room_is_404() {
    let server = TestServer::start().await;
    let (status, body) = patch_raw(&server, "/api/admin/rooms/42", r#"{"name": "Ghost Room"}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message"], "Room not found.");
}

#[tokio::test]
async fn invalid_changes_are_422_and_change_nothing() {
    let mut server = TestServer::start().await;
    let (_, before) = get_json(&server, "/api/rooms/1").await;

    let (status, body) = patch_raw(&server, "/api/admin/rooms/1", r#"{"name": "Renamed", "capacity": 21}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["message"], "The capacity field must be between 1 and 20.");
    assert_eq!(body["errors"]["capacity"][0], body["message"]);

    let (_, after) = get_json(&server, "/api/rooms/1").await;
    assert_eq!(after, before);
    assert!(server.events.try_recv().is_err(), "nothing is broadcast");
}

#[tokio::test]
async fn unknown_routes_are_json_404s_and_cors_is_open() {
    let server = TestServer::start().await;
    let (status, body) = get_json(&server, "/api/spa-packages").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message"], "The route api/spa-packages could not be found.");

    let preflight = server
        .client
        .request(reqwest::Method::OPTIONS, server.url("/api/admin/rooms/1"))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PATCH")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::OK);
    // Any origin, echoed back since credentials (cookies) are allowed.
    assert_eq!(preflight.headers()["access-control-allow-origin"], "http://localhost:5173");
    assert_eq!(preflight.headers()["access-control-allow-credentials"], "true");
    assert!(preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PATCH"));
}

#[tokio::test]
async fn patching_a_room_needs_a_staff_token() {
    let mut server = TestServer::start().await;
    let body = json!({ "name": "Sneaky Rename" });
    let (status, _) = server
        .send(reqwest::Method::PATCH, "/api/admin/rooms/1", None, Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let guest = server.token("guest").await;
    let (status, answer) = server
        .send(reqwest::Method::PATCH, "/api/admin/rooms/1", Some(&guest), Some(body))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(answer["message"], "This action is unauthorized.");
    let (_, room) = get_json(&server, "/api/rooms/1").await;
    assert_eq!(room["name"], "Garden Villa");
    server.assert_no_event().await;
}

#[tokio::test]
async fn availability_leaves_out_booked_rooms_and_blocked_ranges() {
    let server = TestServer::start().await;
    // The seeded confirmed booking CMR-7K3Q9 holds the Ocean View Suite (2)
    // for three nights from today + 7; Treetop Cabin's (4) is cancelled.
    let path = format!("/api/rooms/availability?check_in={}&check_out={}", common::day(8), common::day(9));
    let (status, rooms) = get_json(&server, &path).await;
    assert_eq!(status, StatusCode::OK, "{rooms}");
    let ids: Vec<_> = rooms.as_array().unwrap().iter().map(|room| room["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 3, 4]);

    let path = format!(
        "/api/rooms/availability?check_in={}&check_out={}&guests=5",
        common::day(8),
        common::day(9)
    );
    let (_, rooms) = get_json(&server, &path).await;
    assert_eq!(rooms.as_array().unwrap().len(), 1, "only the Family Bungalow holds 5");

    // The seeded wedding buyout blocks today + 45 to + 47.
    let path = format!("/api/rooms/availability?check_in={}&check_out={}", common::day(44), common::day(46));
    let (_, rooms) = get_json(&server, &path).await;
    assert_eq!(rooms, json!([]));

    let (status, body) = get_json(&server, "/api/rooms/availability?check_in=2020-01-01&check_out=tomorrow").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["check_in"].is_array() && body["errors"]["check_out"].is_array(),
        "{body}"
    );
}

#[tokio::test]
async fn prices_beyond_the_sanity_bound_are_422() {
    let server = TestServer::start().await;
    let admin = server.token("admin").await;
    for (path, field, over) in [
        ("/api/admin/rooms/1", "price_per_night", 1_000_001),
        ("/api/admin/venues/1", "price_per_event", 10_000_001),
    ] {
        let (status, body) = server
            .send(reqwest::Method::PATCH, path, Some(&admin), Some(json!({ field: over })))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert!(body["errors"][field][0].as_str().unwrap().contains("between 1 and"), "{body}");
        let (status, _) = server
            .send(reqwest::Method::PATCH, path, Some(&admin), Some(json!({ field: over - 1 })))
            .await;
        assert_eq!(status, StatusCode::OK, "{path}: the bound itself is accepted");
    }
}
