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

impl Session {
    /// Whether the answer left out something the token's claims hold (contract §2: any field may
    /// be absent): the tenant, the user id, the roles.
    pub fn lacks_claims(&self) -> bool {
        self.tenant_id.is_empty() || self.user.id.is_empty() || self.user.roles.is_empty()
    }

    /// Takes what the answer left out from the token's `claims` (§3: `sub`, `tenant_id`,
    /// `roles`). For routing and display only; the platform checks the token on every request.
    pub fn fill_from(&mut self, claims: Claims) {
        if self.tenant_id.is_empty() {
            self.tenant_id = claims.tenant_id;
        }
        if self.user.id.is_empty() {
            self.user.id = claims.sub;
        }
        if self.user.roles.is_empty() {
            self.user.roles = claims.roles;
        }
    }
}

/// The claims of an access token the console reads (contract §3).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The tenant.
    pub tenant_id: String,
    /// Role ids.
    pub roles: Vec<String>,
}

decode_object!(Claims, "the token's claims", {
    sub: lenient, tenant_id: lenient, roles: lenient,
});

/// The JSON text of a JWT's claims: its second part, base64url without padding. Decoded by the
/// caller, so that the JSON reading is built with the caller's code (in the console, for size:
/// this crate is optimised for speed).
pub fn jwt_claims_text(token: &str) -> Option<String> {
    String::from_utf8(base64url(token.split('.').nth(1)?)?).ok()
}

/// Decodes base64url (RFC 4648 §5), with or without its padding; `None` for any other byte.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
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

    /// `{"sub":"user--1","tenant_id":"tenant--t","roles":["developer"],"exp":4102444800}`.
    const CLAIMS: &str = "eyJzdWIiOiJ1c2VyLS0xIiwidGVuYW50X2lkIjoidGVuYW50LS10Iiwicm9sZXMiOlsiZGV2ZWxvcGVyIl0sImV4cCI6NDEwMjQ0NDgwMH0";

    #[test]
    fn base64url_decodes_with_and_without_padding_and_refuses_other_bytes() {
        assert_eq!(base64url("").as_deref(), Some(&b""[..]));
        assert_eq!(base64url("Zg").as_deref(), Some(&b"f"[..]));
        assert_eq!(base64url("Zg==").as_deref(), Some(&b"f"[..]));
        assert_eq!(base64url("Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64url("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64url("+/8"), None, "base64, not base64url");
        assert_eq!(base64url("Zm 9v"), None);
    }

    #[test]
    fn what_a_session_answer_leaves_out_comes_from_the_token() {
        let fill = |s: &mut Session| {
            if s.lacks_claims() {
                if let Some(c) =
                    jwt_claims_text(&s.token).and_then(|t| serde_json::from_str(&t).ok())
                {
                    s.fill_from(c);
                }
            }
        };
        let mut bare = Session {
            token: format!("h.{CLAIMS}.sig"),
            expires_in: 900,
            ..Default::default()
        };
        fill(&mut bare);
        assert_eq!(bare.tenant_id, "tenant--t");
        assert_eq!(bare.user.id, "user--1");
        assert_eq!(bare.user.roles, ["developer"]);
        // What the answer says stands.
        let mut told = Session {
            token: format!("h.{CLAIMS}.sig"),
            tenant_id: "tenant--other".into(),
            user: User {
                id: "user--9".into(),
                roles: vec!["platform_admin".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let before = told.clone();
        fill(&mut told);
        assert_eq!(told, before);
        // A token that is no JWT (or whose claims are no JSON object) leaves it as it was.
        for token in ["opaque", "a.%%%.b", "a.bm90IGpzb24.b", "a.WzFd.b"] {
            let mut s = Session {
                token: token.into(),
                ..Default::default()
            };
            fill(&mut s);
            assert_eq!(s.tenant_id, "", "{token}");
            assert!(s.user.roles.is_empty(), "{token}");
        }
    }

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
