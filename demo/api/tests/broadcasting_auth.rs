//! `POST /broadcasting/auth` end to end.

mod common;

use common::TestServer;
use echo_demo_api::broadcast::signing;
use reqwest::StatusCode;
use serde_json::Value;

async fn authorize(server: &TestServer, token: Option<&str>, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut request = server.client.post(server.url("/broadcasting/auth")).form(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn signs_private_channels() {
    let server = TestServer::start().await;
    let form = [("socket_id", "1234.5678"), ("channel_name", "private-admin.dashboard")];
    let (status, body) = authorize(&server, Some("demo-user-1"), &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reverb = &server.config.reverb;
    let expected = signing::channel_auth(&reverb.key, &reverb.secret, "1234.5678", "private-admin.dashboard", None);
    assert_eq!(body["auth"], expected);
    assert!(body.get("channel_data").is_none());
}

#[tokio::test]
async fn signs_presence_channels_with_the_users_channel_data() {
    let server = TestServer::start().await;
    let form = [("socket_id", "1.2"), ("channel_name", "presence-lobby")];
    let (status, body) = authorize(&server, Some("demo-user-7"), &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let channel_data = body["channel_data"].as_str().unwrap();
    let member: Value = serde_json::from_str(channel_data).unwrap();
    assert_eq!(member["user_id"], 7);
    assert_eq!(member["user_info"]["name"], "Demo User 7");
    let reverb = &server.config.reverb;
    let expected = signing::channel_auth(&reverb.key, &reverb.secret, "1.2", "presence-lobby", Some(channel_data));
    assert_eq!(body["auth"], expected);
}

#[tokio::test]
async fn refuses_missing_or_invalid_tokens() {
    let server = TestServer::start().await;
    let form = [("socket_id", "1.2"), ("channel_name", "private-x")];
    for token in [None, Some("not-a-demo-token"), Some("demo-user-0")] {
        let (status, body) = authorize(&server, token, &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}");
        assert!(body["message"].is_string());
    }
}

#[tokio::test]
async fn refuses_public_and_encrypted_channels() {
    let server = TestServer::start().await;
    for channel in ["rooms", "private-encrypted-secrets"] {
        let (status, _) = authorize(&server, Some("demo-user-1"), &[("socket_id", "1.2"), ("channel_name", channel)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{channel}");
    }
}

#[tokio::test]
async fn missing_or_malformed_fields_are_422() {
    let server = TestServer::start().await;
    let (status, body) = authorize(&server, Some("demo-user-1"), &[("channel_name", "private-x")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"]["socket_id"][0], "The socket id field is required.");

    let (status, body) = authorize(&server, Some("demo-user-1"), &[("socket_id", "abc"), ("channel_name", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["socket_id"].is_array() && body["errors"]["channel_name"].is_array(),
        "{body}"
    );
}
