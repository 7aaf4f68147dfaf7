//! Fault rules: "answer the next N requests of route R with X", for the console's end-to-end
//! tests (docs/dev-platform.md lists the routes and answers).

use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use platform_types::FieldError;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// A route of the platform, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// `GET /keys`.
    List,
    /// `GET /keys/{id}`.
    Detail,
    /// `GET /keys/base`.
    Base,
    /// `POST /keys`.
    Create,
    /// `GET /keys/{id}/sensitive`.
    Secrets,
    /// `DELETE /keys/{id}`.
    Delete,
    /// `POST /auth/login`.
    Login,
    /// `POST /auth/refresh`.
    Refresh,
    /// `POST /auth/logout`.
    Logout,
}

impl Route {
    /// The route a request is for, if it is one of the named ones.
    pub fn of(req: &Request) -> Option<Self> {
        let path = req
            .extensions()
            .get::<OriginalUri>()
            .map_or_else(|| req.uri().path(), |u| u.0.path());
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let m = req.method();
        Some(match segments.as_slice() {
            ["api", "tenants", _, "keys"] if m == Method::GET => Self::List,
            ["api", "tenants", _, "keys"] if m == Method::POST => Self::Create,
            ["api", "tenants", _, "keys", "base"] if m == Method::GET => Self::Base,
            ["api", "tenants", _, "keys", _] if m == Method::GET => Self::Detail,
            ["api", "tenants", _, "keys", _] if m == Method::DELETE => Self::Delete,
            ["api", "tenants", _, "keys", _, "sensitive"] if m == Method::GET => Self::Secrets,
            ["auth", "login"] if m == Method::POST => Self::Login,
            ["auth", "refresh"] if m == Method::POST => Self::Refresh,
            ["auth", "logout"] if m == Method::POST => Self::Logout,
            _ => return None,
        })
    }
}

/// How a rule answers, as written in the configuration: exactly one of `status`, `hang_ms`,
/// `drop`, `non_json` or `truncated` (`retry_after_secs` goes with a 429 or 503 `status`, and
/// `status` may also choose the status of a `non_json` page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respond {
    /// An error envelope with this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `Retry-After` of a 429 or 503.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Answer (for real) after this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hang_ms: Option<u64>,
    /// Break the answer off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<bool>,
    /// An HTML page instead of JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_json: Option<bool>,
    /// A JSON answer cut in the middle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
}

/// One rule of the configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The route it answers.
    pub route: Route,
    /// How many matching requests it answers; 0 = every one until reset.
    #[serde(default)]
    pub times: u32,
    /// The answer.
    pub respond: Respond,
}

/// The statuses a rule may answer with: those of the contract's error table.
const STATUSES: [u16; 10] = [400, 401, 403, 404, 409, 410, 422, 429, 500, 503];

/// A rule's answer, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The contract's error envelope for the status.
    Status(u16, Option<u64>),
    /// Wait, then answer for real.
    Hang(u64),
    /// Break the answer off.
    Drop,
    /// An HTML page with this status.
    NonJson(u16),
    /// A real answer, cut in the middle.
    Truncated,
}

impl Respond {
    /// The action it describes, or why it describes none.
    pub fn action(&self) -> Result<Action, &'static str> {
        let r = self;
        let flag = |f: Option<bool>| f == Some(true);
        let kinds = [
            r.status.is_some() && !flag(r.non_json),
            r.hang_ms.is_some(),
            flag(r.drop),
            flag(r.non_json),
            flag(r.truncated),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(
                "a rule responds with exactly one of status, hang_ms, drop, non_json or truncated",
            );
        }
        if flag(r.non_json) {
            return match r.status {
                Some(s) if StatusCode::from_u16(s).is_err() || s < 200 => {
                    Err("a non_json status must be an HTTP status from 200")
                }
                s => Ok(Action::NonJson(s.unwrap_or(502))),
            };
        }
        if let Some(s) = r.status {
            return if STATUSES.contains(&s) {
                Ok(Action::Status(s, r.retry_after_secs))
            } else {
                Err("status must be one of 400, 401, 403, 404, 409, 410, 422, 429, 500, 503")
            };
        }
        Ok(match r.hang_ms {
            Some(ms) => Action::Hang(ms),
            None if flag(r.drop) => Action::Drop,
            None => Action::Truncated,
        })
    }
}

/// The contract's envelope for `status`, with the message the platform would give on `route`.
pub fn error_for(route: Route, status: u16, retry_after: Option<u64>) -> ApiError {
    let on_a_key = matches!(route, Route::Detail | Route::Secrets | Route::Delete);
    let detail = |field: &str, message: &str| {
        vec![FieldError {
            field: field.into(),
            message: message.into(),
        }]
    };
    match status {
        400 => ApiError::Payload {
            message: "The request body is malformed".into(),
            details: detail("body", "is not valid JSON"),
        },
        401 => ApiError::Unauthorized("Your session has expired; sign in again"),
        403 => ApiError::Forbidden("You do not have access to this tenant".into()),
        404 if on_a_key => ApiError::NotFound("No such API key"),
        404 if matches!(route, Route::List | Route::Base | Route::Create) => {
            ApiError::NotFound("No such tenant")
        }
        404 => ApiError::NotFound("No such route"),
        409 if on_a_key => ApiError::Conflict("An operation on this key is in progress"),
        409 if route == Route::Create => {
            ApiError::Conflict("A request with this Idempotency-Key is still in progress")
        }
        409 => ApiError::Conflict("Another request is in progress"),
        410 => ApiError::Gone,
        422 => ApiError::Invalid {
            message: "This Arx is not available for new keys".into(),
            details: detail(
                "api_key.cluster_id",
                "This Arx is not available for new keys",
            ),
        },
        429 => ApiError::RateLimited(retry_after.unwrap_or(1)),
        503 => ApiError::Unavailable(retry_after),
        _ => ApiError::Internal("injected fault".into()),
    }
}

/// A gateway's HTML error page (or a 200 HTML page), where JSON was expected.
pub fn html_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<!doctype html><html><head><title>{} {reason}</title></head>\
         <body><h1>{reason}</h1><p>The gateway could not reach the platform.</p></body></html>",
        status.as_u16()
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// `resp`'s body cut in half, sent as a complete 200 JSON answer of that length.
pub async fn truncated(resp: Response) -> Response {
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let cut = if body.len() >= 2 {
        body.slice(..body.len() / 2)
    } else {
        Bytes::from_static(b"{\"data\":")
    };
    let mut out = Response::new(Body::from(cut.clone()));
    let h = out.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(cut.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An injected refusal reads as the platform's own on that route: a 404 of the list is no
    /// missing key, a 409 of a create is its idempotency key in flight.
    #[test]
    fn refusals_say_what_the_route_would() {
        let said = |route, status| error_for(route, status, None).to_string();
        assert_eq!(said(Route::Detail, 404), "No such API key");
        assert_eq!(said(Route::Delete, 404), "No such API key");
        assert_eq!(said(Route::List, 404), "No such tenant");
        assert_eq!(said(Route::Base, 404), "No such tenant");
        assert_eq!(said(Route::Refresh, 404), "No such route");
        assert_eq!(
            said(Route::Secrets, 409),
            "An operation on this key is in progress"
        );
        assert_eq!(
            said(Route::Create, 409),
            "A request with this Idempotency-Key is still in progress"
        );
        assert_eq!(said(Route::Logout, 409), "Another request is in progress");
    }
}
