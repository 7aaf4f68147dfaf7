//! Sign-in (contract §3).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::de::null_default;

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
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    /// The JWT access token; kept in memory only by the console.
    #[serde(deserialize_with = "null_default")]
    pub token: String,
    /// Lifetime of the token in seconds.
    #[serde(deserialize_with = "null_default")]
    pub expires_in: u64,
    /// Tenant of the signed-in user.
    #[serde(deserialize_with = "null_default")]
    pub tenant_id: String,
    /// The signed-in user.
    #[serde(deserialize_with = "null_default")]
    pub user: User,
}

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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct User {
    /// User id.
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    /// Full name for display.
    #[serde(deserialize_with = "null_default")]
    pub full_name: String,
    /// E-mail address.
    #[serde(deserialize_with = "null_default")]
    pub email_address: String,
    /// Role ids such as `platform_owner`.
    #[serde(deserialize_with = "null_default")]
    pub roles: Vec<String>,
}

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
