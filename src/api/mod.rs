//! The one API client: request building, the envelope, error mapping, deadlines, retries and
//! cancellation. One async method per endpoint lives in `auth.rs` and `keys.rs`; no view code.
//!
//! The client knows no session. It asks a [`TokenSource`] for the bearer token and tells it when
//! the platform refuses one; the session decides whether a refresh makes a retry worthwhile.

pub mod auth;
mod envelope;
pub mod error;
pub(crate) mod http;
pub mod keys;
pub mod paths;
pub mod retry;

use std::ops::Range;
use std::sync::Arc;

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use zeroize::Zeroize;

pub use envelope::{decode, RawResponse};
pub use error::{ApiError, Said};
pub use http::{handed_off, MAX_RESPONSE_BYTES};
pub use retry::{Replay, RetryPolicy};

use crate::config::RuntimeConfig;

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
    /// Send the bearer token (and let the token source renew it once on 401).
    pub authenticated: bool,
    /// A bearer token given with a call that is not `authenticated`: sign-out's, whose session
    /// has already ended here. Never renewed.
    pub bearer: Option<String>,
    /// Send cookies across origins (the refresh cookie of `/auth/*`).
    pub with_credentials: bool,
    /// The answer holds one-time secrets: the request is never replayed (the platform forgets
    /// them once sent) and the raw answer is zeroed as soon as it is decoded.
    pub once: bool,
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
            bearer: None,
            with_credentials: false,
            once: false,
        }
    }

    /// Whether a failed attempt may be repeated without asking the person.
    pub fn replay(&self) -> Replay {
        match self.method {
            _ if self.once => Replay::Never,
            Method::Get | Method::Delete => Replay::Safe,
            Method::Post if self.idempotency_key.is_some() => Replay::Intent,
            Method::Post => Replay::Never,
        }
    }
}

/// What asking for a new token came to.
pub enum Renewal {
    /// A new token (or nobody's to renew any more, the epoch says which): one more try.
    Renewed,
    /// The platform will not renew it (401, nobody signed in): the session is over.
    Refused,
    /// The renewal did not get through (no answer, a timeout, the platform failing or busy): the
    /// refresh cookie may be good still, so the session stands, and the request fails with this
    /// error, retried or not, as any failure on the way.
    Failed(ApiError),
}

/// Where the client gets its bearer token, and who hears that the platform refused it.
pub trait TokenSource: Send + Sync {
    /// The bearer token to send now, if any.
    fn token(&self) -> Option<String>;
    /// The tenant the token belongs to.
    fn tenant_id(&self) -> Option<String>;
    /// The platform answered 401: get a new token.
    fn renew(&self, client: &ApiClient) -> LocalBoxFuture<'static, Renewal>;
    /// The platform still answers 401 after renewing, or will not renew: the token is over.
    fn refused(&self);
    /// Changes whenever the person the tokens are for may have changed: a sign-out, here or in
    /// another tab, or a renewal that answered for someone else. A request begun under one value
    /// is not sent again under another: its retry would carry the next person's token, a create
    /// made in their name or a delete they never chose.
    fn epoch(&self) -> u32 {
        0
    }
}

/// Handle to the platform API; cheap to clone around through context.
#[derive(Clone)]
pub struct ApiClient {
    config: Arc<RuntimeConfig>,
    tokens: Arc<dyn TokenSource>,
    policy: RetryPolicy,
    /// How many requests are being tried again after a failure that may pass (see
    /// [`ApiClient::retrying`]); `None` for a client of background reads
    /// ([`ApiClient::in_background`]).
    retrying: Option<RwSignal<u32>>,
}

