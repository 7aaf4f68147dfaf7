//! Fault injection for reliability and end-to-end tests: latency, failing a share of requests,
//! dropping the response of a committed create, and rules answering the next requests of a
//! route in a chosen way. Off unless `--faults`; the control endpoint answers loopback only.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::AppState;

pub mod rules;

use rules::{Action, Route, Rule};

/// What to inject; all zero and no rules means nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Added before every platform request.
    pub latency_ms: u64,
    /// Share of platform requests (0.0–1.0) that fail with `fail_status`.
    pub fail_rate: f64,
    /// 500, 503 or 429.
    pub fail_status: u16,
    /// `Retry-After` of injected 429 and 503 answers.
    pub retry_after_secs: u64,
    /// How many of the next creates commit the key but drop the response.
    pub drop_create_responses: u32,
    /// Time a create holds its idempotency reservation before committing.
    pub create_hold_ms: u64,
    /// Rules answering the next requests of a route; the first matching one with uses left
    /// answers.
    pub rules: Vec<Rule>,
}

/// A rule in force: its route, its checked answer, and its uses left (`None`: unlimited).
struct LiveRule {
    route: Route,
    action: Action,
    left: Option<u32>,
}

#[derive(Default)]
struct Switches {
    config: FaultConfig,
    rules: Vec<LiveRule>,
}

/// The fault switchboard.
#[derive(Default)]
pub struct Faults {
    enabled: bool,
    switches: Mutex<Switches>,
}

impl Faults {
    /// A switchboard; `enabled` is `--faults`.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            switches: Mutex::default(),
        }
    }

    /// Whether the control endpoint exists.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Switches> {
        self.switches.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self) -> FaultConfig {
        self.lock().config.clone()
    }

    /// Replaces the configuration, after checking its rules (the message says what is wrong).
    pub fn set(&self, cfg: FaultConfig) -> Result<(), &'static str> {
        // Held past the reservation's lifetime, a retry would take the reservation over and
        // make a second key: the fault would break the promise it is there to test.
        if i64::try_from(cfg.create_hold_ms).map_or(true, |ms| ms >= crate::keys::IN_FLIGHT_TTL_MS)
        {
            return Err("create_hold_ms must be under the reservation's 60 s");
        }
        let rules = cfg
            .rules
            .iter()
            .map(|r| {
                Ok(LiveRule {
                    route: r.route,
                    action: r.respond.action()?,
                    left: (r.times > 0).then_some(r.times),
                })
            })
            .collect::<Result<Vec<_>, &'static str>>()?;
        *self.lock() = Switches { config: cfg, rules };
        Ok(())
    }

    /// How long a create holds its reservation.
    pub fn create_hold_ms(&self) -> u64 {
        if self.enabled {
            self.get().create_hold_ms
        } else {
            0
        }
    }

    /// Whether to drop this create's response (and count it).
    pub fn take_dropped_create(&self) -> bool {
        if !self.enabled {
            return false;
        }
        let mut s = self.lock();
        if s.config.drop_create_responses > 0 {
            s.config.drop_create_responses -= 1;
            true
        } else {
            false
        }
    }

    /// The answer of the first rule for `route` with uses left, using one up.
    fn take_rule(&self, route: Route) -> Option<Action> {
        let mut s = self.lock();
        let rule = s
            .rules
            .iter_mut()
            .find(|r| r.route == route && r.left != Some(0))?;
        if let Some(left) = &mut rule.left {
            *left -= 1;
        }
        Some(rule.action)
    }
}

/// A 200 JSON response whose body fails after the headers: the connection is cut mid-answer,
/// so the client's fetch fails although the server did its work.
pub fn broken_response() -> Response {
    Response::builder()
        .header("content-type", "application/json")
        .body(broken_body())
        .unwrap_or_default()
}

fn broken_body() -> Body {
    struct Broken;
    impl http_body::Body for Broken {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Ready(Some(Err(std::io::Error::other(
                "dropped by fault injection",
            ))))
        }
    }
    Body::new(Broken)
}

