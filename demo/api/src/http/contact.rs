//! The contact form and the admin's inbox.

use axum::{
    extract::{rejection::JsonRejection, State},
    http::StatusCode,
    Json,
};

use super::ApiError;
use crate::{
    auth::Staff,
    clock,
    contact::{self, ContactInput, ContactMessage},
    observers::{self, Change},
    state::AppState,
};

/// `POST /api/contact`: stores the message, answers 201 with it, then
/// `ContactFormSubmitted` goes to the admin dashboard.
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<ContactInput>, JsonRejection>,
) -> Result<(StatusCode, Json<ContactMessage>), ApiError> {
    let Json(input) = body?;
    let message = input.validate()?;
    let now = clock::now_rfc3339();
    let message = state.db.call(move |conn| contact::insert(conn, &message, &now)).await?;
    observers::record(
        &state.broadcaster,
        Change::ContactSubmitted {
            id: message.id,
            subject: message.subject.clone(),
            created_at: message.created_at.clone(),
        },
    );
    Ok((StatusCode::CREATED, Json(message)))
}

/// `GET /api/admin/contact-messages` (staff): newest first.
pub async fn index(State(state): State<AppState>, _staff: Staff) -> Result<Json<Vec<ContactMessage>>, ApiError> {
    Ok(Json(state.db.call(|conn| contact::list(conn)).await?))
}
