//! Fault injection for reliability tests: latency, failing a share of requests, and dropping the
//! response of a committed create. Off unless `--faults`; the control endpoint answers loopback only.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::AppState;

/// What to inject; all zero means nothing.
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
}

/// The fault switchboard.
#[derive(Default)]
pub struct Faults {
    enabled: bool,
    config: Mutex<FaultConfig>,
}

impl Faults {
    /// A switchboard; `enabled` is `--faults`.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            config: Mutex::default(),
        }
    }

    /// Whether the control endpoint exists.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn get(&self) -> FaultConfig {
        self.config
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the configuration.
    pub fn set(&self, cfg: FaultConfig) {
        *self.config.lock().unwrap_or_else(|p| p.into_inner()) = cfg;
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
        let mut cfg = self.config.lock().unwrap_or_else(|p| p.into_inner());
        if cfg.drop_create_responses > 0 {
            cfg.drop_create_responses -= 1;
            true
        } else {
            false
        }
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

/// Middleware on the platform routes: injects latency and failures when configured.
pub async fn apply(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if state.faults.enabled {
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
    }
    next.run(req).await
}

/// `GET|PUT|DELETE /__faults`: read, replace or reset the faults; loopback callers only.
pub async fn control(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let from_loopback = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(a)| a.ip().is_loopback());
    if !from_loopback {
        return StatusCode::FORBIDDEN.into_response();
    }
    match req.method().clone() {
        Method::GET => Json(state.faults.get()).into_response(),
        Method::DELETE => {
            state.faults.set(FaultConfig::default());
            Json(state.faults.get()).into_response()
        }
        Method::PUT | Method::POST => {
            let bytes = match axum::body::to_bytes(req.into_body(), 4096).await {
                Ok(b) => b,
                Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            };
            match serde_json::from_slice::<FaultConfig>(&bytes) {
                Ok(cfg) => {
                    state.faults.set(cfg);
                    Json(state.faults.get()).into_response()
                }
                Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
            }
        }
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}
