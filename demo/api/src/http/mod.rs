//! The HTTP surface: routes, CORS and request logging (one `info` line per
//! response). "Staff" routes need the bearer token (or session cookie) of an
//! `admin` or `staff` account: 401 without a live one, 403 for a guest
//! account, 419 for a cookie session without its CSRF header on a request
//! that changes something.
//!
//! | Route | Auth | Purpose (broadcast) |
//! | --- | --- | --- |
//! | `GET /up` | | health check, answers `ok` |
//! | `POST /api/login` | | token for e-mail + password |
//! | `GET /sanctum/csrf-cookie` | | sets the `XSRF-TOKEN` cookie |
//! | `POST /login`, `POST /logout` | CSRF header | cookie session for e-mail + password (Sanctum SPA) |
//! | `POST /api/logout` | signed in | revoke this token |
//! | `GET /api/me` | signed in | the user |
//! | `GET /api/rooms`, `/api/rooms/{id}` | | rooms |
//! | `GET /api/rooms/availability` | | rooms free for `check_in`..`check_out` |
//! | `GET /api/venues` | | venues |
//! | `GET /api/venues/availability` | | venues free on `date` |
//! | `GET /api/gallery` | | gallery tiles |
//! | `GET /api/reviews` | | approved reviews |
//! | `POST /api/reviews` | | submit a review (`AdminDashboardNotification`) |
//! | `GET /api/blocked-dates` | | blocked ranges |
//! | `POST /api/bookings` | | book a room or venue (`AdminDashboardNotification`, `BookingCreated`) |
//! | `GET /api/bookings/{reference}` | | receipt |
//! | `POST /api/contact` | | contact form (`ContactFormSubmitted`) |
//! | `GET /api/admin/bookings` | staff | every booking |
//! | `PATCH /api/admin/bookings/{reference}` | staff | change status (`BookingStatusUpdated`, `BookingUpdated`) |
//! | `POST /api/admin/blocked-dates`, `DELETE .../{id}` | staff | (`BlockedDatesUpdated`) |
//! | `PATCH /api/admin/rooms/{id}` | staff | (`RoomsUpdated`) |
//! | `PATCH /api/admin/venues/{id}` | staff | (`VenuesUpdated`) |
//! | `POST /api/admin/gallery`, `PATCH`/`DELETE .../{id}` | staff | (`GalleryUpdated`) |
//! | `GET /api/admin/reviews`, `PATCH`/`DELETE .../{id}` | staff | moderate (`ReviewsUpdated`) |
//! | `GET /api/admin/contact-messages` | staff | inbox |
//! | `POST /broadcasting/auth` | signed in | sign channel subscriptions |

mod blocked_dates;
mod bookings;
mod broadcasting_auth;
mod contact;
mod error;
mod gallery;
mod path;
mod reviews;
mod rooms;
mod session;
mod venues;

use axum::{
    http::{Method, Uri},
    routing::{get, patch, post},
    Router,
};
use tower_http::{
    cors::{AllowHeaders, AllowOrigin, CorsLayer},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use broadcasting_auth::{encrypted_channel_secret, AuthRequest};
pub use error::ApiError;
pub use rooms::RoomId;
pub use session::{LoginRequest, LoginResponse};

use crate::state::AppState;

/// Builds the application's router over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/up", get(|| async { "ok" }))
        .route("/api/login", post(session::login))
        .route("/sanctum/csrf-cookie", get(session::csrf_cookie))
        .route("/login", post(session::cookie_login))
        .route("/logout", post(session::cookie_logout))
        .route("/api/logout", post(session::logout))
        .route("/api/me", get(session::me))
        .route("/api/rooms", get(rooms::index))
        .route("/api/rooms/availability", get(rooms::availability))
        .route("/api/rooms/{id}", get(rooms::show))
        .route("/api/venues", get(venues::index))
        .route("/api/venues/availability", get(venues::availability))
        .route("/api/gallery", get(gallery::index))
        .route("/api/reviews", get(reviews::index).post(reviews::create))
        .route("/api/blocked-dates", get(blocked_dates::index))
        .route("/api/bookings", post(bookings::create))
        .route("/api/bookings/{reference}", get(bookings::receipt))
        .route("/api/contact", post(contact::create))
        .route("/api/admin/bookings", get(bookings::index))
        .route("/api/admin/bookings/{reference}", patch(bookings::update_status))
        .route("/api/admin/blocked-dates", post(blocked_dates::create))
        .route("/api/admin/blocked-dates/{id}", axum::routing::delete(blocked_dates::destroy))
        .route("/api/admin/rooms/{id}", patch(rooms::update))
        .route("/api/admin/venues/{id}", patch(venues::update))
        .route("/api/admin/gallery", post(gallery::create))
        .route("/api/admin/gallery/{id}", patch(gallery::update).delete(gallery::destroy))
        .route("/api/admin/reviews", get(reviews::admin_index))
        .route("/api/admin/reviews/{id}", patch(reviews::update).delete(reviews::destroy))
        .route("/api/admin/contact-messages", get(contact::index))
        .route("/broadcasting/auth", post(broadcasting_auth::authorize))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(cors())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Open to every origin with credentials, like Laravel's development
/// `config/cors.php` with `supports_credentials`: the demo app and browser
/// tests are served from other origins, and Sanctum's cookie sign-in needs
/// the cookies on cross-origin requests (the origin is echoed back, as
/// credentials forbid `*`).
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE])
        .allow_headers(AllowHeaders::mirror_request())
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("The route {} could not be found.", uri.path().trim_start_matches('/')))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::BadInput {
        status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
        message: format!(
            "The {method} method is not supported for route {}.",
            uri.path().trim_start_matches('/')
        ),
    }
}
