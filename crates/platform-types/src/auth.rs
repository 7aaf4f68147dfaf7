//! Sign-in (contract §3).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::de::decode_object;

/// Body of `POST /auth/login`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// E-mail address of the account.
    pub email: String,
    /// Password; never printed.
    pub password: String,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// `data` of `/auth/login` and `/auth/refresh`.
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct Session {
    /// The JWT access token; kept in memory only by the console.
    pub token: String,
    /// Lifetime of the token in seconds.
    pub expires_in: u64,
    /// Tenant of the signed-in user.
    pub tenant_id: String,
    /// The signed-in user.
    pub user: User,
}

decode_object!(Session, "a session", {
    token: lenient, expires_in: lenient, tenant_id: lenient, user: lenient,
});

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("tenant_id", &self.tenant_id)
            .field("user", &self.user)
            .finish()
    }
}

/// A person in the session.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct User {
    /// User id.
    pub id: String,
    /// Full name for display.
    pub full_name: String,
    /// E-mail address.
    pub email_address: String,
    /// Role ids such as `platform_owner`.
    pub roles: Vec<String>,
}

decode_object!(User, "a user", {
    id: lenient, full_name: lenient, email_address: lenient, roles: lenient,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_debug_hides_token() {
        let s = Session {
            token: "eyJ.secret.token".into(),
            ..Default::default()
        };
        assert!(!format!("{s:?}").contains("secret"));
        let l = LoginRequest {
            email: "a@b".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{l:?}").contains("hunter2"));
    }
}
