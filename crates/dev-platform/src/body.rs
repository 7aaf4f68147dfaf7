//! Request bodies: size-limited JSON whose every failure is a 400 envelope, never a panic.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use platform_types::FieldError;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::ApiError;

/// Largest body the platform reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A JSON body decoded into `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// A body read whole (size-limited) and not decoded yet: for a route that must decide who may
/// call it before decoding, so that a caller it refuses hears 403 whatever the body holds (a
/// body over the limit is still 400 first).
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    // The contract's 400, whose details name the field: here the whole body.
                    ApiError::payload("body", "is larger than the platform accepts (16 KiB)")
                } else {
                    ApiError::payload("body", "could not be read")
                }
            })
    }
}

/// Decodes `bytes` as `T`, naming the path of the value where decoding failed (`body` for the
/// whole body) and saying what kind of failure it was; serde's own message, which can quote the
/// input, is never passed on.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let (field, category) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => match de.end() {
            Ok(()) => return Ok(v),
            Err(trailing) => ("body".to_owned(), trailing.classify()),
        },
        Err(e) => {
            let category = e.inner().classify();
            let path = e.path().to_string();
            match category {
                Category::Data if path != "." => (path, category),
                _ => ("body".to_owned(), category),
            }
        }
    };
    let message = match category {
        Category::Syntax | Category::Eof => "is not valid JSON",
        Category::Data => "misses a required member or has the wrong type",
        Category::Io => "could not be read",
    };
    Err(ApiError::Payload {
        message: "The request body is malformed".into(),
        details: vec![FieldError {
            field,
            message: message.into(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::CreateApiKeyRequest;

    fn details(r: Result<CreateApiKeyRequest, ApiError>) -> Vec<FieldError> {
        match r {
            Err(ApiError::Payload { details, .. }) => details,
            other => panic!("expected a payload error, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn names_the_path_of_a_wrong_value_and_never_echoes_input() {
        let d = details(parse(br#"{"api_key":{"cluster_id":["<script>"]}}"#));
        assert_eq!(d[0].field, "api_key.cluster_id");
        assert_eq!(
            d[0].message,
            "misses a required member or has the wrong type"
        );
        assert!(!d[0].message.contains("script"));
        let d = details(parse(br#"{"api_key":7}"#));
        assert_eq!(d[0].field, "api_key");
    }

    #[test]
    fn syntax_errors_and_trailing_text_are_not_json() {
        for body in [
            &b"{not json"[..],
            b"",
            br#"{"api_key":{"cluster_id":"a"}} tail"#,
        ] {
            let d = details(parse(body));
            assert_eq!(d[0].field, "body");
            assert_eq!(d[0].message, "is not valid JSON");
        }
    }

    #[test]
    fn a_missing_member_is_reported_where_it_is_missing() {
        let d = details(parse(br#"{"api_key":{}}"#));
        assert_eq!(d[0].field, "api_key");
        assert_eq!(
            d[0].message,
            "misses a required member or has the wrong type"
        );
    }
}
