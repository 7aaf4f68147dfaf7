//! The envelope of every answer (contract §2) and its mapping to the payload or an [`ApiError`].

use std::ops::Range;

use platform_types::{status_keys as keys, Envelope};
use serde::de::DeserializeOwned;

use serde_json::value::RawValue;

use super::error::Said;
use super::ApiError;

/// The parts of an HTTP answer the mapping looks at.
#[derive(Debug, Clone, Default)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// `Retry-After`, if sent.
    pub retry_after: Option<String>,
    /// `X-Correlation-Id`, if sent.
    pub correlation_id: Option<String>,
}

/// Parses `Retry-After` given in seconds (an HTTP date is ignored as unknown).
pub fn parse_retry_after(v: Option<&str>) -> Option<u64> {
    v.and_then(|s| s.trim().parse::<u64>().ok())
}

/// Maps an HTTP answer to the payload or an [`ApiError`] (contract §2, §2.1).
///
/// A success needs a JSON envelope whose `data` decodes as `T` (`null` data decodes when `T`
/// accepts it). An error is classified by `error.status` first, then by the HTTP status class
/// (also when its envelope is not the contract's); a body that is not a JSON object counts as a
/// network-level failure (a proxy or captive portal answered, not the platform).
pub fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, ApiError> {
    let data = payload(raw)?;
    decode_payload(raw, data)
}

/// Decodes the payload found by [`payload`] in `raw`.
pub(super) fn decode_payload<T: DeserializeOwned>(
    raw: &RawResponse,
    data: Option<Range<usize>>,
) -> Result<T, ApiError> {
    let text = data.map_or("null", |r| &raw.body[r]);
    serde_json::from_str(text).map_err(|e| ApiError::Decode(super::error::json_problem(&e)))
}

