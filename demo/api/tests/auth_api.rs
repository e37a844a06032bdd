//! Sign-in, tokens and the admin routes' role rules.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn login_me_logout() {
    let server = TestServer::start().await;
    let body = json!({ "email": "Admin@CasaMarcelino.test", "password": "admin-password" });
    let (status, login) = server.send(Method::POST, "/api/login", None, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let token = login["token"].as_str().unwrap();
    assert!(token.len() >= 32);
    assert_eq!(login["user"]["email"], "admin@casamarcelino.test");
    assert_eq!(login["user"]["role"], "admin");
    assert!(login["user"].get("password_hash").is_none());

    let (status, me) = server.send(Method::GET, "/api/me", Some(token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me, login["user"]);

    let (status, _) = server.send(Method::POST, "/api/logout", Some(token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = server.send(Method::GET, "/api/me", Some(token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "Unauthenticated.");
}

#[tokio::test]
async fn each_login_gets_its_own_token() {
    let server = TestServer::start().await;
    let (first, second) = (server.token("staff").await, server.token("staff").await);
    assert_ne!(first, second);
    server.send(Method::POST, "/api/logout", Some(&first), None).await;
    let (status, _) = server.send(Method::GET, "/api/me", Some(&second), None).await;
    assert_eq!(status, StatusCode::OK, "logging out one session keeps the other");
}

#[tokio::test]
async fn bad_credentials_are_422() {
    let server = TestServer::start().await;
    for body in [
        json!({ "email": "admin@casamarcelino.test", "password": "wrong" }),
        json!({ "email": "nobody@casamarcelino.test", "password": "admin-password" }),
    ] {
        let (status, answer) = server.send(Method::POST, "/api/login", None, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer["errors"]["email"][0], "These credentials do not match our records.");
    }
    let (status, answer) = server.send(Method::POST, "/api/login", None, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["errors"]["email"].is_array() && answer["errors"]["password"].is_array());
    let (status, _) = server.send(Method::GET, "/api/me", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_routes_are_401_403_or_200_by_role() {
    let server = TestServer::start().await;
    let guest = server.token("guest").await;
    let staff = server.token("staff").await;
    let admin = server.token("admin").await;
    for path in ["/api/admin/bookings", "/api/admin/contact-messages", "/api/admin/reviews"] {
        let (status, body) = server.send(Method::GET, path, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(body["message"], "Unauthenticated.");
        let (status, _) = server.send(Method::GET, path, Some("made-up-token"), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        let (status, body) = server.send(Method::GET, path, Some(&guest), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(body["message"], "This action is unauthorized.");
        for token in [&staff, &admin] {
            let (status, body) = server.send(Method::GET, path, Some(token), None).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.as_array().unwrap().is_empty(), "{path}: seeded");
        }
    }
}
