//! The HTTP surface: routes, CORS and request logging (one `info` line per
//! response).
//!
//! | Route | Purpose |
//! | --- | --- |
//! | `GET /up` | health check, answers `ok` |
//! | `GET /api/rooms` | all rooms |
//! | `GET /api/rooms/{id}` | one room |
//! | `PATCH /api/admin/rooms/{id}` | update a room, then broadcast `RoomsUpdated` on `rooms` |
//! | `POST /broadcasting/auth` | sign private/presence channel subscriptions |

mod admin;
mod broadcasting_auth;
mod error;
mod rooms;

use axum::{
    http::{Method, Uri},
    routing::{get, patch, post},
    Router,
};
use tower_http::{
    cors::{Any, CorsLayer},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use broadcasting_auth::AuthRequest;
pub use error::ApiError;
pub use rooms::RoomId;

use crate::state::AppState;

/// Builds the application's router over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/up", get(|| async { "ok" }))
        .route("/api/rooms", get(rooms::index))
        .route("/api/rooms/{id}", get(rooms::show))
        .route("/api/admin/rooms/{id}", patch(admin::update_room))
        .route("/broadcasting/auth", post(broadcasting_auth::authorize))
        .fallback(not_found)
        .layer(cors())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Open to every origin, like Laravel's development `config/cors.php`: the
/// demo app and browser tests are served from other origins. No cookies
/// are involved (auth uses bearer tokens), so no credentials are allowed.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE])
        .allow_headers(Any)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("The route {} could not be found.", uri.path().trim_start_matches('/')))
}
