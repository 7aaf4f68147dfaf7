//! Who is signed in. The access token lives in memory only; after a reload it comes back from
//! `/auth/refresh` (the HttpOnly cookie), and it is refreshed before it expires. Signing out in
//! one tab signs out the others.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use platform_types::{Session as WireSession, User};
use serde::Deserialize;

use crate::api::{ApiClient, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::PageSkeleton;

/// The signed-in person and their token.
#[derive(Clone, PartialEq)]
pub struct SignedIn {
    token: String,
    /// The person.
    pub user: User,
    /// Their tenant.
    pub tenant_id: String,
    /// When the token expires, in ms since the epoch.
    pub expires_at_ms: f64,
}

impl fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedIn")
            .field("token", &"[redacted]")
            .field("user", &self.user)
            .field("tenant_id", &self.tenant_id)
            .finish()
    }
}

/// Where the session stands.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthState {
    /// Asking `/auth/refresh` after a (re)load.
    Restoring,
    /// The platform could not be asked; offer a retry rather than a sign-in form.
    Unreachable(ApiError),
    /// Nobody is signed in; `notice` says why when the session ended by itself.
    SignedOut {
        /// Shown on the sign-in page.
        notice: Option<String>,
    },
    /// Signed in.
    SignedIn(Arc<SignedIn>),
}

impl AuthState {
    /// Which phase this state is in.
    pub fn phase(&self) -> Phase {
        match self {
            Self::Restoring => Phase::Restoring,
            Self::Unreachable(_) => Phase::Unreachable,
            Self::SignedOut { .. } => Phase::SignedOut,
            Self::SignedIn(_) => Phase::SignedIn,
        }
    }
}

/// The discriminant of [`AuthState`], for views that must not re-render on a token refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// See [`AuthState::Restoring`].
    Restoring,
    /// See [`AuthState::Unreachable`].
    Unreachable,
    /// See [`AuthState::SignedOut`].
    SignedOut,
    /// See [`AuthState::SignedIn`].
    SignedIn,
}

/// Handle to the session; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<AuthState>,
    return_to: RwSignal<Option<String>>,
    refresh_timer: StoredValue<Option<TimeoutHandle>>,
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<WireSession, ApiError>>>;

