//! The public content routes and the admin's writes to them: each write
//! broadcasts its event on its channel; invalid ones change nothing.

mod common;

use common::{day, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn public_lists_are_seeded() {
    let server = TestServer::start().await;
    let (_, venues) = server.get("/api/venues").await;
    assert_eq!(venues[0]["name"], "Pavilion by the Sea");
    let (_, gallery) = server.get("/api/gallery").await;
    assert!(gallery[0]["color"].as_str().unwrap().starts_with('#'));
    let (_, reviews) = server.get("/api/reviews").await;
    assert!(reviews.as_array().unwrap().iter().all(|review| review["approved"] == true));
    let (_, blocked) = server.get("/api/blocked-dates").await;
    assert_eq!(blocked[0]["start_date"], day(45));
    assert_eq!(blocked[0]["end_date"], day(47));
}

#[tokio::test]
async fn blocked_dates_create_and_delete_broadcast() {
    let mut server = TestServer::start().await;
    let admin = server.token("admin").await;
    let body = json!({ "start_date": day(120), "end_date": day(121), "reason": "Typhoon season repairs" });
    let (status, range) = server
        .send(Method::POST, "/api/admin/blocked-dates", Some(&admin), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{range}");
    let event = server.next_event().await;
    assert_eq!(
        (event.channels[0].as_str(), event.name.as_str()),
        ("blocked-dates", "BlockedDatesUpdated")
    );
    assert_eq!(event.payload, json!({ "updated_at": range["created_at"] }));

    let path = format!("/api/admin/blocked-dates/{}", range["id"]);
    let (status, _) = server.send(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.next_event().await.name, "BlockedDatesUpdated");
    let (status, _) = server.send(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let backwards = json!({ "start_date": day(121), "end_date": day(120), "reason": "Oops" });
    let (status, answer) = server
        .send(Method::POST, "/api/admin/blocked-dates", Some(&admin), Some(backwards))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["errors"]["end_date"].is_array());
    server.assert_no_event().await;
    let (_, blocked) = server.get("/api/blocked-dates").await;
    assert_eq!(blocked.as_array().unwrap().len(), 2, "only the seeded ranges");
}

#[tokio::test]
async fn venue_updates_broadcast_venues_updated() {
    let mut server = TestServer::start().await;
    let staff = server.token("staff").await;
    let (status, venue) = server
        .send(
            Method::PATCH,
            "/api/admin/venues/4",
            Some(&staff),
            Some(json!({ "price_per_event": 30_000 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{venue}");
    assert_eq!(venue["price_per_event"], 30_000);
    let event = server.next_event().await;
    assert_eq!((event.channels[0].as_str(), event.name.as_str()), ("venues", "VenuesUpdated"));
    assert_eq!(event.payload, json!({ "venue_ids": [4], "updated_at": venue["updated_at"] }));

    let (status, _) = server
        .send(Method::PATCH, "/api/admin/venues/40", Some(&staff), Some(json!({ "capacity": 10 })))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server
        .send(Method::PATCH, "/api/admin/venues/4", Some(&staff), Some(json!({ "capacity": 0 })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    server.assert_no_event().await;
}

#[tokio::test]
async fn gallery_create_update_delete_broadcast_gallery_updated() {
    let mut server = TestServer::start().await;
    let admin = server.token("admin").await;
    let body = json!({ "title": "Fiesta lanterns", "caption": "Parol lanterns over the lobby for Christmas.", "color": "#D62828" });
    let (status, item) = server.send(Method::POST, "/api/admin/gallery", Some(&admin), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{item}");
    assert_eq!(item["color"], "#d62828");
    let event = server.next_event().await;
    assert_eq!((event.channels[0].as_str(), event.name.as_str()), ("gallery", "GalleryUpdated"));
    assert_eq!(event.payload["gallery_item_ids"], json!([item["id"]]));

    let path = format!("/api/admin/gallery/{}", item["id"]);
    let (status, updated) = server
        .send(Method::PATCH, &path, Some(&admin), Some(json!({ "title": "Parol lanterns" })))
        .await;
    assert_eq!((status, updated["title"].as_str()), (StatusCode::OK, Some("Parol lanterns")));
    assert_eq!(server.next_event().await.name, "GalleryUpdated");

    let (status, _) = server.send(Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.next_event().await.name, "GalleryUpdated");
    let (_, gallery) = server.get("/api/gallery").await;
    assert_eq!(gallery.as_array().unwrap().len(), 8);

    let (status, answer) = server
        .send(
            Method::POST,
            "/api/admin/gallery",
            Some(&admin),
            Some(json!({ "title": "No colour" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["errors"]["caption"].is_array() && answer["errors"]["color"].is_array());
    server.assert_no_event().await;
}

#[tokio::test]
async fn reviews_are_submitted_then_moderated() {
    let mut server = TestServer::start().await;
    let body = json!({ "guest_name": "Nico Robles", "rating": 5, "body": "Best halo-halo by the beach." });
    let (status, review) = server.send(Method::POST, "/api/reviews", None, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    assert_eq!(review["approved"], false);
    let event = server.next_event().await;
    assert_eq!(event.channels, ["private-admin.dashboard"]);
    assert_eq!(event.payload["kind"], "review_submitted");
    let (_, public) = server.get("/api/reviews").await;
    assert!(!public.as_array().unwrap().iter().any(|r| r["id"] == review["id"]));

    let staff = server.token("staff").await;
    let path = format!("/api/admin/reviews/{}", review["id"]);
    let (status, approved) = server
        .send(Method::PATCH, &path, Some(&staff), Some(json!({ "approved": true })))
        .await;
    assert_eq!((status, &approved["approved"]), (StatusCode::OK, &json!(true)));
    let event = server.next_event().await;
    assert_eq!((event.channels[0].as_str(), event.name.as_str()), ("reviews", "ReviewsUpdated"));
    assert_eq!(
        event.payload,
        json!({ "review_ids": [review["id"]], "updated_at": approved["updated_at"] })
    );
    let (_, public) = server.get("/api/reviews").await;
    assert_eq!(public[0]["id"], review["id"]);

    let (status, _) = server.send(Method::DELETE, &path, Some(&staff), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.next_event().await.name, "ReviewsUpdated");

    let (status, answer) = server
        .send(
            Method::POST,
            "/api/reviews",
            None,
            Some(json!({ "guest_name": "X", "rating": 6, "body": "" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["errors"]["rating"].is_array() && answer["errors"]["body"].is_array());
    server.assert_no_event().await;
}

#[tokio::test]
async fn the_contact_form_notifies_the_dashboard() {
    let mut server = TestServer::start().await;
    let body = json!({
        "name": "Tess Navarro", "email": "tess@example.ph", "subject": "Debut in March",
        "message": "Is the Garden Terrace free on a Saturday in March for 90 guests?",
    });
    let (status, message) = server.send(Method::POST, "/api/contact", None, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    let event = server.next_event().await;
    assert_eq!(event.channels, ["private-admin.dashboard"]);
    assert_eq!(event.name, "ContactFormSubmitted");
    assert_eq!(
        event.payload,
        json!({ "id": message["id"], "subject": "Debut in March", "created_at": message["created_at"] })
    );
    let admin = server.token("admin").await;
    let (_, inbox) = server.send(Method::GET, "/api/admin/contact-messages", Some(&admin), None).await;
    assert_eq!(inbox.as_array().unwrap().len(), 3);

    let (status, answer) = server
        .send(Method::POST, "/api/contact", None, Some(json!({ "name": "Tess", "email": "nope" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["errors"]["email"].is_array() && answer["errors"]["subject"].is_array());
    server.assert_no_event().await;
}
