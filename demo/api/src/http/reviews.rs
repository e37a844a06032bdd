//! Reviews: the public (approved) list, guest submission, and the admin's
//! moderation. Moderation changes what the public sees, so it broadcasts
//! `ReviewsUpdated` on `reviews`; a submission only notifies the admin
//! dashboard.

use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::StatusCode,
    Json,
};

use super::{path, ApiError};
use crate::{
    auth::Staff,
    clock,
    observers::{self, Change},
    reviews::{self, Review, ReviewInput, ReviewModeration},
    state::AppState,
};

fn changed(state: &AppState, id: i64, updated_at: String) {
    observers::record(&state.broadcaster, Change::Reviews { ids: vec![id], updated_at });
}

/// `GET /api/reviews`: approved reviews, newest first.
pub async fn index(State(state): State<AppState>) -> Result<Json<Vec<Review>>, ApiError> {
    Ok(Json(state.db.call(|conn| reviews::list(conn, true)).await?))
}

/// `GET /api/admin/reviews` (staff): every review, approved or not, newest first.
pub async fn admin_index(State(state): State<AppState>, _staff: Staff) -> Result<Json<Vec<Review>>, ApiError> {
    Ok(Json(state.db.call(|conn| reviews::list(conn, false)).await?))
}

/// `POST /api/reviews`: stores an unapproved review; 201 with it.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<ReviewInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Review>), ApiError> {
    let Json(input) = body?;
    let review = input.validate()?;
    let now = clock::now_rfc3339();
    let review = state.db.call(move |conn| reviews::insert(conn, &review, &now)).await?;
    observers::record(
        &state.broadcaster,
        Change::ReviewSubmitted {
            id: review.id,
            created_at: review.created_at.clone(),
        },
    );
    Ok((StatusCode::CREATED, Json(review)))
}

/// `PATCH /api/admin/reviews/{id}` (staff): `{"approved": bool}`.
pub async fn update(
    State(state): State<AppState>,
    _staff: Staff,
    Path(raw): Path<String>,
    body: Result<Json<ReviewModeration>, JsonRejection>,
) -> Result<Json<Review>, ApiError> {
    let id = path::id(&raw, "Review")?;
    let Json(input) = body?;
    let approved = input.validate()?;
    let now = clock::now_rfc3339();
    let review = state
        .db
        .call(move |conn| reviews::set_approved(conn, id, approved, &now))
        .await?
        .ok_or_else(|| ApiError::not_found("Review"))?;
    changed(&state, review.id, review.updated_at.clone());
    Ok(Json(review))
}

/// `DELETE /api/admin/reviews/{id}` (staff): 204.
pub async fn destroy(State(state): State<AppState>, _staff: Staff, Path(raw): Path<String>) -> Result<StatusCode, ApiError> {
    let id = path::id(&raw, "Review")?;
    if !state.db.call(move |conn| reviews::delete(conn, id)).await? {
        return Err(ApiError::not_found("Review"));
    }
    changed(&state, id, clock::now_rfc3339());
    Ok(StatusCode::NO_CONTENT)
}
