//! The one API client: request building, the envelope, error mapping, deadlines, retries and
//! cancellation. One async method per endpoint lives in `auth.rs` and `keys.rs`; no view code.

pub mod auth;
pub mod error;
pub mod keys;
pub mod retry;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub use error::ApiError;
pub use retry::RetryPolicy;

use crate::config::RuntimeConfig;
use crate::session::Session;
use error::RawResponse;

/// HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

/// One request, before it is sent.
#[derive(Debug, Clone)]
pub struct Call {
    /// Method.
    pub method: Method,
    /// Absolute or origin-relative URL.
    pub url: String,
    /// JSON body.
    pub body: Option<String>,
    /// `Idempotency-Key`; makes a POST safe to replay.
    pub idempotency_key: Option<String>,
    /// Send the bearer token (and refresh once on 401).
    pub authenticated: bool,
    /// Send cookies across origins (the refresh cookie of `/auth/*`).
    pub with_credentials: bool,
    /// The server answers this only once (the one-time secrets): never replay it.
    pub once: bool,
    /// Work to do while a large answer is still arriving (see [`read_response`]).
    pub meanwhile: Option<fn()>,
}

impl Call {
    /// A call of `method` to `url`, authenticated, without a body.
    pub fn new(method: Method, url: String) -> Self {
        Self {
            method,
            url,
            body: None,
            idempotency_key: None,
            authenticated: true,
            with_credentials: false,
            once: false,
            meanwhile: None,
        }
    }

    /// Whether a failed attempt may be repeated without asking the person.
    pub fn replayable(&self) -> bool {
        if self.once {
            return false;
        }
        match self.method {
            Method::Get | Method::Delete => true,
            Method::Post => self.idempotency_key.is_some(),
        }
    }
}

/// Handle to the platform API; cheap to copy around through context.
#[derive(Clone)]
pub struct ApiClient {
    config: Arc<RuntimeConfig>,
    session: Session,
    policy: RetryPolicy,
}

/// Puts an [`ApiClient`] in context.
pub fn provide_api_client(config: RuntimeConfig, session: Session) -> ApiClient {
    let client = ApiClient {
        config: Arc::new(config),
        session,
        policy: RetryPolicy::default(),
    };
    provide_context(client.clone());
    client
}

/// The client provided by [`provide_api_client`].
pub fn use_api_client() -> ApiClient {
    expect_context::<ApiClient>()
}

impl ApiClient {
    /// The runtime configuration.
    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    /// The session this client authenticates with.
    pub fn session(&self) -> Session {
        self.session
    }

    /// Sends `call` and decodes the payload, retrying transient failures per the policy and
    /// refreshing the session once on a 401.
    pub async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T, ApiError> {
        let mut retries = 0;
        let mut refreshed = false;
        loop {
            let token = if call.authenticated {
                self.session.token()
            } else {
                None
            };
            let result = fetch(&call, token.as_deref(), self.config.request_timeout_ms)
                .await
                .and_then(|raw| error::decode::<T>(&raw));
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if call.authenticated && matches!(err, ApiError::Unauthorized(_)) {
                if !refreshed && self.session.refresh(self).await.is_ok() {
                    refreshed = true;
                    continue;
                }
                self.session.expire();
                return Err(err);
            }
            match self
                .policy
                .delay_ms(retries, call.replayable(), &err, js_sys::Math::random())
            {
                Some(ms) => {
                    sleep_ms(ms).await;
                    retries += 1;
                }
                None => return Err(err),
            }
        }
    }

    fn api_url(&self, path: &str) -> String {
        format!("{}{}", self.config.api_base_url, path)
    }

    fn auth_url(&self, path: &str) -> String {
        format!("{}{}", self.config.auth_base_url, path)
    }
}

/// Percent-encodes one path segment.
pub fn segment(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// A fresh random idempotency key for one create intent.
pub fn new_idempotency_key() -> String {
    window()
        .crypto()
        .ok()
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("intent-{}-{}", js_sys::Date::now(), js_sys::Math::random()))
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Aborts the request when dropped before it finished (the future was dropped).
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

/// One attempt with the configured deadline. A view that goes away drops the future (see
/// `spawn_local_scoped_with_cancellation`), which aborts the fetch, so a late answer never
/// reaches its state.
async fn fetch(call: &Call, token: Option<&str>, timeout_ms: u32) -> Result<RawResponse, ApiError> {
    let controller = web_sys::AbortController::new()
        .map_err(|_| ApiError::Network("no AbortController".into()))?;
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            i32::try_from(timeout_ms).unwrap_or(i32::MAX),
        )
        .ok();
    let mut guard = AbortOnDrop(Some(controller.clone()));
    let result = attempt(call, token, &controller.signal()).await;
    if let Some(t) = timer {
        window().clear_timeout_with_handle(t);
    }
    drop(on_timeout);
    guard.0 = None;
    result.map_err(|e| {
        if timed_out.get() {
            ApiError::Timeout
        } else {
            e
        }
    })
}

