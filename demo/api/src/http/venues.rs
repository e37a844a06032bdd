//! Venues: the public list and the admin's update.

use axum::{
    extract::{rejection::JsonRejection, Path, State},
    Json,
};

use super::{path, ApiError};
use crate::{
    auth::Staff,
    clock,
    observers::{self, Change},
    state::AppState,
    venues::{self, Venue, VenueChanges},
};

/// `GET /api/venues`: every venue, ordered by id.
pub async fn index(State(state): State<AppState>) -> Result<Json<Vec<Venue>>, ApiError> {
    Ok(Json(state.db.call(|conn| venues::list(conn)).await?))
}

/// `PATCH /api/admin/venues/{id}` (staff): partial update, then `VenuesUpdated` on `venues`.
pub async fn update(
    State(state): State<AppState>,
    _staff: Staff,
    Path(raw): Path<String>,
    body: Result<Json<VenueChanges>, JsonRejection>,
) -> Result<Json<Venue>, ApiError> {
    let id = path::id(&raw, "Venue")?;
    let Json(changes) = body?;
    let changes = changes.validate()?;
    let now = clock::now_rfc3339();
    let venue = state
        .db
        .call(move |conn| venues::update(conn, id, &changes, &now))
        .await?
        .ok_or_else(|| ApiError::not_found("Venue"))?;
    observers::record(
        &state.broadcaster,
        Change::Venues {
            ids: vec![venue.id],
            updated_at: venue.updated_at.clone(),
        },
    );
    Ok(Json(venue))
}
