//! The admin side's write API. It has no authentication yet: admin sign-in
//! arrives together with the admin UI, and will guard these routes.

use axum::{
    extract::{rejection::JsonRejection, State},
    Json,
};

use super::{rooms::RoomId, ApiError};
use crate::{
    events::RoomsUpdated,
    rooms::{self, Room, RoomChanges},
    state::AppState,
};

/// `PATCH /api/admin/rooms/{id}`: validates the changes, applies them in one
/// transaction, answers with the updated room, then dispatches
/// [`RoomsUpdated`] so every open page refetches its rooms.
pub async fn update_room(
    State(state): State<AppState>,
    RoomId(id): RoomId,
    body: Result<Json<RoomChanges>, JsonRejection>,
) -> Result<Json<Room>, ApiError> {
    let Json(changes) = body?;
    let changes = changes.validate()?;
    let updated_at = rooms::now_rfc3339();
    let room = state
        .db
        .call(move |conn| rooms::update(conn, id, &changes, &updated_at))
        .await?
        .ok_or_else(ApiError::room_not_found)?;

    state.broadcaster.dispatch(
        RoomsUpdated {
            room_ids: vec![room.id],
            updated_at: room.updated_at.clone(),
        }
        .into(),
    );
    Ok(Json(room))
}
