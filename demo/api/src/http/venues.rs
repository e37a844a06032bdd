//! Venues: the public list, the venues free on a day, and the admin's
//! update.

use axum::{
    extract::{rejection::JsonRejection, rejection::QueryRejection, Path, Query, State},
    Json,
};
use serde::Deserialize;

use super::{path, ApiError};
use crate::{
    auth::Staff,
    clock,
    observers::{self, Change},
    state::AppState,
    validation::Validator,
    venues::{self, Venue, VenueChanges},
};

/// The query of `GET /api/venues/availability`.
#[derive(Debug, Default, Deserialize)]
pub struct AvailabilityQuery {
    /// The event day, `YYYY-MM-DD`, today or later.
    pub date: Option<String>,
}

/// `GET /api/venues/availability?date=`: the venues free on that day (no
/// blocked range, no pending or confirmed booking), or 422 for a bad date.
pub async fn availability(
    State(state): State<AppState>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Result<Json<Vec<Venue>>, ApiError> {
    let Query(query) = query?;
    let mut v = Validator::new();
    let day = v.date("date", query.date);
    if day.is_some_and(|day| day < clock::today()) {
        v.fail("date", "The date field must be a date after or equal to today.");
    }
    let day = v.finish(|| day.unwrap_or_default())?;
    Ok(Json(state.db.call(move |conn| venues::available(conn, day)).await?))
}

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