/// Where a success's `data` is in the body (`None`: absent or `null`), or the answer's error.
/// One function for every payload type: only the payload's own decoding is generic.
pub(super) fn payload(raw: &RawResponse) -> Result<Option<Range<usize>>, ApiError> {
    // An envelope is an object; serde would also take the array `[data, error]`.
    let body = raw.body.trim_start();
    let object = body.starts_with('{');
    let parsed = object.then(|| serde_json::from_str::<Envelope<&RawValue>>(&raw.body));
    let retry_after_secs = parse_retry_after(raw.retry_after.as_deref());
    let envelope = match parsed {
        Some(Ok(envelope)) => envelope,
        // JSON, so the platform answered, but not in the contract's envelope: a success cannot
        // be read; an error is classed by its HTTP status, as for an unknown key.
        Some(Err(e)) if e.classify() == serde_json::error::Category::Data => {
            if (200..300).contains(&raw.status) {
                return Err(ApiError::Decode(super::error::json_problem(&e)));
            }
            Envelope {
                data: None,
                error: Default::default(),
            }
        }
        _ => {
            return Err(match raw.status {
                429 => ApiError::RateLimited {
                    retry_after_secs,
                    message: String::new(),
                    correlation_id: raw.correlation_id.clone().unwrap_or_default(),
                },
                503 => ApiError::Server {
                    status: 503,
                    message: String::new(),
                    correlation_id: raw.correlation_id.clone().unwrap_or_default(),
                    retry_after_secs,
                },
                // JSON that stops part way or is garbled is the platform's answer damaged on
                // the way; anything else (a page, plain text, nothing) is no answer of its.
                _ if object || body.starts_with('[') => {
                    ApiError::Network("the answer was cut short or garbled".into())
                }
                status => ApiError::NotJson { status },
            });
        }
    };
    if (200..300).contains(&raw.status) {
        let start = raw.body.as_ptr() as usize;
        return Ok(envelope.data.map(|d| {
            let at = d.get().as_ptr() as usize - start;
            at..at + d.get().len()
        }));
    }
    let err = envelope.error;
    let correlation_id = if err.correlation_id.is_empty() {
        raw.correlation_id.clone().unwrap_or_default()
    } else {
        err.correlation_id
    };
    let said = Said {
        message: err.message,
        correlation_id,
    };
    // The status key decides; an unknown one falls back on the HTTP status.
    let class = match err.status.as_str() {
        keys::UNAUTHORIZED => 401,
        keys::FORBIDDEN => 403,
        keys::NOT_FOUND => 404,
        keys::CONFLICT => 409,
        keys::GONE => 410,
        keys::PAYLOAD | keys::INVALID => 400,
        keys::RATE_LIMITED => 429,
        keys::INTERNAL | keys::UNAVAILABLE => 500,
        _ => raw.status,
    };
    Err(match class {
        401 => ApiError::Unauthorized(said),
        403 => ApiError::Forbidden(said),
        404 => ApiError::NotFound(said),
        409 => ApiError::Conflict(said),
        410 => ApiError::Gone(said),
        429 => ApiError::RateLimited {
            retry_after_secs,
            message: said.message,
            correlation_id: said.correlation_id,
        },
        400..=499 => ApiError::Validation {
            message: said.message,
            fields: err.details.unwrap_or_default(),
            correlation_id: said.correlation_id,
        },
        // A non-error status with an error body, 5xx, or anything unexpected.
        _ => ApiError::Server {
            status: raw.status,
            message: said.message,
            correlation_id: said.correlation_id,
            retry_after_secs,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::ApiKeys;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            body: body.into(),
            retry_after: None,
            correlation_id: Some("corr-h".into()),
        }
    }

    fn err_body(code: u16, key: &str) -> String {
        format!(
            r#"{{"data":null,"error":{{"code":{code},"status":"{key}","message":"msg","correlation_id":"corr-b","details":[{{"field":"f","message":"m"}}]}}}}"#
        )
    }

    #[test]
    fn success_decodes_data() {
        let ok: ApiKeys = decode(&raw(
            200,
            r#"{"data":{"api_keys":[{"id":"apikey--1"}]},"error":{"code":0,"status":"","message":"","correlation_id":"","details":null}}"#,
        ))
        .unwrap();
        assert_eq!(ok.api_keys[0].id, "apikey--1");
        let unit: Option<()> = decode(&raw(200, r#"{"data":null,"error":null}"#)).unwrap();
        assert_eq!(unit, None);
    }

    #[test]
    fn success_with_wrong_shape_is_decode_error() {
        let e = decode::<ApiKeys>(&raw(200, r#"{"data":{"api_keys":"nope"}}"#)).unwrap_err();
        assert!(matches!(e, ApiError::Decode(_)));
        let e = decode::<ApiKeys>(&raw(200, r#"{"data":null}"#)).unwrap_err();
        assert!(
            matches!(e, ApiError::Decode(_)),
            "missing data for a required payload"
        );
    }

    #[test]
    fn status_keys_table() {
        type Case = (u16, &'static str, fn(&ApiError) -> bool);
        let table: &[Case] = &[
            (
                400,
                "handler_payload_err",
                |e| matches!(e, ApiError::Validation { fields, .. } if fields[0].field == "f"),
            ),
            (
                401,
                "service_unauthorized_err",
                |e| matches!(e, ApiError::Unauthorized(s) if s.message == "msg"),
            ),
            (
                403,
                "internal_authz_err",
                |e| matches!(e, ApiError::Forbidden(s) if s.message == "msg"),
            ),
            (404, "db_not_exist_err", |e| {
                matches!(e, ApiError::NotFound(_))
            }),
            (409, "internal_lock_hold_by_another", |e| {
                matches!(e, ApiError::Conflict(_))
            }),
            (410, "api_key_secrets_already_provided", |e| {
                matches!(e, ApiError::Gone(_))
            }),
            (422, "handler_data_err", |e| {
                matches!(e, ApiError::Validation { .. })
            }),
            (429, "internal_rate_limited", |e| {
                matches!(e, ApiError::RateLimited { .. })
            }),
            (
                500,
                "internal_err",
                |e| matches!(e, ApiError::Server { status: 500, correlation_id, .. } if correlation_id == "corr-b"),
            ),
            (503, "service_unavailable_err", |e| {
                matches!(e, ApiError::Server { status: 503, .. })
            }),
            // Unknown keys fall back to the HTTP class.
            (401, "brand_new_key", |e| {
                matches!(e, ApiError::Unauthorized(_))
            }),
            (403, "brand_new_key", |e| {
                matches!(e, ApiError::Forbidden(_))
            }),
            (404, "", |e| matches!(e, ApiError::NotFound(_))),
            (409, "x", |e| matches!(e, ApiError::Conflict(_))),
            (410, "x", |e| matches!(e, ApiError::Gone(_))),
            (418, "x", |e| matches!(e, ApiError::Validation { .. })),
            (429, "x", |e| matches!(e, ApiError::RateLimited { .. })),
            (502, "x", |e| {
                matches!(e, ApiError::Server { status: 502, .. })
            }),
            (599, "", |e| matches!(e, ApiError::Server { .. })),
        ];
        for (code, key, check) in table {
            let e = decode::<ApiKeys>(&raw(*code, &err_body(*code, key))).unwrap_err();
            assert!(check(&e), "{code} {key:?} gave {e:?}");
            // Contract §2.1: every error panel shows the correlation id, so every refusal
            // keeps it: the body's, else the `X-Correlation-Id` header's.
            assert_eq!(e.correlation_id(), Some("corr-b"), "{code} {key:?}: {e:?}");
            let header_only = err_body(*code, key).replace("corr-b", "");
            let e = decode::<ApiKeys>(&raw(*code, &header_only)).unwrap_err();
            assert_eq!(e.correlation_id(), Some("corr-h"), "{code} {key:?}: {e:?}");
        }
        assert_eq!(ApiError::Timeout.correlation_id(), None);
    }

    #[test]
    fn non_json_bodies_are_network_failures_except_throttling() {
        for code in [200, 404, 500, 502] {
            let e = decode::<ApiKeys>(&raw(code, "<html>Bad gateway</html>")).unwrap_err();
            assert_eq!(e, ApiError::NotJson { status: code });
            assert!(e.is_unanswered() && e.is_retryable(), "{code}");
            // Cut off on the way: the platform's answer, damaged, not another server's.
            let e = decode::<ApiKeys>(&raw(code, r#"{"data":{"api_keys":[{"id":"#)).unwrap_err();
            assert!(matches!(e, ApiError::Network(_)), "{code}: {e:?}");
            assert!(e.user_message().contains("could not be reached"));
        }
        // A gateway's page: the platform was not reached. A page with 200: something else
        // answered, which a connection check would not mend.
        let gateway = ApiError::NotJson { status: 502 }.user_message();
        assert!(gateway.contains("could not be reached") && gateway.contains("HTTP 502"));
        let elsewhere = ApiError::NotJson { status: 200 }.user_message();
        assert!(elsewhere.contains("Something other than the platform answered"));
        assert!(elsewhere.contains("config.json"));
        let mut r = raw(429, "slow down");
        r.retry_after = Some("7".into());
        assert_eq!(
            decode::<ApiKeys>(&r).unwrap_err(),
            ApiError::RateLimited {
                retry_after_secs: Some(7),
                message: String::new(),
                correlation_id: "corr-h".into(),
            }
        );
        let e = decode::<ApiKeys>(&raw(503, "")).unwrap_err();
        assert!(matches!(e, ApiError::Server { status: 503, .. }));
    }

    #[test]
    fn an_error_envelope_of_another_shape_is_classed_by_its_http_status() {
        // JSON, so the platform (not a proxy) answered; its error member is not the contract's.
        for body in [
            r#"{"data":null,"error":"expired"}"#,
            r#"{"data":null,"error":{"code":"401","status":7}}"#,
            r#"{"error":{"status":"service_unauthorized_err","code":"401"}}"#,
        ] {
            let e = decode::<ApiKeys>(&raw(401, body)).unwrap_err();
            assert!(matches!(e, ApiError::Unauthorized(_)), "{body}: {e:?}");
            assert_eq!(e.correlation_id(), Some("corr-h"), "{body}");
        }
        let e = decode::<ApiKeys>(&raw(500, r#"{"error":[]}"#)).unwrap_err();
        assert!(matches!(e, ApiError::Server { status: 500, .. }), "{e:?}");
        let e = decode::<ApiKeys>(&raw(200, r#"{"data":{},"error":"x"}"#)).unwrap_err();
        assert!(matches!(e, ApiError::Decode(_)), "{e:?}");
    }

    #[test]
    fn retry_after_and_correlation_come_from_headers() {
        let mut r = raw(429, &err_body(429, "internal_rate_limited"));
        r.retry_after = Some(" 12 ".into());
        assert!(matches!(
            decode::<ApiKeys>(&r).unwrap_err(),
            ApiError::RateLimited {
                retry_after_secs: Some(12),
                ..
            }
        ));
        let body = r#"{"data":null,"error":{"code":500,"status":"internal_err","message":"","correlation_id":"","details":null}}"#;
        let e = decode::<ApiKeys>(&raw(500, body)).unwrap_err();
        assert_eq!(e.correlation_id(), Some("corr-h"));
        assert_eq!(e.user_message(), "Something went wrong on the platform.");
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
    }
}
