//! Errors of the platform API and their envelope (contract §2.1).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use platform_types::{status_keys as keys, Envelope, ErrorBody, FieldError};

tokio::task_local! {
    /// Correlation id of the request being handled, set by the correlation middleware.
    pub static CORRELATION_ID: String;
}

/// The correlation id of the current request, or an empty string outside a request.
pub fn correlation_id() -> String {
    CORRELATION_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Every way a platform request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: not JSON, or a required field is missing.
    #[error("{message}")]
    Payload {
        /// What is wrong overall.
        message: String,
        /// Per field.
        details: Vec<FieldError>,
    },
    /// 401.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403 with the reason.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(&'static str),
    /// 405: the route exists, not with this method.
    #[error("This route does not take this method")]
    MethodNotAllowed,
    /// 409.
    #[error("{0}")]
    Conflict(&'static str),
    /// 410.
    #[error("The secrets of this API key were already handed out once and cannot be shown again")]
    Gone,
    /// 422 with details.
    #[error("{message}")]
    Invalid {
        /// What is wrong overall.
        message: String,
        /// Per field.
        details: Vec<FieldError>,
    },
    /// 429 with the wait in seconds.
    #[error("Too many requests; try again in {0} s")]
    RateLimited(u64),
    /// 503, optionally with a wait in seconds.
    #[error("The platform is temporarily unavailable")]
    Unavailable(Option<u64>),
    /// 500: the message is generic; the cause is logged, never echoed.
    #[error("Something went wrong on the platform")]
    Internal(String),
}

impl ApiError {
    /// A 400 about one field.
    pub fn payload(field: &str, message: &str) -> Self {
        Self::Payload {
            message: "The request is malformed".into(),
            details: vec![FieldError {
                field: field.into(),
                message: message.into(),
            }],
        }
    }

    /// A 422 about one field.
    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Invalid {
            message: message.into(),
            details: vec![FieldError {
                field: field.into(),
                message: message.into(),
            }],
        }
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Payload { .. } => (StatusCode::BAD_REQUEST, keys::PAYLOAD),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, keys::UNAUTHORIZED),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, keys::FORBIDDEN),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, keys::NOT_FOUND),
            // The contract has no key for it (a client classes an unknown key by its status).
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "handler_method_err"),
            Self::Conflict(_) => (StatusCode::CONFLICT, keys::CONFLICT),
            Self::Gone => (StatusCode::GONE, keys::GONE),
            Self::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, keys::INVALID),
            Self::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, keys::RATE_LIMITED),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, keys::UNAVAILABLE),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, keys::INTERNAL),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, key) = self.parts();
        if let Self::Internal(cause) = &self {
            tracing::error!(correlation_id = %correlation_id(), "internal error: {cause}");
        }
        let details = match &self {
            Self::Payload { details, .. } | Self::Invalid { details, .. } => Some(details.clone()),
            _ => None,
        };
        let body: Envelope<()> = Envelope {
            data: None,
            error: ErrorBody {
                code: status.as_u16(),
                status: key.into(),
                message: self.to_string(),
                correlation_id: correlation_id(),
                details,
            },
        };
        let mut resp = (status, Json(body)).into_response();
        let wait = match self {
            Self::RateLimited(s) => Some(s),
            Self::Unavailable(s) => s,
            _ => None,
        };
        if let Some(s) = wait {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s.max(1)));
        }
        resp
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
