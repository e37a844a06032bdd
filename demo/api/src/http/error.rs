//! Error responses, shaped like Laravel's JSON errors:
//! `{"message": "..."}`, plus `"errors": {"field": ["..."]}` for validation.

use axum::{
    extract::rejection::{FormRejection, JsonRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};

use crate::{db::DbError, validation::ValidationErrors};

/// Everything a handler can answer instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404: the route or record does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 401: no bearer token, or not a live one.
    #[error("Unauthenticated.")]
    Unauthenticated,
    /// 403: the caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 419: a cookie-authenticated request without the `X-XSRF-TOKEN`
    /// header matching the `XSRF-TOKEN` cookie (Laravel's "Page Expired").
    #[error("CSRF token mismatch.")]
    CsrfMismatch,
    /// 422: the input broke validation rules.
    #[error("the given data was invalid")]
    Validation(ValidationErrors),
    /// A 4xx for input that could not be read at all (malformed JSON, wrong
    /// content type), with axum's explanation.
    #[error("{message}")]
    BadInput {
        /// The status axum chose for the rejection.
        status: StatusCode,
        /// axum's description of the problem.
        message: String,
    },
    /// 500: logged in full, answered with a generic message.
    #[error(transparent)]
    Internal(#[from] DbError),
}

impl ApiError {
    /// The 404 for a room id that does not exist.
    pub fn room_not_found() -> Self {
        Self::not_found("Room")
    }

    /// The 404 for a missing record, e.g. `not_found("Venue")` answers
    /// `{"message": "Venue not found."}`.
    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("{what} not found."))
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Validation(errors)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self::BadInput {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadInput {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

impl From<FormRejection> for ApiError {
    fn from(rejection: FormRejection) -> Self {
        Self::BadInput {
            status: rejection.status(),
            message: rejection.body_text(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::NotFound(message) => (StatusCode::NOT_FOUND, json!({ "message": message })),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, json!({ "message": "Unauthenticated." })),
            Self::Forbidden(message) => (StatusCode::FORBIDDEN, json!({ "message": message })),
            Self::CsrfMismatch => (
                StatusCode::from_u16(419).expect("419 is a valid status"),
                json!({ "message": "CSRF token mismatch." }),
            ),
            Self::BadInput { status, message } => (status, json!({ "message": message })),
            Self::Validation(ValidationErrors(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, validation_body(&errors)),
            Self::Internal(err) => {
                tracing::error!(error = %err, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, json!({ "message": "Server Error" }))
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Laravel's format: the first message (with a count of the others) and
/// every message grouped by field.
fn validation_body(errors: &[(&'static str, String)]) -> Value {
    let message = match errors {
        [] => String::new(),
        [(_, only)] => only.clone(),
        [(_, first), (_, _)] => format!("{first} (and 1 more error)"),
        [(_, first), rest @ ..] => format!("{first} (and {} more errors)", rest.len()),
    };
    let mut by_field = Map::new();
    for (field, text) in errors {
        if let Value::Array(list) = by_field.entry(*field).or_insert_with(|| Value::Array(Vec::new())) {
            list.push(Value::String(text.clone()));
        }
    }
    json!({ "message": message, "errors": by_field })
}
