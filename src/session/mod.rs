//! Who is signed in. The access token lives in memory only; after a reload it comes back from
//! `/auth/refresh` (the HttpOnly cookie), and it is refreshed before it expires. Signing out in
//! one tab signs out the others.

mod return_path;
mod state;

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use platform_types::Session as WireSession;

pub use return_path::safe_return_path;
pub use state::{AuthState, Logout, Phase, SignedIn};

use crate::api::{ApiClient, ApiError, TokenSource};

/// Handle to the session; `Copy`, shared through context.
/// A hold on the page through a sign-out ([`Session::hold`]); released when the last clone goes.
#[derive(Clone)]
pub struct Hold(#[allow(dead_code)] std::sync::Arc<HoldInner>);

struct HoldInner(RwSignal<u32>);

impl Drop for HoldInner {
    fn drop(&mut self) {
        self.0.try_update(|n| *n = n.saturating_sub(1));
    }
}

#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<AuthState>,
    return_to: RwSignal<Option<String>>,
    refresh_timer: StoredValue<Option<TimeoutHandle>>,
    logout: RwSignal<Logout>,
    holds: RwSignal<u32>,
    /// Counts the sign-outs this tab has seen: a refresh answer that left before the last one
    /// is not installed.
    sign_outs: StoredValue<u32>,
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Option<WireSession>, ApiError>>>;

thread_local! {
    /// The refresh in flight: concurrent 401s share one, since each refresh rotates the cookie.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

const CHANNEL: &str = "onqlave-console-session";
const SIGNED_OUT: &str = "signed-out";
const ENDED: &str = "Your session has ended. Sign in again to continue.";

impl Session {
    /// A new session in the `Restoring` state.
    pub fn new() -> Self {
        Self {
            state: RwSignal::new(AuthState::Restoring),
            return_to: RwSignal::new(None),
            refresh_timer: StoredValue::new(None),
            logout: RwSignal::new(Logout::Done),
            holds: RwSignal::new(0),
            sign_outs: StoredValue::new(0),
        }
    }

    /// The state, tracked.
    pub fn state(&self) -> AuthState {
        self.state.get()
    }

    /// The state, untracked.
    pub fn state_untracked(&self) -> AuthState {
        self.state.get_untracked()
    }

    /// The phase, tracked.
    pub fn phase(&self) -> Phase {
        self.state.with(AuthState::phase)
    }

    /// The phase, untracked; signed out once the app has gone (tasks that outlive it ask).
    fn phase_untracked(&self) -> Phase {
        self.state
            .try_with_untracked(AuthState::phase)
            .unwrap_or(Phase::SignedOut)
    }

    /// The signed-in person, tracked.
    pub fn signed_in(&self) -> Option<Arc<SignedIn>> {
        self.state.with(|s| match s {
            AuthState::SignedIn(s) => Some(s.clone()),
            _ => None,
        })
    }

    /// Role ids of the signed-in person, tracked.
    pub fn roles(&self) -> Vec<String> {
        self.signed_in()
            .map(|s| s.user.roles.clone())
            .unwrap_or_default()
    }

    /// The route to return to after signing in again, if the session ended mid-work.
    pub fn take_return_to(&self) -> Option<String> {
        self.return_to.try_update(Option::take).flatten()
    }

    /// Whether the platform has heard of the last sign-out, tracked.
    pub fn logout(&self) -> Logout {
        self.logout.get()
    }

    /// Whether a view holds the page through a sign-out (see [`Session::hold_while_mounted`]),
    /// tracked.
    pub fn held(&self) -> bool {
        self.holds.get() > 0
    }

    /// Keeps the calling view on screen if the session ends while it lives: it shows what can
    /// never be fetched again (the one-time secrets), so a sign-out in another tab must not
    /// take it away before the person has stored it.
    pub fn hold_while_mounted(&self) {
        self.holds.update(|n| *n += 1);
        let holds = self.holds;
        on_cleanup(move || {
            holds.try_update(|n| *n = n.saturating_sub(1));
        });
    }

    /// Holds the page as [`Session::hold_while_mounted`] does, for as long as the returned value
    /// (or a clone) lives: for what is on its way, such as a request for the one-time secrets.
    pub fn hold(&self) -> Hold {
        self.holds.update(|n| *n += 1);
        Hold(std::sync::Arc::new(HoldInner(self.holds)))
    }

    /// Installs a session from `/auth/login` or `/auth/refresh` and schedules its refresh.
    pub fn establish(&self, wire: WireSession, client: &ApiClient) {
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

    fn clear_timer(&self) {
        if let Some(h) = self.refresh_timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
    }

    /// Restores the session after a (re)load from the refresh cookie.
    pub async fn restore(&self, client: &ApiClient) {
        self.state.set(AuthState::Restoring);
        match self.refresh(client).await {
            Ok(true) => {}
            Ok(false) | Err(ApiError::Unauthorized(_)) => {
                self.state.set(AuthState::SignedOut { notice: None })
            }
            // Signed out meanwhile; a sign-in since then stands.
            Err(ApiError::Cancelled) => {
                if self.phase_untracked() == Phase::Restoring {
                    self.state.set(AuthState::SignedOut { notice: None });
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
        match result? {
            Some(wire) => {
                self.establish(wire, client);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The session ended by itself (a 401 that a refresh could not fix): remember where the
    /// person was, so signing in again brings them back.
    pub fn expire(&self) {
        if self.phase_untracked() != Phase::SignedIn {
            return;
        }
        self.clear_timer();
        let here = current_path();
        if safe_return_path(&here).is_some() {
            self.return_to.set(Some(here));
        }
        // A task later: the request that found the session over is still updating its view, and
        // the sign-in page would dispose of that view in the middle of its update.
        let state = self.state;
        set_timeout(
            move || {
                state.try_set(AuthState::SignedOut {
                    notice: Some(ENDED.into()),
                });
            },
            Duration::ZERO,
        );
    }

    /// Signs out here, in the other tabs, and at the platform. Key data goes with the views
    /// that held it, which unmount as the state changes.
    pub fn sign_out(&self, client: &ApiClient) {
        self.end_locally();
        crate::channel::post(CHANNEL, SIGNED_OUT);
        self.tell_platform(client);
    }

    /// Sends the sign-out to the platform (the client retries what may pass); a failure is kept
    /// for the sign-in page to tell, with a way to try again.
    pub fn tell_platform(&self, client: &ApiClient) {
        let logout = self.logout;
        logout.update(|l| {
            *l = match l {
                Logout::Failed(_) | Logout::Retrying => Logout::Retrying,
                _ => Logout::Sending,
            }
        });
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let outcome = match client.logout().await {
                Ok(()) => Logout::Done,
                Err(e) => Logout::Failed(e),
            };
            logout.try_set(outcome);
        });
    }

    fn end_locally(&self) {
        self.count_sign_out();
        self.clear_timer();
        self.return_to.set(None);
        self.state.set(AuthState::SignedOut { notice: None });
    }

    /// Counts a sign-out, so that a refresh out at the time installs nothing, and lets the
    /// next refresh send a request of its own rather than wait for that one's answer.
    fn count_sign_out(&self) {
        self.sign_outs.try_update_value(|n| *n = n.wrapping_add(1));
        REFRESHING.with(|r| r.borrow_mut().take());
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
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

    fn renew(&self, client: &ApiClient) -> LocalBoxFuture<'static, bool> {
        let (session, client) = (*self, client.clone());
        async move {
            // Signed out meanwhile (another tab): nothing to renew, and no request to send.
            session.phase_untracked() == Phase::SignedIn
                && match session.refresh(&client).await {
                    Ok(renewed) => renewed,
                    // The session that got the 401 was signed out meanwhile; one signed in since
                    // may try again with its own token.
                    Err(ApiError::Cancelled) => session.phase_untracked() == Phase::SignedIn,
                    Err(_) => false,
                }
        }
        .boxed_local()
    }

    fn refused(&self) {
        self.expire();
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

/// Creates the session and puts it in context.
pub fn provide_session() -> Session {
    let session = Session::new();
    provide_context(session);
    session
}

/// Restores the session and keeps it in step with the other tabs and with the page's own
/// life: a page brought back from the back/forward cache asks the platform again before it
/// shows anything, since the person may have signed out meanwhile.
pub fn start_session(session: Session, client: &ApiClient) {
    crate::channel::listen(CHANNEL, move |message| {
        if message != SIGNED_OUT {
            return;
        }
        if session.phase_untracked() == Phase::SignedIn {
            session.end_locally();
        } else {
            // A tab still restoring has nothing to end, but its refresh may come back with a
            // session the other tab has just signed out of.
            session.count_sign_out();
        }
    });
    let restore = {
        let client = client.clone();
        move || {
            let client = client.clone();
            leptos::task::spawn_local(async move { session.restore(&client).await });
        }
    };
    restore();
    let on_show = window_event_listener(leptos::ev::pageshow, move |e| {
        if e.persisted() && session.holds.get_untracked() == 0 {
            restore();
        }
    });
    on_cleanup(move || on_show.remove());
}

/// The session provided by [`provide_session`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

fn current_path() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
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
