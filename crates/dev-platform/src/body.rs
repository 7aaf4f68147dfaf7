//! Request bodies: size-limited JSON whose every failure is a 400 envelope, never a panic.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use platform_types::FieldError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest body the platform reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A JSON body decoded into `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::payload("body", "could not be read")
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Decodes `bytes` as `T`, naming the offending field when serde can tell.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let text = e.to_string();
        let field = text
            .split('`')
            .nth(1)
            .filter(|_| text.starts_with("missing field") || text.starts_with("unknown field"))
            .unwrap_or("body");
        let message = if e.is_syntax() || e.is_eof() {
            "is not valid JSON"
        } else if text.starts_with("missing field") {
            "is required"
        } else {
            "has the wrong type or shape"
        };
        ApiError::Payload {
            message: "The request body is malformed".into(),
            details: vec![FieldError {
                field: field.into(),
                message: message.into(),
            }],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::LoginRequest;

    fn details(r: Result<LoginRequest, ApiError>) -> Vec<FieldError> {
        match r {
            Err(ApiError::Payload { details, .. }) => details,
            other => panic!("expected a payload error, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn names_the_missing_field_and_never_echoes_input() {
        let d = details(parse(br#"{"email":"<script>"}"#));
        assert_eq!(d[0].field, "password");
        assert_eq!(d[0].message, "is required");
        let d = details(parse(b"{not json"));
        assert_eq!(d[0].field, "body");
        assert_eq!(d[0].message, "is not valid JSON");
        let d = details(parse(br#"{"email":1,"password":"x"}"#));
        assert!(!d[0].message.contains('1'));
    }
}
