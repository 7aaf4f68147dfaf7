//! Sign-in routes (contract §3).

use platform_types::{LoginRequest, Session as WireSession};

use super::{decode, http, paths, ApiClient, ApiError, Call, Method};

impl ApiClient {
    /// `POST /auth/login`. Never retried automatically: a password is not replayed behind the
    /// person's back.
    pub async fn login(&self, email: &str, password: &str) -> Result<WireSession, ApiError> {
        let body = serde_json::to_string(&LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        })
        .map_err(|e| ApiError::Decode(super::error::json_problem(&e)))?;
        let call = Call {
            body: Some(body),
            authenticated: false,
            with_credentials: true,
            ..Call::new(Method::Post, self.auth_url(paths::LOGIN))
        };
        with_token(self.send(call).await?)
    }

    /// `POST /auth/refresh`: a new access token from the HttpOnly refresh cookie, or `None` when
    /// nobody is signed in. The first call after a page load takes the answer to the refresh
    /// `index.html` sent while the wasm loaded (`crate::handoff`); a session, "nobody" or a 401
    /// from it is final, anything else asks again.
    pub async fn refresh_session(&self) -> Result<Option<WireSession>, ApiError> {
        if let Some(raw) = http::handed_off("refresh", self.config.request_timeout_ms, None).await {
            match decode::<Option<WireSession>>(&raw) {
                Ok(session) => return session.map(with_token).transpose(),
                Err(e @ ApiError::Unauthorized(_)) => return Err(e),
                Err(_) => {}
            }
        }
        let call = Call {
            authenticated: false,
            with_credentials: true,
            ..Call::new(Method::Post, self.auth_url(paths::REFRESH))
        };
        // Sent once, and given up at the request deadline (a POST without an idempotency key
        // is not retried), so the lock is held that long at most.
        let session: Option<WireSession> =
            crate::tab_lock::one_tab_at_a_time(paths::REFRESH_LOCK, self.send(call)).await?;
        session.map(with_token).transpose()
    }

    /// `POST /auth/logout`: revokes the refresh cookie the browser holds when it is sent. Sent
    /// once: the session retries it (`Session::tell_platform`), since a retry after a new
    /// sign-in would carry that sign-in's cookie and end it. `bearer`: the access token of the
    /// session being ended, sent as with any request made while signed in (contract §2).
    pub async fn logout(&self, bearer: Option<String>) -> Result<(), ApiError> {
        let call = Call {
            authenticated: false,
            bearer,
            with_credentials: true,
            ..Call::new(Method::Post, self.auth_url(paths::LOGOUT))
        };
        self.send::<Option<serde::de::IgnoredAny>>(call)
            .await
            .map(|_| ())
    }
}

/// A session without an access token is no sign-in: every request would go out with an empty
/// `Bearer`. An answer the console cannot use, not "nobody signed in" (only the platform's
/// `data: null` says that).
fn with_token(session: WireSession) -> Result<WireSession, ApiError> {
    if session.token.trim().is_empty() {
        return Err(ApiError::Decode("a session without an access token".into()));
    }
    Ok(session)
}
