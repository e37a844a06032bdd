//! Rooms: the public list, one room, availability for a stay, and the
//! admin's update.

use axum::{
    extract::{rejection::JsonRejection, rejection::QueryRejection, FromRequestParts, Path, Query, State},
    http::request::Parts,
    Json,
};
use serde::Deserialize;

use super::ApiError;
use crate::{
    auth::Staff,
    bookings::MAX_NIGHTS,
    clock,
    observers::{self, Change},
    rooms::{self, Room, RoomChanges},
    state::AppState,
    validation::Validator,
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

/// The query of `GET /api/rooms/availability`.
#[derive(Debug, Default, Deserialize)]
pub struct AvailabilityQuery {
    /// Arrival day, `YYYY-MM-DD`, today or later.
    pub check_in: Option<String>,
    /// Departure day, after `check_in`.
    pub check_out: Option<String>,
    /// Optional party size; rooms too small are left out.
    pub guests: Option<String>,
}

/// `GET /api/rooms/availability?check_in=&check_out=[&guests=]`: the rooms
/// free for every night of the stay (no blocked range, no pending or
/// confirmed booking overlapping), or 422 for bad dates.
pub async fn availability(
    State(state): State<AppState>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Result<Json<Vec<Room>>, ApiError> {
    let Query(query) = query?;
    let mut v = Validator::new();
    let check_in = v.date("check_in", query.check_in);
    let check_out = v.date("check_out", query.check_out);
    let guests = match query.guests.filter(|text| !text.trim().is_empty()) {
        None => Some(1),
        Some(text) => match text.trim().parse() {
            Ok(guests) => v.optional_int("guests", Some(guests), 1..=i64::MAX),
            Err(_) => {
                v.fail("guests", "The guests field must be an integer.");
                None
            }
        },
    };
    if check_in.is_some_and(|day| day < clock::today()) {
        v.fail("check_in", "The check in field must be a date after or equal to today.");
    }
    if let (Some(check_in), Some(check_out)) = (check_in, check_out) {
        let nights = (check_out - check_in).num_days();
        if nights < 1 {
            v.fail("check_out", "The check out field must be a date after check in.");
        } else if nights > MAX_NIGHTS {
            v.fail("check_out", format!("A stay may last at most {MAX_NIGHTS} nights."));
        }
    }
    let (check_in, check_out, guests) = v.finish(|| (check_in.unwrap_or_default(), check_out.unwrap_or_default(), guests.unwrap_or(1)))?;
    let rooms = state
        .db
        .call(move |conn| rooms::available(conn, check_in, check_out, guests))
        .await?;
    Ok(Json(rooms))
}

/// `PATCH /api/admin/rooms/{id}` (staff): validates the changes, applies
/// them in one transaction, answers with the updated room, then reports the
/// change so `RoomsUpdated` goes out on `rooms`.
pub async fn update(
    State(state): State<AppState>,
    _staff: Staff,
    RoomId(id): RoomId,
    body: Result<Json<RoomChanges>, JsonRejection>,
) -> Result<Json<Room>, ApiError> {
    let Json(changes) = body?;
    let changes = changes.validate()?;
    let updated_at = clock::now_rfc3339();
    let room = state
        .db
        .call(move |conn| rooms::update(conn, id, &changes, &updated_at))
        .await?
        .ok_or_else(ApiError::room_not_found)?;

    observers::record(
        &state.broadcaster,
        Change::Rooms {
            ids: vec![room.id],
            updated_at: room.updated_at.clone(),
        },
    );
    Ok(Json(room))
}
