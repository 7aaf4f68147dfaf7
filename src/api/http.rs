//! One HTTP attempt: the request, its deadline and cancellation, and a bounded read of the answer.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::window;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use zeroize::Zeroize;

use super::{ApiError, Call, Method, RawResponse};

/// The largest answer the console reads, declared or not. The whole key list of a tenant with
/// 10,000 keys is 6.6 MB; an answer five times that is not one the console can use, and reading
/// it would only hold the page's memory hostage.
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The deadline of one attempt. Dropped with the attempt, finished or not (a view that goes away
/// drops the future, see `spawn_local_scoped_with_cancellation`): it clears its timer, so the
/// timer never calls into a closure that is gone, and aborts a request still under way, so a
/// late answer never reaches the view's state.
struct Deadline {
    controller: web_sys::AbortController,
    timer: Option<i32>,
    finished: bool,
    timed_out: Rc<Cell<bool>>,
    _on_timeout: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(timeout_ms: u32) -> Result<Self, ApiError> {
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
        Ok(Self {
            controller,
            timer,
            finished: false,
            timed_out,
            _on_timeout: on_timeout,
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(t) = self.timer.take() {
            window().clear_timeout_with_handle(t);
        }
        if !self.finished {
            self.controller.abort();
        }
    }
}

/// One attempt with the configured deadline.
pub(crate) async fn fetch(
    call: &Call,
    token: Option<&str>,
    timeout_ms: u32,
) -> Result<RawResponse, ApiError> {
    let mut deadline = Deadline::start(timeout_ms)?;
    let result = attempt(call, token, &deadline.controller.signal()).await;
    deadline.finished = true;
    result.map_err(|e| {
        if deadline.timed_out.get() {
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
    let init = web_sys::RequestInit::new();
    init.set_method(match call.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
    });
    init.set_signal(Some(signal));
    if call.with_credentials {
        init.set_credentials(web_sys::RequestCredentials::Include);
    }
    // No answer goes into the browser's HTTP cache or comes from it, whatever the platform's
    // `Cache-Control` says (a GET's answer is cacheable by default): the one-time secrets, a
    // key's status (a poll answered from the cache would not see it move on) and the list (the
    // tenant's people, on disk).
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(network)?;
    let set = |name: &str, value: &str| headers.set(name, value).map_err(network);
    set("Accept", "application/json")?;
    if let Some(t) = token {
        set("Authorization", &format!("Bearer {t}"))?;
    }
    if let Some(k) = &call.idempotency_key {
        set("Idempotency-Key", k)?;
    }
    if let Some(b) = &call.body {
        set("Content-Type", "application/json")?;
        init.set_body(&b.as_str().into());
    }
    init.set_headers(&headers);
    let resp: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window().fetch_with_str_and_init(&call.url, &init))
            .await
            .and_then(|r| r.dyn_into())
            .map_err(network)?;
    read_response(&resp, call.once).await
}

/// A request the browser refused or could not make, with the browser's own words when it gave
/// an `Error` (an invalid header value, "Failed to fetch").
fn network(e: wasm_bindgen::JsValue) -> ApiError {
    ApiError::Network(match e.dyn_into::<js_sys::Error>() {
        Ok(js) => js.message().into(),
        Err(_) => "the request could not be made".into(),
    })
}

/// Status, the headers the client uses, and the body of a response, refusing one larger than
/// [`MAX_RESPONSE_BYTES`]. With `secret`, every buffer the body passed through is zeroed.
pub(crate) async fn read_response(
    resp: &web_sys::Response,
    secret: bool,
) -> Result<RawResponse, ApiError> {
    let headers = resp.headers();
    let header = |name: &str| headers.get(name).ok().flatten();
    let declared = header("content-length").and_then(|l| l.trim().parse::<u64>().ok());
    if declared.is_some_and(|l| l > MAX_RESPONSE_BYTES as u64) {
        if let Some(body) = resp.body() {
            quietly(body.cancel());
        }
        return Err(ApiError::TooLarge);
    }
    let body = read_body(resp, declared.unwrap_or(0) as usize, secret).await?;
    // Invalid UTF-8 is replaced (and then fails to decode), never a panic.
    let body = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            let mut bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            bytes.zeroize();
            text
        }
    };
    Ok(RawResponse {
        status: resp.status(),
        body,
        retry_after: header("retry-after"),
        correlation_id: header("x-correlation-id"),
    })
}

/// Reads the body chunk by chunk as it arrives, giving up (and cancelling the download) past
/// [`MAX_RESPONSE_BYTES`]: a declared length can be absent, or be the compressed size.
async fn read_body(
    resp: &web_sys::Response,
    expected: usize,
    secret: bool,
) -> Result<Vec<u8>, ApiError> {
    let net = |_| ApiError::Network("the connection dropped while the answer arrived".into());
    let Some(stream) = resp.body() else {
        return Ok(Vec::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut buf = Buffer::new(expected.min(MAX_RESPONSE_BYTES), secret);
    loop {
        let chunk: web_sys::ReadableStreamReadResult =
            wasm_bindgen_futures::JsFuture::from(reader.read())
                .await
                .map_err(net)?
                .unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(buf.into_inner());
        }
        let Ok(bytes) = chunk.get_value().dyn_into::<js_sys::Uint8Array>() else {
            return Err(ApiError::Network("the answer was not a byte stream".into()));
        };
        let len = bytes.length() as usize;
        if buf.len() + len > MAX_RESPONSE_BYTES {
            quietly(reader.cancel());
            return Err(ApiError::TooLarge);
        }
        buf.append(&bytes);
        if secret {
            bytes.fill(0, 0, len as u32);
        }
    }
}

/// A growing byte buffer that, for a secret, zeroes each buffer it outgrows instead of leaving
/// a copy behind in freed memory.
struct Buffer {
    bytes: Vec<u8>,
    secret: bool,
}

impl Buffer {
    fn new(capacity: usize, secret: bool) -> Self {
        Self {
            bytes: Vec::with_capacity(capacity),
            secret,
        }
    }

    fn len(&self) -> usize {
        self.bytes.len()
    }

    fn append(&mut self, chunk: &js_sys::Uint8Array) {
        let start = self.bytes.len();
        let end = start + chunk.length() as usize;
        if self.secret && end > self.bytes.capacity() {
            let mut grown = Vec::with_capacity(end.max(self.bytes.capacity() * 2));
            grown.extend_from_slice(&self.bytes);
            self.bytes.zeroize();
            self.bytes = grown;
        }
        self.bytes.resize(end, 0);
        chunk.copy_to(&mut self.bytes[start..end]);
    }

    fn into_inner(mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if self.secret {
            self.bytes.zeroize();
        }
    }
}

/// Lets `promise` settle without an "uncaught rejection" in the console: cancelling a download
/// we no longer want may fail, and nobody waits for it.
fn quietly(promise: js_sys::Promise) {
    let ignore = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
    let _ = promise.catch(&ignore);
    // Rare (an oversized answer): leaking the empty closure is simpler than keeping it alive.
    ignore.forget();
}

/// The answer to the request `name` that `index.html` sent while the wasm loaded, read whole
/// within `timeout_ms`, when its URL ends with `path` (when given); `None` when there is none, it
/// is for another address, or it did not arrive in time. The deadline covers the body too:
/// `index.html`'s requests have none of their own.
pub async fn handed_off(name: &str, timeout_ms: u32, path: Option<&str>) -> Option<RawResponse> {
    let answer = async {
        let resp = crate::handoff::response(name).await?;
        if !path.is_none_or(|p| resp.url().ends_with(p)) {
            return None;
        }
        read_response(&resp, false).await.ok()
    };
    crate::timer::within(timeout_ms, answer).await.flatten()
}
