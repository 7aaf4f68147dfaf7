//! Who is signed in. The access token lives in memory only; after a reload it comes back from
//! `/auth/refresh` (the HttpOnly cookie), and it is refreshed before it expires. Signing out in
//! one tab signs out the others.

mod hold;
mod refresh;
mod return_path;
mod sign_out;
mod state;

use std::sync::Arc;

use leptos::prelude::*;

pub use hold::Hold;
pub use return_path::safe_return_path;
pub use state::{AuthState, Logout, Phase, SignedIn};

use crate::api::ApiClient;

/// Handle to the session; `Copy`, shared through context.
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
    /// Who signed out here last (user id, tenant id): the sign-out may ask the refresh cookie
    /// for a token to end it with, and only while the cookie is still theirs.
    left_as: StoredValue<Option<(String, String)>>,
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
            left_as: StoredValue::new(None),
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
    pub(crate) fn phase_untracked(&self) -> Phase {
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

    /// The signed-in person's user id, untracked: whom a request is made for, asked again when
    /// its answer comes. `None` once the app has gone (its tasks may outlive it).
    pub fn user_id_untracked(&self) -> Option<String> {
        self.state
            .try_with_untracked(|s| match s {
                AuthState::SignedIn(s) => Some(s.user.id.clone()),
                _ => None,
            })
            .flatten()
    }

    /// The signed-in person's user id and tenant, untracked: whom what is kept of theirs
    /// belongs to. `None` once the app has gone.
    pub fn person_untracked(&self) -> Option<(String, String)> {
        self.state
            .try_with_untracked(|s| match s {
                AuthState::SignedIn(s) => Some((s.user.id.clone(), s.tenant_id.clone())),
                _ => None,
            })
            .flatten()
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

    /// Whether the person signed out (here or in another tab), tracked: then nothing of theirs,
    /// such as the page they were on, leads the next sign-in.
    pub fn left(&self) -> bool {
        self.state
            .with(|s| matches!(s, AuthState::SignedOut { left: true, .. }))
    }

    /// Whether the platform has heard of the last sign-out, tracked.
    pub fn logout(&self) -> Logout {
        self.logout.get()
    }

    /// Why the session ended, as the sign-in page says it; tracked. A sign-out here is "Signing
    /// out…" until the platform has answered its first sending: until then its refresh cookie
    /// still signs in a new tab of this browser. Nothing once the app has gone (a task that
    /// outlived it may ask).
    pub fn ended_notice(&self) -> Option<String> {
        let notice = self
            .state
            .try_with(|s| match s {
                AuthState::SignedOut { notice, .. } => notice.clone(),
                _ => None,
            })
            .flatten()?;
        // Only for a sign-out here: a session that ended since (a sign-in meanwhile, then a
        // sign-out in another tab or an expiry) says why that one ended.
        let signing_out = notice == sign_out::SIGNED_OUT_HERE
            && self.logout.try_with(|l| *l == Logout::Sending) == Some(true);
        Some(if signing_out {
            sign_out::SIGNING_OUT.into()
        } else {
            notice
        })
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
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
        match session.phase_untracked() {
            Phase::SignedIn => session.end_locally(sign_out::SIGNED_OUT_ELSEWHERE),
            // Ended here already (it expired): the person has now left, and the sign-in page
            // this tab shows is for whoever comes next.
            Phase::SignedOut => session.left_elsewhere(),
            // A tab still restoring has nothing to end, but its refresh may come back with a
            // session the other tab has just signed out of.
            Phase::Restoring | Phase::Unreachable => session.count_sign_out(),
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
