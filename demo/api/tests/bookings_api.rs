//! Bookings end to end: creation and its validation, the receipt, and the
//! admin's status changes, with the broadcasts each one causes.

mod common;

use common::{day, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A valid stay in the Garden Villa (room 1, 2 guests), far from seeded dates.
fn stay(check_in: i64, nights: i64) -> Value {
    json!({
        "room_id": 1,
        "guest_name": "Maria Santos",
        "guest_email": "maria.santos@example.ph",
        "guest_phone": "+63 917 555 0142",
        "check_in": day(check_in),
        "check_out": day(check_in + nights),
        "guests": 2,
    })
}

async fn book(server: &TestServer, body: Value) -> (StatusCode, Value) {
    server.send(Method::POST, "/api/bookings", None, Some(body)).await
}

async fn booking_count(server: &TestServer) -> usize {
    let admin = server.token("admin").await;
    let (_, bookings) = server.send(Method::GET, "/api/admin/bookings", Some(&admin), None).await;
    bookings.as_array().unwrap().len()
}

#[tokio::test]
async fn a_booking_gets_a_reference_and_notifies_the_dashboard() {
    let mut server = TestServer::start().await;
    let (status, booking) = book(&server, stay(200, 3)).await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let reference = booking["reference"].as_str().unwrap();
    assert!(reference.starts_with("CMR-") && reference.len() == 9, "{reference}");
    assert_eq!(booking["status"], "pending");
    assert_eq!(booking["room"], json!({ "id": 1, "name": "Garden Villa" }));
    assert_eq!(booking["total_price"], 3 * 4_500);

    let event = server.next_event().await;
    assert_eq!(event.channels, ["private-admin.dashboard"]);
    assert_eq!(event.name, "AdminDashboardNotification");
    assert_eq!(
        event.payload,
        json!({ "kind": "booking_created", "booking_reference": reference, "created_at": booking["created_at"] })
    );

    let (status, receipt) = server.get(&format!("/api/bookings/{}", reference.to_lowercase())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(receipt["reference"], reference);
    assert_eq!(receipt["guest_name"], "Maria Santos");
    assert_eq!(receipt["room"]["name"], "Garden Villa");
    assert_eq!(receipt["check_in"], day(200));
    assert!(receipt.get("guest_email").is_none() && receipt.get("guest_phone").is_none());

    let (status, _) = server.get("/api/bookings/CMR-ZZZZZ").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_venue_booking_is_one_day() {
    let server = TestServer::start().await;
    let body = json!({
        "venue_id": 2, "guest_name": "Ramon Villanueva", "guest_email": "ramon@example.ph",
        "guest_phone": "0917 555 0199", "check_in": day(210), "guests": 100,
    });
    let (status, booking) = book(&server, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(booking["venue"]["name"], "Garden Terrace");
    assert_eq!(booking["check_out"], Value::Null);
    assert_eq!(booking["total_price"], 45_000);
    let (status, again) = book(&server, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again["errors"]["check_in"][0].as_str().unwrap().contains("already booked"));
}

/// The venues the availability endpoint offers on `day` (days from today).
async fn free_venues(server: &TestServer, day_offset: i64) -> Vec<i64> {
    let (status, venues) = server
        .send(
            Method::GET,
            &format!("/api/venues/availability?date={}", day(day_offset)),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{venues}");
    venues.as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn venue_availability_leaves_out_a_venue_booked_that_day_only() {
    let server = TestServer::start().await;
    let all = free_venues(&server, 220).await;
    assert!(all.contains(&2) && all.len() >= 2, "{all:?}");
    let body = json!({
        "venue_id": 2, "guest_name": "Ramon Villanueva", "guest_email": "ramon@example.ph",
        "guest_phone": "0917 555 0199", "check_in": day(220), "guests": 100,
    });
    assert_eq!(book(&server, body).await.0, StatusCode::CREATED);
    let that_day = free_venues(&server, 220).await;
    assert!(!that_day.contains(&2), "booked that day: {that_day:?}");
    assert_eq!(that_day.len(), all.len() - 1);
    assert_eq!(free_venues(&server, 221).await, all, "free again the next day");
    assert_eq!(free_venues(&server, 219).await, all, "and the day before");

    // A day the resort is closed: nothing is free.
    let admin = server.token("admin").await;
    let closed = json!({ "start_date": day(230), "end_date": day(231), "reason": "Typhoon season maintenance" });
    let (status, range) = server
        .send(Method::POST, "/api/admin/blocked-dates", Some(&admin), Some(closed))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{range}");
    assert!(free_venues(&server, 230).await.is_empty());

    for query in ["", "?date=", "?date=yesterday", &format!("?date={}", day(-1))] {
        let (status, body) = server
            .send(Method::GET, &format!("/api/venues/availability{query}"), None, None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body["errors"]["date"].is_array(), "{query}: {body}");
    }
}

/// Posts `body`, expects a 422 with an error on `field`, and checks that no
/// booking was stored and nothing was broadcast.
async fn refused(server: &mut TestServer, body: Value, field: &str) -> Value {
    let before = booking_count(server).await;
    let (status, answer) = book(server, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer["errors"][field].is_array(), "expected an error on {field}: {answer}");
    assert!(answer["message"].is_string());
    assert_eq!(booking_count(server).await, before, "nothing written");
    server.assert_no_event().await;
    answer
}

#[tokio::test]
async fn invalid_bookings_are_422_and_write_nothing() {
    let mut server = TestServer::start().await;

    refused(&mut server, stay(-3, 2), "check_in").await;

    let mut body = stay(200, 2);
    body["check_out"] = json!(day(199));
    refused(&mut server, body, "check_out").await;

    let mut body = stay(200, 2);
    body["guests"] = json!(3);
    let answer = refused(&mut server, body, "guests").await;
    assert_eq!(answer["errors"]["guests"][0], "Garden Villa holds at most 2 guests.");

    let mut body = stay(200, 2);
    body["room_id"] = json!(99);
    refused(&mut server, body, "room_id").await;

    let mut body = stay(200, 2);
    body["guest_email"] = json!("maria.santos");
    refused(&mut server, body, "guest_email").await;

    // The seeded wedding buyout blocks today + 45 to + 47.
    let answer = refused(&mut server, stay(44, 2), "check_in").await;
    assert!(answer["message"].as_str().unwrap().contains("Villanueva"), "{answer}");
}

#[tokio::test]
async fn overlapping_another_active_booking_is_422() {
    let mut server = TestServer::start().await;
    let (status, _) = book(&server, stay(200, 3)).await;
    assert_eq!(status, StatusCode::CREATED);
    server.next_events::<2>().await;

    let answer = refused(&mut server, stay(202, 2), "check_in").await;
    assert_eq!(answer["message"], "Garden Villa is already booked for some of these dates.");

    // Back to back is fine: check-out day is the next guest's check-in day.
    let (status, _) = book(&server, stay(203, 1)).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn malformed_json_is_a_4xx_with_a_message() {
    let server = TestServer::start().await;
    let response = server
        .client
        .post(server.url("/api/bookings"))
        .header("content-type", "application/json")
        .body("{\"room_id\": 1,")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    let body: Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("JSON"), "{body}");
}

#[tokio::test]
async fn status_changes_follow_the_life_cycle_and_broadcast_on_the_booking_channel() {
    let mut server = TestServer::start().await;
    let staff = server.token("staff").await;
    let (_, booking) = book(&server, stay(220, 2)).await;
    let reference = booking["reference"].as_str().unwrap().to_owned();
    server.next_events::<2>().await;
    let path = format!("/api/admin/bookings/{reference}");

    let (status, updated) = server
        .send(Method::PATCH, &path, Some(&staff), Some(json!({ "status": "confirmed" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["status"], "confirmed");
    let [event, _model_event] = server.next_events().await;
    assert_eq!(event.channels, [format!("booking.{reference}")]);
    assert_eq!(event.name, "BookingStatusUpdated");
    assert_eq!(
        event.payload,
        json!({ "reference": reference, "status": "confirmed", "updated_at": updated["updated_at"] })
    );

    let (status, answer) = server
        .send(Method::PATCH, &path, Some(&staff), Some(json!({ "status": "pending" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["errors"]["status"][0], "A confirmed booking cannot become pending.");
    let (status, _) = server
        .send(Method::PATCH, &path, Some(&staff), Some(json!({ "status": "lost" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    server.assert_no_event().await;

    let (status, _) = server
        .send(Method::PATCH, &path, Some(&staff), Some(json!({ "status": "cancelled" })))
        .await;
    assert_eq!(status, StatusCode::OK);
    let [event, _model_event] = server.next_events().await;
    assert_eq!(event.payload["status"], "cancelled");
    let (_, receipt) = server.get(&path.replace("/admin", "")).await;
    assert_eq!(receipt["status"], "cancelled");

    // A cancelled booking frees its dates.
    let (status, _) = book(&server, stay(220, 2)).await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, _) = server
        .send(
            Method::PATCH,
            "/api/admin/bookings/CMR-ZZZZZ",
            Some(&staff),
            Some(json!({ "status": "confirmed" })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let guest = server.token("guest").await;
    let (status, _) = server
        .send(Method::PATCH, &path, Some(&guest), Some(json!({ "status": "completed" })))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// What Laravel's model broadcasting sends for `booking` (as the API
/// answered it): `BroadcastableModelEventOccurred` with a small `model`.
fn model_event_payload(booking: &Value) -> Value {
    json!({
        "model": {
            "id": booking["id"],
            "reference": booking["reference"],
            "status": booking["status"],
            "updated_at": booking["updated_at"],
        },
        "connection": null,
        "queue": null,
        "afterCommit": false,
    })
}

#[tokio::test]
async fn bookings_broadcast_laravel_model_events_on_their_private_model_channel() {
    let mut server = TestServer::start().await;
    let staff = server.token("staff").await;

    let (status, booking) = book(&server, stay(240, 2)).await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let channel = format!("private-App.Models.Booking.{}", booking["id"].as_i64().unwrap());
    let [dashboard, created] = server.next_events().await;
    assert_eq!(dashboard.name, "AdminDashboardNotification", "the old event still comes first");
    assert_eq!(created.channels, [channel.as_str()]);
    assert_eq!(created.name, "BookingCreated");
    assert_eq!(created.payload, model_event_payload(&booking));
    assert_eq!(created.payload["model"]["status"], "pending");
    assert!(
        created.payload["model"]["updated_at"].as_str().unwrap().ends_with('Z'),
        "{}",
        created.payload
    );

    let path = format!("/api/admin/bookings/{}", booking["reference"].as_str().unwrap());
    for next in ["confirmed", "completed"] {
        let (status, updated) = server
            .send(Method::PATCH, &path, Some(&staff), Some(json!({ "status": next })))
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        let [status_updated, model_updated] = server.next_events().await;
        assert_eq!(status_updated.name, "BookingStatusUpdated", "the old event still comes first");
        assert_eq!(model_updated.channels, [channel.as_str()]);
        assert_eq!(model_updated.name, "BookingUpdated");
        assert_eq!(model_updated.payload, model_event_payload(&updated));
        assert_eq!(model_updated.payload["model"]["status"], next);
    }

    // Another booking has its own channel.
    let (_, other) = book(&server, stay(250, 1)).await;
    let [_, created] = server.next_events().await;
    assert_ne!(other["id"], booking["id"]);
    assert_eq!(
        created.channels,
        [format!("private-App.Models.Booking.{}", other["id"].as_i64().unwrap())]
    );
    server.assert_no_event().await;
}

#[tokio::test]
async fn the_admin_list_filters_by_status() {
    let server = TestServer::start().await;
    let admin = server.token("admin").await;
    let (status, pending) = server
        .send(Method::GET, "/api/admin/bookings?status=pending", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let references: Vec<_> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reference"].as_str().unwrap())
        .collect();
    assert_eq!(references, ["CMR-H4PX2"]);
    assert_eq!(pending[0]["guest_email"], "angelica.tan@example.ph");
    let (status, _) = server
        .send(Method::GET, "/api/admin/bookings?status=lost", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
