//! Ending the session: by itself (a 401 a refresh cannot fix), or signed out here or in another
//! tab, with the platform told.

use std::time::Duration;

use leptos::prelude::*;

use super::{safe_return_path, AuthState, Logout, Phase, Session, CHANNEL, ENDED, SIGNED_OUT};

/// What the sign-in page says after a sign-out in this tab, once the platform has answered.
pub(super) const SIGNED_OUT_HERE: &str = "You have signed out.";
/// What it says until then.
pub(super) const SIGNING_OUT: &str = "Signing out…";
/// What it says after a sign-out in another tab.
pub(super) const SIGNED_OUT_ELSEWHERE: &str = "You were signed out in another tab.";
/// What it says when the refresh cookie turned out to be someone else's.
pub(super) const SOMEONE_ELSE: &str =
    "Someone else signed in on this browser, in another tab, so your session here has ended.";
use crate::api::{ApiClient, ApiError};

impl Session {
    /// The session ended by itself (a 401 that a refresh could not fix): remember where the
    /// person was, so signing in again brings them back.
    pub fn expire(&self) {
        if self.phase_untracked() != Phase::SignedIn {
            return;
        }
        // Whoever signs in next may be someone else: nothing of this session's is sent in
        // their name (see `TokenSource::epoch`).
        self.count_sign_out();
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
                    left: false,
                });
            },
            Duration::ZERO,
        );
    }

    /// Signs out here, in the other tabs, and at the platform. Key data goes with the views
    /// that held it, which unmount as the state changes.
    pub fn sign_out(&self, client: &ApiClient) {
        let token = crate::api::TokenSource::token(self);
        let who = self
            .user_id_untracked()
            .zip(crate::api::TokenSource::tenant_id(self));
        self.left_as.set_value(who);
        self.end_locally(SIGNED_OUT_HERE);
        crate::channel::post(CHANNEL, SIGNED_OUT);
        self.tell_platform(client, token);
    }

    /// Sends the sign-out to the platform, retrying what may pass as the client would; a
    /// failure is kept for the sign-in page to tell, with a way to try again. `token`: the ended
    /// session's, for the first sending only; tried again later, nobody is signed in here any
    /// more. No retry once someone has signed in again: it would carry the new sign-in's refresh
    /// cookie and end that session. The cookie it was meant to end is gone from this browser by
    /// then, replaced by the new one.
    pub fn tell_platform(&self, client: &ApiClient, token: Option<String>) {
        let logout = self.logout;
        logout.update(|l| {
            *l = match l {
                Logout::Failed(_) | Logout::Retrying => Logout::Retrying,
                _ => Logout::Sending,
            }
        });
        let client = client.clone();
        let state = self.state;
        let signed_in_again = move || {
            state.try_with_untracked(|s| matches!(s, AuthState::SignedIn(_))) != Some(false)
        };
        let left_as = self.left_as.get_value();
        leptos::task::spawn_local(async move {
            let mut token = token;
            let mut retries = 0;
            // A platform that will not take the token sent (the ended session's, expired while
            // the computer slept, or none on "Try again") would leave the refresh cookie alive:
            // the cookie is asked for a token of its own, once per sending, and the sign-out
            // sent again with it.
            let mut next = Next::Logout;
            let outcome = loop {
                let e = if next == Next::CookieToken {
                    match cookie_token(&client, left_as.as_ref(), &signed_in_again).await {
                        Ok(Some(fresh)) => {
                            token = Some(fresh);
                            next = Next::LogoutRenewed;
                            continue;
                        }
                        Ok(None) => break Logout::Done,
                        Err(e) => e,
                    }
                } else {
                    match client.logout(token.clone()).await {
                        Ok(()) => break Logout::Done,
                        Err(ApiError::Unauthorized(_)) if next == Next::Logout => {
                            next = Next::CookieToken;
                            continue;
                        }
                        Err(e) => e,
                    }
                };
                let Some(ms) = client.retry_delay_ms(retries, &e) else {
                    break Logout::Failed(e);
                };
                crate::timer::sleep_ms(ms).await;
                if signed_in_again() {
                    break Logout::Done;
                }
                retries += 1;
            };
            logout.try_set(outcome);
        });
    }

    /// Ends the session here; `notice` says why on the sign-in page.
    pub(super) fn end_locally(&self, notice: &str) {
        self.count_sign_out();
        self.clear_timer();
        self.return_to.set(None);
        self.state.set(AuthState::SignedOut {
            notice: Some(notice.into()),
            left: true,
        });
    }

    /// A sign-out in another tab while this one was signed out already.
    pub(super) fn left_elsewhere(&self) {
        self.count_sign_out();
        self.return_to.set(None);
        self.state.update(|s| {
            if let AuthState::SignedOut { left, .. } = s {
                *left = true;
            }
        });
    }

    /// Counts a session's end (a sign-out, an expiry), so that a refresh out at the time
    /// installs nothing and the session's requests are not sent again under the next one, and
    /// lets the next refresh send a request of its own rather than wait for that one's answer.
    pub(super) fn count_sign_out(&self) {
        self.sign_outs.try_update_value(|n| *n = n.wrapping_add(1));
        super::refresh::forget_in_flight();
    }
}

/// What a sign-out sends next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// The sign-out, with the token it was given.
    Logout,
    /// A refresh, for a token of the cookie's own: the platform refused the token given.
    CookieToken,
    /// The sign-out with the cookie's token; refused again, nothing more is asked.
    LogoutRenewed,
}

/// A token of the refresh cookie, to end it with; `None` when nothing is left to end here:
/// nobody signs in with the cookie any more, or it is no longer the cookie of `left_as`, who
/// signed out (someone signed in since, here or in another tab, and the cookie that was to end is
/// gone from this browser). Asked only while nobody is signed in here, and its answer kept only
/// if that is still so: a sign-out never ends a sign-in made after it.
async fn cookie_token(
    client: &ApiClient,
    left_as: Option<&(String, String)>,
    signed_in_again: &impl Fn() -> bool,
) -> Result<Option<String>, ApiError> {
    let Some((user, tenant)) = left_as.filter(|_| !signed_in_again()) else {
        return Ok(None);
    };
    match client.refresh_session().await {
        Ok(Some(s)) if &s.user.id == user && &s.tenant_id == tenant && !signed_in_again() => {
            Ok(Some(s.token))
        }
        Ok(_) | Err(ApiError::Unauthorized(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

fn current_path() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}
