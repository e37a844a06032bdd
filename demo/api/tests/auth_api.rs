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

/// Sanctum's SPA sign-in: the CSRF cookie first, then `POST /login` with
/// `X-XSRF-TOKEN`; the session cookie then signs API requests and
/// `/broadcasting/auth`, which need the CSRF header too.
#[tokio::test]
async fn cookie_sign_in_with_the_csrf_cookie_signs_api_and_channel_requests() {
    let server = TestServer::start().await;
    let client = reqwest::Client::builder().build().unwrap();
    let csrf = client.get(server.url("/sanctum/csrf-cookie")).send().await.unwrap();
    assert_eq!(csrf.status(), StatusCode::NO_CONTENT);
    let set_cookie = csrf.headers()["set-cookie"].to_str().unwrap().to_owned();
    let xsrf = set_cookie
        .strip_prefix("XSRF-TOKEN=")
        .and_then(|rest| rest.split(';').next())
        .expect("an XSRF-TOKEN cookie")
        .to_owned();
    assert!(!set_cookie.contains("HttpOnly"), "the SPA must read it: {set_cookie}");

    let login = |xsrf_header: Option<String>| {
        let mut request = client
            .post(server.url("/login"))
            .header("Cookie", format!("XSRF-TOKEN={xsrf}"))
            .json(&json!({ "email": "admin@casamarcelino.test", "password": "admin-password" }));
        if let Some(value) = xsrf_header {
            request = request.header("X-XSRF-TOKEN", value);
        }
        request.send()
    };
    let refused = login(None).await.unwrap();
    assert_eq!(refused.status().as_u16(), 419, "no CSRF header");
    let answer = login(Some(xsrf.clone())).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let session_cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        session_cookie.starts_with("demo_session=") && session_cookie.contains("HttpOnly"),
        "{session_cookie}"
    );
    let session = session_cookie.split(';').next().unwrap().to_owned();
    let user: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(user["role"], "admin");
    assert!(user.get("token").is_none(), "the token stays in the cookie");

    let cookies = format!("{session}; XSRF-TOKEN={xsrf}");
    let me = client.get(server.url("/api/me")).header("Cookie", &cookies).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK, "reads need no CSRF header");
    let auth = |xsrf_header: Option<&str>| {
        let mut request = client
            .post(server.url("/broadcasting/auth"))
            .header("Cookie", &cookies)
            .form(&[("socket_id", "123.456"), ("channel_name", "private-admin.dashboard")]);
        if let Some(value) = xsrf_header {
            request = request.header("X-XSRF-TOKEN", value);
        }
        request.send()
    };
    assert_eq!(auth(None).await.unwrap().status().as_u16(), 419);
    assert_eq!(auth(Some("forged")).await.unwrap().status().as_u16(), 419);
    let signed = auth(Some(&xsrf)).await.unwrap();
    assert_eq!(signed.status(), StatusCode::OK);
    let body: serde_json::Value = signed.json().await.unwrap();
    assert!(body["auth"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}:", server.config.reverb.key)));

    let out = client
        .post(server.url("/logout"))
        .header("Cookie", &cookies)
        .header("X-XSRF-TOKEN", &xsrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = client.get(server.url("/api/me")).header("Cookie", &cookies).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED, "the session is over");
}
