//! Bookings: the guest's create and receipt, the admin's list and status
//! changes.

use axum::{
    extract::{rejection::JsonRejection, rejection::QueryRejection, Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;

use super::ApiError;
use crate::{
    auth::Staff,
    bookings::{self, reference, Booking, BookingInput, Receipt, Status, StatusInput, WriteError},
    clock,
    observers::{self, Change},
    state::AppState,
    validation::ValidationErrors,
};

impl From<WriteError> for ApiError {
    fn from(err: WriteError) -> Self {
        match err {
            WriteError::NotFound => ApiError::not_found("Booking"),
            WriteError::Invalid(errors) => ApiError::Validation(errors),
        }
    }
}

fn normalized(raw: &str) -> Result<String, ApiError> {
    reference::normalize(raw).ok_or_else(|| ApiError::not_found("Booking"))
}

/// `POST /api/bookings`: validates, stores a pending booking and answers
/// 201 with it (reference included), then notifies the admin dashboard
/// (`AdminDashboardNotification`) and broadcasts `BookingCreated` on
/// `private-App.Models.Booking.{id}`.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<BookingInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Booking>), ApiError> {
    let Json(input) = body?;
    let booking = input.validate(clock::today())?;
    let now = clock::now_rfc3339();
    let booking = state.db.call(move |conn| bookings::create(conn, &booking, &now)).await??;
    observers::record(
        &state.broadcaster,
        Change::BookingCreated {
            booking: (&booking).into(),
            created_at: booking.created_at.clone(),
        },
    );
    Ok((StatusCode::CREATED, Json(booking)))
}

/// `GET /api/bookings/{reference}`: the public receipt (no contact details).
pub async fn receipt(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Json<Receipt>, ApiError> {
    let reference = normalized(&raw)?;
    let booking = state
        .db
        .call(move |conn| bookings::find(conn, &reference))
        .await?
        .ok_or_else(|| ApiError::not_found("Booking"))?;
    Ok(Json(booking.into()))
}

/// The query of `GET /api/admin/bookings`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Only bookings with this status.
    pub status: Option<String>,
}

/// `GET /api/admin/bookings[?status=]` (staff): newest first, with contact details.
pub async fn index(
    State(state): State<AppState>,
    _staff: Staff,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<Booking>>, ApiError> {
    let Query(query) = query?;
    let status: Option<Status> = match query.status.filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(text.parse().map_err(|()| {
            ValidationErrors::one(
                "status",
                "The selected status is invalid (expected pending, confirmed, cancelled or completed).",
            )
        })?),
    };
    Ok(Json(state.db.call(move |conn| bookings::list(conn, status)).await?))
}

/// `PATCH /api/admin/bookings/{reference}` (staff): `{"status": ...}`, an
/// allowed transition only; then `BookingStatusUpdated` on `booking.{reference}`
/// and `BookingUpdated` on `private-App.Models.Booking.{id}`.
pub async fn update_status(
    State(state): State<AppState>,
    _staff: Staff,
    Path(raw): Path<String>,
    body: Result<Json<StatusInput>, JsonRejection>,
) -> Result<Json<Booking>, ApiError> {
    let reference = normalized(&raw)?;
    let Json(input) = body?;
    let next = input.validate()?;
    let now = clock::now_rfc3339();
    let booking = state
        .db
        .call(move |conn| bookings::update_status(conn, &reference, next, &now))
        .await??;
    observers::record(
        &state.broadcaster,
        Change::BookingStatus {
            booking: (&booking).into(),
        },
    );
    Ok(Json(booking))
}
