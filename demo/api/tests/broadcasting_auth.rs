//! `POST /broadcasting/auth` end to end, with real sign-in tokens.

mod common;

use base64::Engine as _;
use common::{day, TestServer};
use echo_demo_api::broadcast::signing;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn authorize(server: &TestServer, token: Option<&str>, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut request = server.client.post(server.url("/broadcasting/auth")).form(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

const DASHBOARD: [(&str, &str); 2] = [("socket_id", "1234.5678"), ("channel_name", "private-admin.dashboard")];

#[tokio::test]
async fn admin_and_staff_may_join_the_admin_dashboard() {
    let server = TestServer::start().await;
    let reverb = &server.config.reverb;
    let expected = signing::channel_auth(&reverb.key, &reverb.secret, "1234.5678", "private-admin.dashboard", None);
    for role in ["admin", "staff"] {
        let token = server.token(role).await;
        let (status, body) = authorize(&server, Some(&token), &DASHBOARD).await;
        assert_eq!(status, StatusCode::OK, "{role}: {body}");
        assert_eq!(body["auth"], expected);
        assert!(body.get("channel_data").is_none());
    }
}

#[tokio::test]
async fn guests_and_anonymous_callers_may_not_join_the_admin_dashboard() {
    let server = TestServer::start().await;
    let guest = server.token("guest").await;
    for token in [Some(guest.as_str()), None, Some("not-a-live-token"), Some("demo-user-1")] {
        let (status, body) = authorize(&server, token, &DASHBOARD).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}");
        assert!(body["message"].is_string());
    }
}

/// Books a stay as a guest would and answers the private channel its
/// `BookingCreated` model event was broadcast on.
async fn booking_channel(server: &mut TestServer) -> String {
    let body = json!({
        "room_id": 1, "guest_name": "Maria Santos", "guest_email": "maria.santos@example.ph",
        "guest_phone": "+63 917 555 0142", "check_in": day(200), "check_out": day(202), "guests": 2,
    });
    let (status, booking) = server.send(Method::POST, "/api/bookings", None, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let [_, created] = server.next_events().await;
    assert_eq!(created.name, "BookingCreated");
    created.channels[0].clone()
}

#[tokio::test]
async fn admin_and_staff_may_join_a_bookings_model_channel() {
    let mut server = TestServer::start().await;
    let channel = booking_channel(&mut server).await;
    assert!(channel.starts_with("private-App.Models.Booking."), "{channel}");
    let reverb = &server.config.reverb;
    let expected = signing::channel_auth(&reverb.key, &reverb.secret, "1234.5678", &channel, None);
    for role in ["admin", "staff"] {
        let token = server.token(role).await;
        let (status, body) = authorize(&server, Some(&token), &[("socket_id", "1234.5678"), ("channel_name", &channel)]).await;
        assert_eq!(status, StatusCode::OK, "{role}: {body}");
        assert_eq!(body, json!({ "auth": expected }), "{role}");
    }
}

#[tokio::test]
async fn guests_and_anonymous_callers_may_not_join_a_bookings_model_channel() {
    let mut server = TestServer::start().await;
    let channel = booking_channel(&mut server).await;
    let guest = server.token("guest").await;
    for token in [Some(guest.as_str()), None, Some("not-a-live-token")] {
        let (status, body) = authorize(&server, token, &[("socket_id", "1.2"), ("channel_name", &channel)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}: {body}");
        assert!(body["message"].is_string());
    }
}

#[tokio::test]
async fn malformed_or_unknown_booking_channels_are_refused_even_to_the_admin() {
    let mut server = TestServer::start().await;
    let channel = booking_channel(&mut server).await;
    let id: i64 = channel.rsplit('.').next().unwrap().parse().unwrap();
    let admin = server.token("admin").await;
    let unknown = format!("private-App.Models.Booking.{}", id + 1000);
    let leading_zero = format!("private-App.Models.Booking.0{id}");
    let extra_dot = format!("{channel}.");
    let nested = format!("{channel}.1");
    let public = channel.trim_start_matches("private-").to_owned();
    for name in [
        unknown.as_str(),
        leading_zero.as_str(),
        extra_dot.as_str(),
        nested.as_str(),
        public.as_str(),
        "private-App.Models.Booking.",
        "private-App.Models.Booking",
        "private-App.Models.Booking.abc",
        "private-App.Models.Booking..1",
        "private-App.Models.Booking.-1",
        "private-App.Models.Booking.+1",
        "private-App.Models.Booking.0",
        "private-App.Models.Booking.99999999999999999999",
        "private-App.Models.Bookings.1",
        "private-App.Models.User.1",
    ] {
        let (status, body) = authorize(&server, Some(&admin), &[("socket_id", "1.2"), ("channel_name", name)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {body}");
    }
    // The channel itself is fine for the admin.
    let (status, _) = authorize(&server, Some(&admin), &[("socket_id", "1.2"), ("channel_name", &channel)]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn signs_presence_channels_with_the_users_channel_data() {
    let server = TestServer::start().await;
    let token = server.token("guest").await;
    let (_, me) = server.send(reqwest::Method::GET, "/api/me", Some(&token), None).await;
    let form = [("socket_id", "1.2"), ("channel_name", "presence-lobby")];
    let (status, body) = authorize(&server, Some(&token), &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let channel_data = body["channel_data"].as_str().unwrap();
    let member: Value = serde_json::from_str(channel_data).unwrap();
    assert_eq!(
        member["user_id"],
        me["id"].to_string(),
        "user_id is sent as a string, as the Pusher protocol has it"
    );
    assert_eq!(member["user_info"]["name"], "Camille Reyes");
    let reverb = &server.config.reverb;
    let expected = signing::channel_auth(&reverb.key, &reverb.secret, "1.2", "presence-lobby", Some(channel_data));
    assert_eq!(body["auth"], expected);
}

#[tokio::test]
async fn encrypted_channels_get_the_pusher_shared_secret() {
    let server = TestServer::start().await;
    let token = server.token("guest").await;
    let channel = "private-encrypted-booking.CMR-7K3Q9";
    let (status, body) = authorize(&server, Some(&token), &[("socket_id", "1.2"), ("channel_name", channel)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let reverb = &server.config.reverb;
    assert_eq!(
        body["auth"],
        signing::channel_auth(&reverb.key, &reverb.secret, "1.2", channel, None)
    );
    let secret = base64::engine::general_purpose::STANDARD
        .decode(body["shared_secret"].as_str().unwrap())
        .unwrap();
    assert_eq!(secret.len(), 32, "a NaCl secretbox key");
    let expected = Sha256::digest(format!("{channel}{}", reverb.secret).as_bytes());
    assert_eq!(secret, expected.as_slice());
}

#[tokio::test]
async fn refuses_public_and_unknown_private_channels() {
    let server = TestServer::start().await;
    let token = server.token("admin").await;
    for channel in ["rooms", "booking.CMR-7K3Q9", "private-somewhere-else"] {
        let (status, _) = authorize(&server, Some(&token), &[("socket_id", "1.2"), ("channel_name", channel)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{channel}");
    }
}

#[tokio::test]
async fn missing_or_malformed_fields_are_422() {
    let server = TestServer::start().await;
    let token = server.token("admin").await;
    let (status, body) = authorize(&server, Some(&token), &[("channel_name", "private-admin.dashboard")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"]["socket_id"][0], "The socket id field is required.");

    let (status, body) = authorize(&server, Some(&token), &[("socket_id", "abc"), ("channel_name", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["socket_id"].is_array() && body["errors"]["channel_name"].is_array(),
        "{body}"
    );
}
