//! The one error type the client may see: a stable code, a human message and optional details.
//!
//! Internal causes (database errors, IO) are logged where they happen and replaced by a generic
//! message; they never reach the client.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes, one per HTTP status class the API uses.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    Validation,
    RateLimited,
    CsrfRejected,
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::CsrfRejected => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Validation => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

/// A safe, serializable error: what the browser and API clients get.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// Seconds until a rate-limited caller may retry (sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

impl AppError {
    /// An error with a code and a message meant for the user.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
            retry_after_secs: None,
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            ErrorCode::Unauthorized,
            "Sign in or provide a valid API token.",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found."))
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    /// A validation failure on one field: `details` maps the field to its message.
    pub fn invalid_field(field: &str, message: &str) -> Self {
        let mut err = Self::new(ErrorCode::Validation, message);
        err.details = Some(serde_json::json!({ field: message }));
        err
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut err = Self::new(
            ErrorCode::RateLimited,
            format!("Too many attempts. Try again in {retry_after_secs} s."),
        );
        err.retry_after_secs = Some(retry_after_secs);
        err
    }

    /// Logs the real cause on the server and returns a generic error for the client.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::Internal, "Something went wrong on our side.")
    }

    /// The HTTP status code for this error.
    pub fn status(&self) -> u16 {
        self.code.status()
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => AppError::not_found("Record"),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::new(ErrorCode::Conflict, "That already exists.")
            }
            _ => AppError::internal(err),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) | E::Response(_) => {
                AppError::new(ErrorCode::Unavailable, "The server could not be reached.")
            }
            E::Args(msg) | E::MissingArg(msg) => AppError::new(ErrorCode::BadRequest, msg),
            other => AppError::new(ErrorCode::Internal, other.to_string()),
        }
    }
}

/// Envelope and HTTP mapping, used by REST handlers and extractors.
#[cfg(feature = "ssr")]
mod http_response {
    use super::AppError;
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::{IntoResponse, Response};

    /// Marks a response as an API error so the request-id middleware can complete the envelope.
    #[derive(Clone, Debug)]
    pub struct ErrorEnvelope(pub AppError);

    impl AppError {
        /// `{"error":{"code","message","details","request_id"}}`.
        pub fn envelope(&self, request_id: Option<&str>) -> serde_json::Value {
            serde_json::json!({ "error": {
                "code": self.code,
                "message": self.message,
                "details": self.details,
                "request_id": request_id,
            }})
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut res = (status, axum::Json(self.envelope(None))).into_response();
            if let Some(secs) = self.retry_after_secs {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            res.extensions_mut().insert(ErrorEnvelope(self));
            res
        }
    }
}

#[cfg(feature = "ssr")]
pub use http_response::ErrorEnvelope;

/// Sets the HTTP status (and `Retry-After`) of the current server-function response from an
/// error, so server functions answer with the same statuses as the REST API.
#[cfg(feature = "ssr")]
pub fn respond_with(err: AppError) -> AppError {
    use axum::http::{header, HeaderValue, StatusCode};
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let Some(secs) = err.retry_after_secs {
            res.insert_header(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_statuses() {
        assert_eq!(ErrorCode::Validation.status(), 422);
        assert_eq!(ErrorCode::RateLimited.status(), 429);
        assert_eq!(ErrorCode::CsrfRejected.status(), 403);
        assert_eq!(AppError::unauthorized().status(), 401);
    }

    #[test]
    fn codes_serialize_in_snake_case() {
        let json = serde_json::to_string(&ErrorCode::RateLimited).unwrap_or_default();
        assert_eq!(json, "\"rate_limited\"");
    }

    #[test]
    fn invalid_field_names_the_field() {
        let err = AppError::invalid_field("name", "Name is required.");
        assert_eq!(
            err.details,
            Some(serde_json::json!({"name": "Name is required."}))
        );
    }
}