thread_local! {
    /// The refresh in flight: concurrent 401s share one, since each refresh rotates the cookie.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

const CHANNEL: &str = "onqlave-console-session";
const SIGNED_OUT: &str = "signed-out";

impl Session {
    /// A new session in the `Restoring` state.
    pub fn new() -> Self {
        Self {
            state: RwSignal::new(AuthState::Restoring),
            return_to: RwSignal::new(None),
            refresh_timer: StoredValue::new(None),
        }
    }

    /// The state, tracked.
    pub fn state(&self) -> AuthState {
        self.state.get()
    }

    /// The phase, tracked.
    pub fn phase(&self) -> Phase {
        self.state.with(AuthState::phase)
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

    /// The bearer token, untracked.
    pub fn token(&self) -> Option<String> {
        self.state.with_untracked(|s| match s {
            AuthState::SignedIn(s) => Some(s.token.clone()),
            _ => None,
        })
    }

    /// The tenant, untracked.
    pub fn tenant_id(&self) -> Option<String> {
        self.state.with_untracked(|s| match s {
            AuthState::SignedIn(s) => Some(s.tenant_id.clone()),
            _ => None,
        })
    }

    /// The route to return to after signing in again, if the session ended mid-work.
    pub fn take_return_to(&self) -> Option<String> {
        self.return_to.try_update(Option::take).flatten()
    }

    /// Installs a session from `/auth/login` or `/auth/refresh` and schedules its refresh.
    pub fn establish(&self, wire: WireSession, client: &ApiClient) {
        let now = js_sys::Date::now();
        let expires_at_ms = read_claims(&wire.token)
            .and_then(|c| c.exp)
            .map(|exp| exp as f64 * 1000.0)
            .unwrap_or(now + wire.expires_in as f64 * 1000.0);
        let lifetime_ms = (expires_at_ms - now).max(0.0);
        // Refresh a minute early, or halfway for short tokens.
        // Timers take at most i32::MAX ms; a day is plenty (a later refresh reschedules).
        let refresh_in = (lifetime_ms - 60_000.0)
            .max(lifetime_ms / 2.0)
            .clamp(5_000.0, 86_400_000.0);
        self.state.set(AuthState::SignedIn(Arc::new(SignedIn {
            token: wire.token,
            user: wire.user,
            tenant_id: wire.tenant_id,
            expires_at_ms,
        })));
        let session = *self;
        let client = client.clone();
        self.clear_timer();
        let handle = set_timeout_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    let _ = session.refresh(&client).await;
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
            Ok(()) => {}
            Err(ApiError::Unauthorized(_)) => self.state.set(AuthState::SignedOut { notice: None }),
            Err(e) => self.state.set(AuthState::Unreachable(e)),
        }
    }

    /// A new access token; concurrent callers share one request.
    pub async fn refresh(&self, client: &ApiClient) -> Result<(), ApiError> {
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
        let result = fut.await;
        REFRESHING.with(|r| r.borrow_mut().take());
        let wire = result?;
        self.establish(wire, client);
        Ok(())
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
        self.state.set(AuthState::SignedOut {
            notice: Some("Your session has ended. Sign in again to continue.".into()),
        });
    }

    fn phase_untracked(&self) -> Phase {
        self.state.with_untracked(AuthState::phase)
    }

    /// Signs out here, in the other tabs, and at the platform. Key data goes with the views
    /// that held it, which unmount as the state changes.
    pub fn sign_out(&self, client: &ApiClient) {
        self.end_locally();
        crate::channel::post(CHANNEL, SIGNED_OUT);
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let _ = client.logout().await;
        });
    }

    fn end_locally(&self) {
        self.clear_timer();
        self.return_to.set(None);
        self.state.set(AuthState::SignedOut { notice: None });
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// Creates the session, puts it in context and listens for sign-outs from other tabs.
pub fn provide_session() -> Session {
    let session = Session::new();
    provide_context(session);
    crate::channel::listen(CHANNEL, move |message| {
        if message == SIGNED_OUT && session.phase_untracked() == Phase::SignedIn {
            session.end_locally();
        }
    });
    session
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

/// Accepts only a same-origin relative path (`/keys?q=x`), never `//host`, a scheme, a
/// backslash trick, control characters, or the sign-in page itself.
pub fn safe_return_path(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && raw.len() <= 2048
        && !raw.starts_with("/sign-in");
    ok.then(|| raw.to_owned())
}

/// The claims the console reads from an access token (for display and timing only; the
/// server is the authority).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Claims {
    /// User id.
    pub sub: Option<String>,
    /// Tenant id.
    pub tenant_id: Option<String>,
    /// Role ids.
    pub roles: Vec<String>,
    /// Expiry, seconds since the epoch.
    pub exp: Option<i64>,
}

/// Reads the payload of a JWT without verifying it; `None` for anything malformed.
pub fn read_claims(token: &str) -> Option<Claims> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    serde_json::from_slice(&base64url_decode(payload)?).ok()
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// Renders `children` only for a signed-in person: a skeleton while the session is restored,
/// a retry when the platform is unreachable, and the sign-in page (remembering this route)
/// otherwise. Re-renders only when the phase changes, never on a token refresh.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let client = expect_context::<ApiClient>();
    let location = use_location();
    let phase = Memo::new(move |_| session.phase());
    move || match phase.get() {
        Phase::Restoring => view! { <PageSkeleton/> }.into_any(),
        Phase::Unreachable => {
            let error = match session.state.get_untracked() {
                AuthState::Unreachable(e) => e,
                _ => ApiError::Network(String::new()),
            };
            let client = client.clone();
            let retry = Callback::new(move |_| {
                let client = client.clone();
                leptos::task::spawn_local(async move { session.restore(&client).await });
            });
            view! { <ErrorPanel title="The console cannot reach the platform" error on_retry=retry/> }
                .into_any()
        }
        Phase::SignedOut => {
            let search = location.search.get_untracked();
            let here = if search.is_empty() || search.starts_with('?') {
                format!("{}{search}", location.pathname.get_untracked())
            } else {
                format!("{}?{search}", location.pathname.get_untracked())
            };
            let target = match safe_return_path(&here).filter(|p| p != "/") {
                Some(p) => format!("/sign-in?return_to={}", crate::api::segment(&p)),
                None => "/sign-in".to_owned(),
            };
            view! { <Redirect path=target/> }.into_any()
        }
        Phase::SignedIn => children().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths() {
        for good in [
            "/",
            "/keys",
            "/keys/apikey--1?x=1#y",
            "/?q=abc&status=active",
        ] {
            assert_eq!(safe_return_path(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "//evil.example",
            "https://evil.example",
            "http:/evil",
            "javascript:alert(1)",
            "/\\evil.example",
            "/path\\with",
            "keys",
            "",
            "/sign-in?return_to=/x",
            "/a\nb",
            "/a\u{0}",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_return_path(&format!("/{}", "a".repeat(3000))), None);
    }

    #[test]
    fn reads_claims_of_well_formed_tokens() {
        // {"sub":"user--1","tenant_id":"tenant--demo","roles":["developer"],"exp":2000000000}
        let payload = "eyJzdWIiOiJ1c2VyLS0xIiwidGVuYW50X2lkIjoidGVuYW50LS1kZW1vIiwicm9sZXMiOlsiZGV2ZWxvcGVyIl0sImV4cCI6MjAwMDAwMDAwMH0";
        let c = read_claims(&format!("eyJhbGciOiJIUzI1NiJ9.{payload}.sig")).unwrap();
        assert_eq!(c.sub.as_deref(), Some("user--1"));
        assert_eq!(c.tenant_id.as_deref(), Some("tenant--demo"));
        assert_eq!(c.roles, vec!["developer"]);
        assert_eq!(c.exp, Some(2_000_000_000));
    }

    #[test]
    fn malformed_tokens_give_no_claims() {
        for bad in [
            "",
            "abc",
            "a.b",
            "a.b.c.d",
            "a.!!!.c",
            "a.bm90IGpzb24.c",         // "not json"
            "a.WzEsMl0.c",             // [1,2]
            "a.eyJleHAiOiJzb29uIn0.c", // {"exp":"soon"}
        ] {
            assert_eq!(read_claims(bad), None, "{bad:?}");
        }
        // Unknown claims are ignored, missing ones default.
        let c = read_claims("a.eyJ4IjoxfQ.c").unwrap(); // {"x":1}
        assert_eq!(c, Claims::default());
    }
}