/// Puts an [`ApiClient`] in context.
pub fn provide_api_client(config: RuntimeConfig, tokens: Arc<dyn TokenSource>) -> ApiClient {
    let client = ApiClient {
        config: Arc::new(config),
        tokens,
        policy: RetryPolicy::default(),
        retrying: Some(RwSignal::new(0)),
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

    /// Whether a request is being tried again after a failure that may pass (no answer in
    /// time, a dropped connection, a busy platform); tracked. Those retries take up to a minute
    /// when each attempt runs out of time, and the page would show only its loading state.
    pub fn retrying(&self) -> bool {
        self.retrying.is_some_and(|r| r.get() > 0)
    }

    /// The client for reads nobody waits on (a poll of what is on screen already): its retries
    /// are not counted in [`ApiClient::retrying`], so that a platform down while a pending key
    /// is watched does not say "Still trying…" anew with every poll.
    pub fn in_background(&self) -> Self {
        Self {
            retrying: None,
            ..self.clone()
        }
    }

    /// The wait before retry number `retries_done + 1` of a request that may be repeated and
    /// failed with `err`, by the client's own policy; `None` to give up. For a caller that
    /// retries itself, deciding before each retry whether it is still wanted.
    pub fn retry_delay_ms(&self, retries_done: u32, err: &ApiError) -> Option<u32> {
        self.policy
            .delay_ms(retries_done, Replay::Safe, err, js_sys::Math::random())
    }

    /// Sends `call` and decodes the payload, retrying transient failures per the policy and
    /// asking the token source to renew the token once on a 401.
    pub async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T, ApiError> {
        let once = call.once;
        let (mut raw, data) = self.exchange(call).await?;
        let decoded = envelope::decode_payload(&raw, data);
        if once {
            raw.body.zeroize();
        }
        decoded
    }

    /// `send` up to the payload: the answer of the first attempt that succeeded, and where its
    /// payload is. Not generic, so the retry loop is in the wasm once, not once per payload type.
    async fn exchange(&self, call: Call) -> Result<(RawResponse, Option<Range<usize>>), ApiError> {
        let mut retries = 0;
        let mut renewed = false;
        // Counts this request among those retried from its first retry until it ends, however
        // it ends (a view that goes drops its request in the middle).
        let mut counted = None;
        // The first attempt of a change (a delete, a create) that got no answer: it may have been
        // carried out, and a later attempt refused for a while (busy, failing) does not tell.
        let mut lost = None;
        let changes = call.method != Method::Get;
        let epoch = self.tokens.epoch();
        loop {
            if call.authenticated && self.tokens.epoch() != epoch {
                return Err(ApiError::Cancelled);
            }
            let token = if call.authenticated {
                self.tokens.token()
            } else {
                call.bearer.clone()
            };
            let err =
                match http::fetch(&call, token.as_deref(), self.config.request_timeout_ms).await {
                    Ok(mut raw) => match envelope::payload(&raw) {
                        Ok(data) => return Ok((raw, data)),
                        // An answer that brought secrets is zeroed however it ends, as in `send`.
                        Err(e) => {
                            if call.once {
                                raw.body.zeroize();
                            }
                            e
                        }
                    },
                    Err(e) => e,
                };
            // A failed renewal says nothing of whether the change was carried out: it was
            // refused (401).
            let mut renewal_failed = false;
            let err = if call.authenticated && matches!(err, ApiError::Unauthorized(_)) {
                // A 401 to a token renewed for this request: the platform refuses the person.
                let renewal = if renewed {
                    Renewal::Refused
                } else {
                    self.tokens.renew(self).await
                };
                match renewal {
                    Renewal::Renewed => {
                        renewed = true;
                        continue;
                    }
                    Renewal::Failed(failure) => {
                        renewal_failed = true;
                        failure
                    }
                    Renewal::Refused => {
                        self.tokens.refused();
                        return Err(err);
                    }
                }
            } else {
                err
            };
            match self
                .policy
                .delay_ms(retries, call.replay(), &err, js_sys::Math::random())
            {
                Some(ms) => {
                    if changes && lost.is_none() && err.is_unanswered() && !renewal_failed {
                        lost = Some(err);
                    }
                    if let Some(retrying) = self.retrying {
                        counted.get_or_insert_with(|| Retrying::count(retrying));
                    }
                    crate::timer::sleep_ms(ms).await;
                    retries += 1;
                }
                None => {
                    let refused_for_now =
                        matches!(err, ApiError::Server { .. } | ApiError::RateLimited { .. });
                    return Err(match lost {
                        Some(lost) if refused_for_now => lost,
                        _ => err,
                    });
                }
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

/// One request among those [`ApiClient::retrying`] counts, while it lives.
struct Retrying(RwSignal<u32>);

impl Retrying {
    fn count(retrying: RwSignal<u32>) -> Self {
        retrying.try_update(|n| *n += 1);
        Self(retrying)
    }
}

impl Drop for Retrying {
    fn drop(&mut self) {
        // The app that made the client may have gone (a request outliving it).
        self.0.try_update(|n| *n = n.saturating_sub(1));
    }
}

/// A fresh random idempotency key for one create intent. `crypto.randomUUID` is missing from
/// a page served over plain `http` from another machine and from older browsers; calling it
/// there would throw through the wasm, so its presence is checked first.
pub fn new_idempotency_key() -> String {
    window()
        .crypto()
        .ok()
        .filter(|c| js_sys::Reflect::get(c, &"randomUUID".into()).is_ok_and(|f| f.is_function()))
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("intent-{}-{}", js_sys::Date::now(), js_sys::Math::random()))
}