async fn attempt(
    call: &Call,
    token: Option<&str>,
    signal: &web_sys::AbortSignal,
) -> Result<RawResponse, ApiError> {
    let net = |e: gloo_net::Error| ApiError::Network(e.to_string());
    let mut builder = gloo_net::http::RequestBuilder::new(&call.url)
        .method(match call.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
            Method::Delete => gloo_net::http::Method::DELETE,
        })
        .abort_signal(Some(signal))
        .header("Accept", "application/json");
    if call.with_credentials {
        builder = builder.credentials(web_sys::RequestCredentials::Include);
    }
    if let Some(t) = token {
        builder = builder.header("Authorization", &format!("Bearer {t}"));
    }
    if let Some(k) = &call.idempotency_key {
        builder = builder.header("Idempotency-Key", k);
    }
    let request = match &call.body {
        Some(b) => builder
            .header("Content-Type", "application/json")
            .body(b.as_str())
            .map_err(net)?,
        None => builder.build().map_err(net)?,
    };
    let resp = request.send().await.map_err(net)?;
    read_response(resp, call.meanwhile).await
}

/// Declared bodies at least this long are worth `meanwhile` (a key list of ~1,400 keys, gzipped).
const LARGE_BODY: u64 = 64 * 1024;

/// Status, the headers the client uses, and the body of a response. When the body is large and
/// still arriving a moment after it is asked for, runs `meanwhile` while it comes (the main thread
/// would wait idle).
async fn read_response(
    resp: gloo_net::http::Response,
    meanwhile: Option<fn()>,
) -> Result<RawResponse, ApiError> {
    let net = |e: gloo_net::Error| ApiError::Network(e.to_string());
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after");
    let correlation_id = resp.headers().get("x-correlation-id");
    let large = resp
        .headers()
        .get("content-length")
        .and_then(|l| l.parse::<u64>().ok())
        .is_none_or(|l| l >= LARGE_BODY);
    // Bytes, not text: copying a buffer into wasm memory is far cheaper than re-encoding a
    // JS string (a 10,000-key list is 6.6 MB). Invalid UTF-8 is replaced, never a panic.
    let mut body = std::pin::pin!(resp.binary());
    let body = match meanwhile.filter(|_| large) {
        Some(work) => {
            use futures::future::{select, Either};
            match select(body.as_mut(), std::pin::pin!(sleep_ms(0))).await {
                Either::Left((read, _)) => read,
                Either::Right(((), _)) => {
                    work();
                    body.await
                }
            }
        }
        None => body.await,
    }
    .map_err(net)?;
    let body = String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(RawResponse {
        status,
        body,
        retry_after,
        correlation_id,
    })
}

/// The answer to the request `name` that `index.html` sent while the wasm loaded, within
/// `timeout_ms`, when its URL ends with `path` (when given); `None` when there is none, it is for
/// another address, or it did not arrive in time.
/// `meanwhile` as in [`read_response`].
async fn handed_off(
    name: &str,
    timeout_ms: u32,
    path: Option<&str>,
    meanwhile: Option<fn()>,
) -> Option<RawResponse> {
    use futures::future::{select, Either};
    let early = std::pin::pin!(crate::handoff::response(name));
    let deadline = std::pin::pin!(sleep_ms(timeout_ms));
    match select(early, deadline).await {
        Either::Left((Some(resp), _)) if path.is_none_or(|p| resp.url().ends_with(p)) => {
            read_response(resp.into(), meanwhile).await.ok()
        }
        _ => None,
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen(inline_js = "export function slow_response(len, declared, delay) {
        const body = new ReadableStream({ start(c) { setTimeout(() => {
            c.enqueue(new TextEncoder().encode('x'.repeat(len))); c.close(); }, delay); } });
        return new Response(body, { headers: declared >= 0 ? { 'content-length': String(declared) } : {} });
    }")]
    extern "C" {
        /// A response whose `len`-byte body comes `delay` ms after it is asked for, declaring
        /// `declared` bytes (none when negative).
        fn slow_response(len: u32, declared: i32, delay: u32) -> web_sys::Response;
    }

    thread_local! {
        static RAN: Cell<u32> = const { Cell::new(0) };
    }

    fn count() {
        RAN.with(|r| r.set(r.get() + 1));
    }

    /// Reads `resp` with the counting `meanwhile`; the body's length and how often it ran.
    async fn read(resp: web_sys::Response) -> (usize, u32) {
        RAN.with(|r| r.set(0));
        let raw = read_response(resp.into(), Some(count as fn()))
            .await
            .unwrap();
        (raw.body.len(), RAN.with(Cell::get))
    }

    #[wasm_bindgen_test]
    async fn work_runs_while_a_large_body_is_still_arriving() {
        assert_eq!(
            read(slow_response(100_000, 100_000, 80)).await,
            (100_000, 1)
        );
        // Without a declared length (chunked), the wait alone decides.
        assert_eq!(read(slow_response(100_000, -1, 80)).await, (100_000, 1));
    }

    #[wasm_bindgen_test]
    async fn no_work_for_a_body_declared_small() {
        assert_eq!(read(slow_response(1_000, 1_000, 80)).await, (1_000, 0));
    }
}