/// Middleware on the platform routes: rules first, then latency and failures when configured.
pub async fn apply(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if !state.faults.enabled {
        return next.run(req).await;
    }
    let route = Route::of(&req);
    if let Some((route, action)) = route.and_then(|r| Some((r, state.faults.take_rule(r)?))) {
        return match action {
            Action::Status(status, retry) => rules::error_for(route, status, retry).into_response(),
            Action::Hang(ms) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                next.run(req).await
            }
            Action::Drop => broken_response(),
            Action::NonJson(status) => rules::html_page(status),
            Action::Truncated => {
                // Uncompressed, so the cut falls inside the JSON text.
                let mut req = req;
                req.headers_mut().remove(header::ACCEPT_ENCODING);
                rules::truncated(next.run(req).await).await
            }
        };
    }
    let cfg = state.faults.get();
    if cfg.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(cfg.latency_ms)).await;
    }
    if cfg.fail_rate > 0.0 && rand::thread_rng().gen_bool(cfg.fail_rate.clamp(0.0, 1.0)) {
        let wait = Some(cfg.retry_after_secs.max(1));
        return match cfg.fail_status {
            429 => ApiError::RateLimited(cfg.retry_after_secs.max(1)),
            503 => ApiError::Unavailable(wait),
            _ => ApiError::Internal("injected fault".into()),
        }
        .into_response();
    }
    next.run(req).await
}

/// A caller of `/__faults` on this machine: a loopback peer that also named a loopback host
/// (a page elsewhere whose name was made to resolve to 127.0.0.1 still sends its own name).
pub struct Loopback(bool);

impl<S: Send + Sync> FromRequestParts<S> for Loopback {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(a)| a.ip().is_loopback());
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(is_loopback_host);
        Ok(Self(peer && host))
    }
}

/// `127.0.0.1`, `localhost` or `[::1]`, with any port.
fn is_loopback_host(host: &str) -> bool {
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|l| name.eq_ignore_ascii_case(l))
        && (name.len() == host.len() || host[name.len()..].starts_with(':'))
}

const NOT_LOOPBACK: &str = "The fault control answers requests from this machine only";

/// `PUT /__faults`: replaces the faults with the JSON body.
pub async fn replace(
    State(state): State<Arc<AppState>>,
    Loopback(local): Loopback,
    body: Result<Json<FaultConfig>, JsonRejection>,
) -> Response {
    if !local {
        return (StatusCode::FORBIDDEN, NOT_LOOPBACK).into_response();
    }
    let cfg = match body {
        Ok(Json(cfg)) => cfg,
        // The rejection's own text can quote the body: it is not passed on.
        Err(rejection) => {
            return (
                rejection.status(),
                "The body must be a JSON fault configuration (docs/dev-platform.md)",
            )
                .into_response()
        }
    };
    match state.faults.set(cfg) {
        Ok(()) => Json(state.faults.get()).into_response(),
        Err(why) => (StatusCode::UNPROCESSABLE_ENTITY, why).into_response(),
    }
}

/// `DELETE /__faults`: resets every fault, rules included.
pub async fn reset(State(state): State<Arc<AppState>>, Loopback(local): Loopback) -> Response {
    if !local {
        return (StatusCode::FORBIDDEN, NOT_LOOPBACK).into_response();
    }
    state.faults.set(FaultConfig::default()).ok();
    Json(state.faults.get()).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_hosts() {
        for h in [
            "127.0.0.1",
            "127.0.0.1:80",
            "localhost:8080",
            "[::1]",
            "[::1]:9",
            "LocalHost",
        ] {
            assert!(super::is_loopback_host(h), "{h}");
        }
        for h in [
            "",
            "evil.test",
            "127.0.0.1.evil.test",
            "localhost.evil.test",
            "[::1].x",
            "127.0.0.2",
        ] {
            assert!(!super::is_loopback_host(h), "{h}");
        }
    }
}
