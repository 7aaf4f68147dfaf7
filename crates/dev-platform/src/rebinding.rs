//! Defence against DNS rebinding. A page on another site can point its own name at 127.0.0.1;
//! the browser then takes this platform for that site, same-origin with the page, and lets it
//! call the API with the attacker's name in `Host`: sign in with a demo password, claim secrets
//! nobody has fetched yet, delete keys. Bound to a loopback address (the default), the platform
//! answers only to a name of this machine (`localhost`, `127.x.y.z`, `[::1]`) or the host of an
//! `--allow-origin`. Bound to another address, it is meant to be reached by other names, and
//! the check is off.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::AppState;

const REFUSED: &str =
    "This platform answers only to this machine's names (localhost, 127.0.0.1, [::1])";

/// Middleware on the platform's routes: 403 for a `Host` that names neither this machine nor an
/// allowed origin, when bound to loopback. A request without `Host` (HTTP/1.0, in-process
/// tests) is not a browser's and passes.
pub async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or(""));
    if state.loopback_only && host.is_some_and(|h| !allowed(h, &state.allowed_origins)) {
        return ApiError::Forbidden(REFUSED.into()).into_response();
    }
    next.run(req).await
}

/// Whether `bind` (the `--bind` address: an IPv6 one in brackets, as the listener needs it) is
/// this machine only.
pub fn is_loopback_bind(bind: &str) -> bool {
    let ip = bind
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(bind);
    ip.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// Whether `host` (a `Host` header: name and optional port) names this machine or the host of
/// one of `origins`.
fn allowed(host: &str, origins: &[String]) -> bool {
    let name = name_of(host).to_ascii_lowercase();
    let machine = name == "localhost"
        || name.ends_with(".localhost")
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    machine
        || origins.iter().any(|o| {
            let authority = o.split_once("://").map_or(o.as_str(), |(_, a)| a);
            name_of(authority.trim_end_matches('/')).eq_ignore_ascii_case(&name)
        })
}

/// The name in `authority` without its port (and without the brackets of an IPv6 address).
fn name_of(authority: &str) -> &str {
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_and_allowed_origins() {
        let origins = ["https://console.example:8443".to_owned()];
        for ok in [
            "localhost",
            "LOCALHOST:8080",
            "app.localhost:3000",
            "127.0.0.1:8080",
            "127.9.9.9",
            "[::1]:8080",
            "console.example:8443",
        ] {
            assert!(allowed(ok, &origins), "{ok}");
        }
        for bad in [
            "rebind.attacker.example:8080",
            "localhost.attacker.example",
            "127.0.0.1.attacker.example",
            "10.0.0.1:8080",
            "[::2]:8080",
            "",
        ] {
            assert!(!allowed(bad, &origins), "{bad}");
        }
        assert!(is_loopback_bind("127.0.0.1") && is_loopback_bind("[::1]"));
        assert!(!is_loopback_bind("0.0.0.0") && !is_loopback_bind("[::]"));
    }
}
