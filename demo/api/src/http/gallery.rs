//! The gallery: the public list and the admin's create, update and delete,
//! each followed by `GalleryUpdated` on `gallery`.

use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::StatusCode,
    Json,
};

use super::{path, ApiError};
use crate::{
    auth::Staff,
    clock,
    gallery::{self, GalleryChanges, GalleryInput, GalleryItem},
    observers::{self, Change},
    state::AppState,
};

fn changed(state: &AppState, id: i64, updated_at: String) {
    observers::record(&state.broadcaster, Change::Gallery { ids: vec![id], updated_at });
}

/// `GET /api/gallery`: every tile, ordered by id.
pub async fn index(State(state): State<AppState>) -> Result<Json<Vec<GalleryItem>>, ApiError> {
    Ok(Json(state.db.call(|conn| gallery::list(conn)).await?))
}

/// `POST /api/admin/gallery` (staff): adds a tile; 201 with it.
pub async fn create(
    State(state): State<AppState>,
    _staff: Staff,
    body: Result<Json<GalleryInput>, JsonRejection>,
) -> Result<(StatusCode, Json<GalleryItem>), ApiError> {
    let Json(input) = body?;
    let item = input.validate()?;
    let now = clock::now_rfc3339();
    let item = state.db.call(move |conn| gallery::insert(conn, &item, &now)).await?;
    changed(&state, item.id, item.updated_at.clone());
    Ok((StatusCode::CREATED, Json(item)))
}

/// `PATCH /api/admin/gallery/{id}` (staff): partial update.
pub async fn update(
    State(state): State<AppState>,
    _staff: Staff,
    Path(raw): Path<String>,
    body: Result<Json<GalleryChanges>, JsonRejection>,
) -> Result<Json<GalleryItem>, ApiError> {
    let id = path::id(&raw, "Gallery item")?;
    let Json(changes) = body?;
    let changes = changes.validate()?;
    let now = clock::now_rfc3339();
    let item = state
        .db
        .call(move |conn| gallery::update(conn, id, &changes, &now))
        .await?
        .ok_or_else(|| ApiError::not_found("Gallery item"))?;
    changed(&state, item.id, item.updated_at.clone());
    Ok(Json(item))
}

/// `DELETE /api/admin/gallery/{id}` (staff): 204.
pub async fn destroy(State(state): State<AppState>, _staff: Staff, Path(raw): Path<String>) -> Result<StatusCode, ApiError> {
    let id = path::id(&raw, "Gallery item")?;
    if !state.db.call(move |conn| gallery::delete(conn, id)).await? {
        return Err(ApiError::not_found("Gallery item"));
    }
    changed(&state, id, clock::now_rfc3339());
    Ok(StatusCode::NO_CONTENT)
}
