//! The guard of `/auth/*` against cross-site requests (contract §3): a page on another site can
//! make a browser post a form or a simple `fetch` to these routes with its cookies, which would
//! sign the browser into an account of the attacker's choosing, or out of its own.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::AppState;

const REFUSED: &str = "Sign-in requests from another site are refused";

/// Middleware on `/auth/*`: 403 for a `Sec-Fetch-Site: cross-site` request, for an `Origin`
/// other than this server's own (or one allowed with `--allow-origin`), and for a body type a
/// cross-site form or simple request can send. `/auth/login` needs `Content-Type:
/// application/json`; `/auth/refresh` and `/auth/logout` take no body, so there the type may
/// also be absent (the console sends none without a body), but no other type is accepted.
pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let needs_json = req.uri().path().ends_with("/login");
    if refused(req.headers(), needs_json, &state.allowed_origins) {
        return ApiError::Forbidden(REFUSED.into()).into_response();
    }
    next.run(req).await
}

fn refused(headers: &HeaderMap, needs_json: bool, allowed: &[String]) -> bool {
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let foreign = headers.get(header::ORIGIN).is_some_and(|o| {
        let o = o.to_str().unwrap_or("null");
        let own = own_origin(headers);
        !(own.is_some_and(|own| same_origin(o, &own)) || allowed.iter().any(|a| same_origin(o, a)))
    });
    let wrong_type = match headers.get(header::CONTENT_TYPE) {
        None => needs_json,
        Some(t) => !is_json(t.to_str().unwrap_or("")),
    };
    cross_site || foreign || wrong_type
}

/// `application/json`, with or without parameters such as a charset.
fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// `scheme://host[:port]` this request was sent to: the `Host` header, with the scheme from
/// `X-Forwarded-Proto` (a TLS-terminating proxy in front) or `http`.
fn own_origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let scheme = if crate::is_https(headers) {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

/// Compares two origins, case-insensitively and with the scheme's default port made explicit.
fn same_origin(a: &str, b: &str) -> bool {
    fn normal(o: &str) -> String {
        let o = o.trim().trim_end_matches('/').to_ascii_lowercase();
        for (scheme, port) in [("http://", ":80"), ("https://", ":443")] {
            if let Some(host) = o.strip_prefix(scheme) {
                return if has_port(host) {
                    o
                } else {
                    format!("{o}{port}")
                };
            }
        }
        o
    }
    fn has_port(host: &str) -> bool {
        !host.ends_with(']')
            && host
                .rsplit_once(':')
                .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    }
    normal(a) == normal(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_with_default_ports_and_case() {
        assert!(same_origin("http://Example.test", "http://example.test:80"));
        assert!(same_origin(
            "https://example.test:443",
            "https://example.test"
        ));
        assert!(same_origin("http://[::1]:8080", "http://[::1]:8080"));
        assert!(same_origin("http://[::1]", "http://[::1]:80"));
        assert!(!same_origin("http://example.test", "https://example.test"));
        assert!(!same_origin(
            "http://example.test:8080",
            "http://example.test"
        ));
        assert!(!same_origin("null", "http://example.test"));
    }

    #[test]
    fn json_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(!is_json("application/jsonx"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
