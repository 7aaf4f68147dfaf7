//! The envelope around every answer and its error member (contract §2, §2.1).

use serde::{Deserialize, Serialize};

use crate::de::{decode_object, null_default};

/// The `error` member of every response envelope (contract §2).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorBody {
    /// HTTP status repeated in the body; 0 on success.
    pub code: u16,
    /// Machine-readable key such as `internal_authz_err`; empty on success.
    pub status: String,
    /// Text that is safe to show to a person.
    pub message: String,
    /// Id to quote to support; also sent as the `X-Correlation-Id` header.
    pub correlation_id: String,
    /// Field errors of a 400, `[{"field", "message"}]`; `null` otherwise (and for any other shape:
    /// the rest of the error still counts).
    pub details: Option<Vec<FieldError>>,
}

decode_object!(ErrorBody, "an error", {
    code: lenient, status: lenient, message: lenient, correlation_id: lenient, details: objects_if_list,
});

impl ErrorBody {
    /// Whether this is the zeroed error object of a successful response.
    pub fn is_ok(&self) -> bool {
        self.code == 0 && self.status.is_empty()
    }
}

/// One field of a validation error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Name of the offending field.
    pub field: String,
    /// Why it was refused.
    pub message: String,
}

// Detail only: a field or message of another type is skipped, not the whole error.
decode_object!(FieldError, "a field error", { field: text_or_skip, message: text_or_skip });

/// The envelope `{"data": …, "error": …}` around every response body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// The payload; `null` on error and for routes without one.
    #[serde(default = "none")]
    pub data: Option<T>,
    /// Zeroed on success.
    #[serde(default, deserialize_with = "null_default")]
    pub error: ErrorBody,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    /// A success envelope around `data`.
    pub fn ok(data: T) -> Self {
        Self {
            data: Some(data),
            error: ErrorBody::default(),
        }
    }
}

/// Error `status` keys of contract §2.1.
pub mod status_keys {
    /// 400: body not JSON or missing a required field.
    pub const PAYLOAD: &str = "handler_payload_err";
    /// 401: no token, bad token, expired token, wrong credentials.
    pub const UNAUTHORIZED: &str = "service_unauthorized_err";
    /// 403: role may not do this, or another tenant.
    pub const FORBIDDEN: &str = "internal_authz_err";
    /// 404: no such key.
    pub const NOT_FOUND: &str = "db_not_exist_err";
    /// 409: an operation is in flight.
    pub const CONFLICT: &str = "internal_lock_hold_by_another";
    /// 410: the one-time secrets were already handed out.
    pub const GONE: &str = "api_key_secrets_already_provided";
    /// 422: well-formed but invalid.
    pub const INVALID: &str = "handler_data_err";
    /// 429: too many requests.
    pub const RATE_LIMITED: &str = "internal_rate_limited";
    /// 500: anything else.
    pub const INTERNAL: &str = "internal_err";
    /// 503: maintenance.
    pub const UNAVAILABLE: &str = "service_unavailable_err";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::ApiKeys;

    #[test]
    fn envelope_with_nulls_and_unknown_fields_decodes() {
        let body = r#"{"data":{"acl":null,"api_keys":null,"model":{"applications":null},"insights":{"total_keys":3},"extra":1},"error":null}"#;
        let env: Envelope<ApiKeys> = serde_json::from_str(body).unwrap();
        let data = env.data.unwrap();
        assert!(data.api_keys.is_empty());
        assert_eq!(data.insights.total_keys, 3);
        assert!(env.error.is_ok());
    }

    #[test]
    fn error_envelope_decodes_details() {
        let body = r#"{"data":null,"error":{"code":400,"status":"handler_payload_err","message":"bad","correlation_id":"c1","details":[{"field":"api_key.cluster_id","message":"required"}]}}"#;
        let env: Envelope<serde_json::Value> = serde_json::from_str(body).unwrap();
        assert!(env.data.is_none());
        assert_eq!(env.error.code, 400);
        assert_eq!(env.error.details.unwrap()[0].field, "api_key.cluster_id");
    }

    #[test]
    fn details_of_another_shape_leave_the_rest_of_the_error() {
        for details in [
            r#"{"why":"expired"}"#,
            r#""expired""#,
            "7",
            r#"[{"field":"a","message":"m"},"loose",null,{"field":"b","message":7}]"#,
        ] {
            let body = format!(
                r#"{{"data":null,"error":{{"code":401,"status":"service_unauthorized_err","message":"Sign in again","details":{details}}}}}"#
            );
            let env: Envelope<serde_json::Value> = serde_json::from_str(&body).unwrap();
            assert_eq!(env.error.status, "service_unauthorized_err", "{details}");
            assert_eq!(env.error.message, "Sign in again", "{details}");
            let fields: Vec<String> = env
                .error
                .details
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.field)
                .collect();
            let want: &[&str] = if details.starts_with('[') {
                &["a", "b"]
            } else {
                &[]
            };
            assert_eq!(fields, want, "{details}");
        }
    }
}
