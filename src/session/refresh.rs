//! The access token's renewal: the refresh cookie exchanged for a new token, before it expires,
//! after a reload and on a 401; one request at a time for every caller.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use platform_types::Session as WireSession;

use super::{AuthState, Phase, Session, SignedIn};
use crate::api::{ApiClient, ApiError, Renewal, TokenSource};

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Option<WireSession>, ApiError>>>;

thread_local! {
    /// The refresh in flight: concurrent 401s share one, since each refresh rotates the cookie.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

/// Lets the next refresh send a request of its own rather than wait for the one out now.
pub(super) fn forget_in_flight() {
    REFRESHING.with(|r| r.borrow_mut().take());
}

impl Session {
    /// Installs a session from `/auth/login` or `/auth/refresh` and schedules its refresh.
    pub fn establish(&self, mut wire: WireSession, client: &ApiClient) {
        fill_from_claims(&mut wire);
        let refresh_in = refresh_after_ms(wire.expires_in);
        self.state.set(AuthState::SignedIn(Arc::new(SignedIn {
            token: wire.token,
            user: wire.user,
            tenant_id: wire.tenant_id,
        })));
        let session = *self;
        let client = client.clone();
        self.clear_timer();
        // No lifetime given: the first 401 renews the token instead.
        let Some(refresh_in) = refresh_in else {
            return;
        };
        let handle = set_timeout_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if matches!(
                        session.refresh(&client).await,
                        Ok(false) | Err(ApiError::Unauthorized(_))
                    ) {
                        session.expire();
                    }
                });
            },
            Duration::from_millis(refresh_in as u64),
        )
        .ok();
        self.refresh_timer.set_value(handle);
    }

    pub(super) fn clear_timer(&self) {
        if let Some(h) = self.refresh_timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
    }

    /// Restores the session after a (re)load from the refresh cookie.
    pub async fn restore(&self, client: &ApiClient) {
        // A page brought back from the back/forward cache: the cookie may be someone else's
        // by now, and the session it had ends here.
        if self.phase_untracked() == Phase::SignedIn {
            self.count_sign_out();
        }
        self.state.set(AuthState::Restoring);
        match self.refresh(client).await {
            Ok(true) => {}
            // Nobody signed in on this browser (no refresh cookie: contract §2).
            Ok(false) => self.state.set(AuthState::SignedOut {
                notice: None,
                left: false,
            }),
            // A refresh cookie the platform no longer accepts: someone was signed in here, and
            // is told why the sign-in page is there rather than left to wonder.
            Err(ApiError::Unauthorized(_)) => self.state.set(AuthState::SignedOut {
                notice: Some(super::ENDED.into()),
                left: false,
            }),
            // Signed out meanwhile (in another tab); a sign-in since then stands.
            Err(ApiError::Cancelled) => {
                if self.phase_untracked() == Phase::Restoring {
                    self.state.set(AuthState::SignedOut {
                        notice: None,
                        left: true,
                    });
                }
            }
            Err(e) => self.state.set(AuthState::Unreachable(e)),
        }
    }

    /// A new access token; `false` when nobody is signed in, [`ApiError::Cancelled`] when a
    /// sign-out came while it was out (whatever session there is now is not this answer's to
    /// end). Concurrent callers share one request.
    pub async fn refresh(&self, client: &ApiClient) -> Result<bool, ApiError> {
        // The app (a test's) may have gone while this was scheduled: nobody to sign in.
        let Some(sign_outs) = self.sign_outs.try_get_value() else {
            return Err(ApiError::Cancelled);
        };
        let fut = REFRESHING.with(|r| {
            r.borrow_mut()
                .get_or_insert_with(|| {
                    let c = client.clone();
                    async move { c.refresh_session().await }
                        .boxed_local()
                        .shared()
                })
                .clone()
        });
        let result = fut.clone().await;
        // Only this request's slot: a sign-out may have cleared it and a newer refresh taken it.
        REFRESHING.with(|r| {
            let mut slot = r.borrow_mut();
            if slot.as_ref().is_some_and(|f| f.ptr_eq(&fut)) {
                *slot = None;
            }
        });
        if self.sign_outs.try_get_value() != Some(sign_outs) {
            // Signed out (here or in another tab) while it was out: the platform may have
            // answered before it heard of the sign-out, and the sign-out stands.
            return Err(ApiError::Cancelled);
        }
        let Some(mut wire) = result? else {
            return Ok(false);
        };
        fill_from_claims(&mut wire);
        // The refresh cookie is someone else's now: they signed in in another tab of this
        // browser. This tab's pages and requests are the person's who was here, so the session
        // here ends rather than carry on in the other person's name.
        if self.is_someone_else(&wire) {
            self.end_locally(super::sign_out::SOMEONE_ELSE);
            return Err(ApiError::Cancelled);
        }
        self.establish(wire, client);
        Ok(true)
    }

    /// Whether `wire` is the session of another person or tenant than the one signed in here.
    fn is_someone_else(&self, wire: &WireSession) -> bool {
        self.state.with_untracked(|s| match s {
            AuthState::SignedIn(s) => s.user.id != wire.user.id || s.tenant_id != wire.tenant_id,
            _ => false,
        })
    }
}

