//! The states a session goes through.

use std::fmt;
use std::sync::Arc;

use platform_types::User;

use crate::api::ApiError;

/// The signed-in person and their token.
#[derive(Clone, PartialEq)]
pub struct SignedIn {
    pub(super) token: String,
    /// The person.
    pub user: User,
    /// Their tenant.
    pub tenant_id: String,
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
    /// Nobody is signed in; `notice` says why when a session ended (by itself or signed out).
    SignedOut {
        /// Shown on the sign-in page.
        notice: Option<String>,
        /// The person signed out (here or in another tab): the next sign-in, perhaps someone
        /// else's on a shared computer, starts afresh rather than where they were.
        left: bool,
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

/// Whether the platform has heard of the last sign-out.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Logout {
    /// Nothing to tell, or it was told.
    #[default]
    Done,
    /// Telling it.
    Sending,
    /// Telling it again, after it could not be told.
    Retrying,
    /// It could not be told, even after retries: its refresh cookie may still be valid.
    Failed(ApiError),
}
