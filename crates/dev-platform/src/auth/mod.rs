//! Sign-in (contract §3): passwords, JWT access tokens, rotating refresh tokens, the caller.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::{db, ids, AppState};

mod ended;
mod limiter;
mod routes;
pub mod same_origin;

pub use ended::EndedSessions;
pub use limiter::LoginLimiter;
pub use routes::{login, logout, refresh, REFRESH_COOKIE, REFRESH_TTL_SECS};

/// An Argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Whether `password` matches the Argon2 PHC string `phc`; slow by design (call it off the
/// async workers: [`AppState::verify_password`]).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The stored form of a refresh token: only its hash is kept.
fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Claims of an access token (contract §3).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Tenant id.
    pub tenant_id: String,
    /// Role ids.
    pub roles: Vec<String>,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// The sign-in (refresh-token family) the token was issued for: once it has ended, the
    /// token is refused.
    pub sid: String,
}

/// Signing keys for access tokens and the key refresh-token successors are derived with, from
/// secrets kept in the database.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    successor_key: Vec<u8>,
}

impl JwtKeys {
    /// Loads the signing secret, generating and storing one on first start.
    pub fn load_or_create(conn: &rusqlite::Connection) -> rusqlite::Result<Self> {
        let secret = |name: &str| -> rusqlite::Result<String> {
            if let Some(s) = db::meta_get(conn, name)? {
                return Ok(s);
            }
            let s = ids::token();
            db::meta_set(conn, name, &s)?;
            Ok(s)
        };
        let jwt = secret("jwt_secret")?;
        Ok(Self {
            encoding: EncodingKey::from_secret(jwt.as_bytes()),
            decoding: DecodingKey::from_secret(jwt.as_bytes()),
            successor_key: secret("refresh_secret")?.into_bytes(),
        })
    }

    /// The refresh token that replaces `token` when it is rotated. Derived rather than random,
    /// so a repeat of the same token within the grace window gets the same successor without the
    /// server keeping any token in a form that could be presented.
    fn successor(&self, token: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.successor_key)
            .expect("HMAC accepts keys of any length");
        mac.update(b"refresh-successor\0");
        mac.update(token.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    fn sign(&self, claims: &Claims) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// The claims of `token` if its signature holds and it has not expired.
    fn verify(&self, token: &str) -> Option<Claims> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &v)
            .ok()
            .map(|d| d.claims)
    }
}

/// The signed-in caller of a platform route.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User id.
    pub user_id: String,
    /// Tenant of the token.
    pub tenant_id: String,
    /// Role ids.
    pub roles: Vec<String>,
}

impl Caller {
    /// 403 unless the path's tenant is the caller's. The message is the same whether or not
    /// that tenant exists, so nothing leaks.
    pub fn check_tenant(&self, tenant_id: &str) -> ApiResult<()> {
        if self.tenant_id == tenant_id {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "You do not have access to this tenant".into(),
            ))
        }
    }

    /// Whether the caller may create and delete keys (contract §4).
    pub fn may_manage(&self) -> bool {
        platform_types::roles_may_manage_keys(&self.roles)
    }
}

/// The bearer token of a request, if it has one.
fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme's name is case-insensitive (RFC 9110 §11.1).
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

/// The claims of the request's bearer token while it is valid: signed here, unexpired, and of
/// a sign-in that has not ended.
fn valid_claims(headers: &axum::http::HeaderMap, state: &AppState) -> Option<Claims> {
    bearer(headers)
        .and_then(|t| state.jwt.verify(t))
        .filter(|c| !state.ended_sessions.has_ended(&c.sid))
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> ApiResult<Self> {
        if bearer(&parts.headers).is_none() {
            return Err(ApiError::Unauthorized("Sign in to continue"));
        }
        let claims = valid_claims(&parts.headers, state).ok_or(ApiError::Unauthorized(
            "Your session has expired; sign in again",
        ))?;
        Ok(Self {
            user_id: claims.sub,
            tenant_id: claims.tenant_id,
            roles: claims.roles,
        })
    }
}

/// The client's address, when the server was started with connection info (always, except for
/// requests handed to the router directly).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip()),
        ))
    }
}