impl TokenSource for Session {
    fn token(&self) -> Option<String> {
        self.state.with_untracked(|s| match s {
            AuthState::SignedIn(s) => Some(s.token.clone()),
            _ => None,
        })
    }

    fn tenant_id(&self) -> Option<String> {
        self.state.with_untracked(|s| match s {
            AuthState::SignedIn(s) => Some(s.tenant_id.clone()),
            _ => None,
        })
    }

    fn renew(&self, client: &ApiClient) -> LocalBoxFuture<'static, Renewal> {
        let (session, client) = (*self, client.clone());
        async move {
            // Signed out meanwhile (another tab): nothing to renew, and no request to send.
            if session.phase_untracked() != Phase::SignedIn {
                return Renewal::Refused;
            }
            match session.refresh(&client).await {
                Ok(true) => Renewal::Renewed,
                Ok(false) | Err(ApiError::Unauthorized(_)) => Renewal::Refused,
                // The session that got the 401 ended meanwhile: the request is not tried
                // again (the client sees the epoch moved on), whoever is signed in now.
                Err(ApiError::Cancelled) if session.phase_untracked() == Phase::SignedIn => {
                    Renewal::Renewed
                }
                Err(ApiError::Cancelled) => Renewal::Refused,
                // A refresh that did not get through (no answer, the platform failing, down
                // for maintenance or busy) leaves the refresh cookie as good as it was, and the
                // person where they are. Any other answer (a refusal, a shape not understood)
                // is the platform's word that this session cannot go on.
                Err(e)
                    if e.is_unanswered()
                        || matches!(e, ApiError::RateLimited { .. } | ApiError::Server { .. }) =>
                {
                    Renewal::Failed(e)
                }
                Err(_) => Renewal::Refused,
            }
        }
        .boxed_local()
    }

    fn refused(&self) {
        self.expire();
    }

    fn epoch(&self) -> u32 {
        // Gone with the app: no request of it is sent again.
        self.sign_outs.try_get_value().unwrap_or(u32::MAX)
    }
}

/// What a session answer left out, from its token's claims (`platform_types::Session::fill_from`).
/// The claims' JSON is read here, with the console's size-first code: in `platform-types`, built
/// for speed, the same reading was 4.1 kB brotli of the main wasm.
fn fill_from_claims(wire: &mut WireSession) {
    if !wire.lacks_claims() {
        return;
    }
    let claims = platform_types::jwt_claims_text(&wire.token)
        .and_then(|text| serde_json::from_str::<platform_types::Claims>(&text).ok());
    if let Some(claims) = claims {
        wire.fill_from(claims);
    }
}

/// When to refresh a token that lives `expires_in` seconds: a minute early, or halfway for short
/// tokens, never sooner than 5 s nor later than a day (timers take at most `i32::MAX` ms; a later
/// refresh reschedules). `None` when the platform gave no lifetime (absent or 0): a timer would
/// then rotate the refresh cookie every 5 s.
fn refresh_after_ms(expires_in: u64) -> Option<f64> {
    if expires_in == 0 {
        return None;
    }
    let lifetime_ms = expires_in as f64 * 1000.0;
    Some(
        (lifetime_ms - 60_000.0)
            .max(lifetime_ms / 2.0)
            .clamp(5_000.0, 86_400_000.0),
    )
}

#[cfg(test)]
mod tests {
    use super::refresh_after_ms;

    #[test]
    fn a_token_is_refreshed_before_it_expires_and_never_without_a_lifetime() {
        assert_eq!(refresh_after_ms(0), None, "no lifetime, no timer");
        assert_eq!(refresh_after_ms(900), Some(840_000.0), "a minute early");
        assert_eq!(refresh_after_ms(60), Some(30_000.0), "halfway when short");
        assert_eq!(refresh_after_ms(4), Some(5_000.0), "not sooner than 5 s");
        assert_eq!(
            refresh_after_ms(u64::MAX),
            Some(86_400_000.0),
            "a day at most"
        );
    }
}
