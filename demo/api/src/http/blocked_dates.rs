//! Blocked date ranges: the public list and the admin's create and delete,
//! each followed by `BlockedDatesUpdated` on `blocked-dates`.

use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::StatusCode,
    Json,
};

use super::{path, ApiError};
use crate::{
    auth::Staff,
    blocked_dates::{self, BlockedDate, BlockedDateInput},
    clock,
    observers::{self, Change},
    state::AppState,
};

/// `GET /api/blocked-dates`: ranges ending today or later, by start date.
pub async fn index(State(state): State<AppState>) -> Result<Json<Vec<BlockedDate>>, ApiError> {
    let today = clock::today();
    Ok(Json(state.db.call(move |conn| blocked_dates::list(conn, today)).await?))
}

/// `POST /api/admin/blocked-dates` (staff): 201 with the new range.
pub async fn create(
    State(state): State<AppState>,
    _staff: Staff,
    body: Result<Json<BlockedDateInput>, JsonRejection>,
) -> Result<(StatusCode, Json<BlockedDate>), ApiError> {
    let Json(input) = body?;
    let range = input.validate(clock::today())?;
    let now = clock::now_rfc3339();
    let range = state.db.call(move |conn| blocked_dates::insert(conn, &range, &now)).await?;
    observers::record(
        &state.broadcaster,
        Change::BlockedDates {
            updated_at: range.created_at.clone(),
        },
    );
    Ok((StatusCode::CREATED, Json(range)))
}

/// `DELETE /api/admin/blocked-dates/{id}` (staff): 204.
pub async fn destroy(State(state): State<AppState>, _staff: Staff, Path(raw): Path<String>) -> Result<StatusCode, ApiError> {
    let id = path::id(&raw, "Blocked date range")?;
    if !state.db.call(move |conn| blocked_dates::delete(conn, id)).await? {
        return Err(ApiError::not_found("Blocked date range"));
    }
    observers::record(
        &state.broadcaster,
        Change::BlockedDates {
            updated_at: clock::now_rfc3339(),
        },
    );
    Ok(StatusCode::NO_CONTENT)
}
