//! The public rooms API: `GET /api/rooms` and `GET /api/rooms/{id}`.

use axum::{
    extract::{FromRequestParts, Path, State},
    http::request::Parts,
    Json,
};

use super::ApiError;
use crate::{
    rooms::{self, Room},
    state::AppState,
};

/// A room id from the `{id}` path segment; anything that is not an integer
/// is a 404, as with Laravel's route model binding.
#[derive(Clone, Copy, Debug)]
pub struct RoomId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RoomId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::room_not_found())?;
        raw.parse().map(RoomId).map_err(|_| ApiError::room_not_found())
    }
}

/// `GET /api/rooms`: every room, ordered by id.
pub async fn index(State(state): State<AppState>) -> Result<Json<Vec<Room>>, ApiError> {
    let rooms = state.db.call(|conn| rooms::list(conn)).await?;
    Ok(Json(rooms))
}

/// `GET /api/rooms/{id}`: one room, or 404.
pub async fn show(State(state): State<AppState>, RoomId(id): RoomId) -> Result<Json<Room>, ApiError> {
    state
        .db
        .call(move |conn| rooms::find(conn, id))
        .await?
        .map(Json)
        .ok_or_else(ApiError::room_not_found)
}
