//! Sign-in (contract §3): passwords, JWT access tokens, rotating refresh tokens, the caller.

use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use platform_types::{Envelope, LoginRequest, Session, User};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::body::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::{clock, db, ids, AppState};

/// Name of the refresh cookie.
pub const REFRESH_COOKIE: &str = "onq_refresh";
/// Lifetime of a refresh token.
const REFRESH_TTL_SECS: i64 = 7 * 24 * 3600;
/// Failed sign-ins allowed per e-mail within [`FAILURE_WINDOW`].
const MAX_FAILURES: u32 = 5;
/// Window in which failures are counted, and the wait once it is exceeded.
const FAILURE_WINDOW: Duration = Duration::from_secs(300);
/// One message for unknown e-mail and wrong password alike.
const BAD_CREDENTIALS: &str = "The e-mail address or password is incorrect";

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
}

/// Signing keys for access tokens, from a secret kept in the database.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    /// Loads the signing secret, generating and storing one on first start.
    pub fn load_or_create(conn: &rusqlite::Connection) -> rusqlite::Result<Self> {
        let secret = match db::meta_get(conn, "jwt_secret")? {
            Some(s) => s,
            None => {
                let s = ids::token();
                db::meta_set(conn, "jwt_secret", &s)?;
                s
            }
        };
        Ok(Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        })
    }

    fn sign(&self, claims: &Claims) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

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

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> ApiResult<Self> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized("Sign in to continue"))?;
        let claims = state
            .jwt
            .verify(token.trim())
            .ok_or(ApiError::Unauthorized(
                "Your session has expired; sign in again",
            ))?;
        Ok(Self {
            user_id: claims.sub,
            tenant_id: claims.tenant_id,
            roles: claims.roles,
        })
    }
}

fn refresh_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{REFRESH_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/auth; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Issues a session: an access token and a rotated refresh cookie.
fn issue(
    state: &AppState,
    conn: &rusqlite::Connection,
    user: &db::UserRow,
    secure: bool,
) -> ApiResult<Response> {
    let now = clock::now_secs();
    let ttl = state.token_ttl_secs;
    let claims = Claims {
        sub: user.id.clone(),
        tenant_id: user.tenant_id.clone(),
        roles: user.roles.clone(),
        exp: now + ttl as i64,
        iat: now,
    };
    let refresh = ids::token();
    db::insert_refresh(
        conn,
        &hash_token(&refresh),
        &user.id,
        now + REFRESH_TTL_SECS,
    )?;
    let session = Session {
        token: state.jwt.sign(&claims),
        expires_in: ttl,
        tenant_id: user.tenant_id.clone(),
        user: User {
            id: user.id.clone(),
            full_name: user.full_name.clone(),
            email_address: user.email.clone(),
            roles: user.roles.clone(),
        },
    };
    let mut resp = Json(Envelope::ok(session)).into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        refresh_cookie(&refresh, REFRESH_TTL_SECS, secure),
    );
    Ok(resp)
}

/// Failed sign-in attempts per e-mail, kept in memory.
#[derive(Default)]
pub struct LoginLimiter {
    failures: std::sync::Mutex<std::collections::HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// Seconds to wait before another attempt for `email`, if it is locked out.
    fn wait(&self, email: &str) -> Option<u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let (count, since) = map.get(email)?;
        let elapsed = since.elapsed();
        (*count >= MAX_FAILURES && elapsed < FAILURE_WINDOW)
            .then(|| (FAILURE_WINDOW - elapsed).as_secs().max(1))
    }

    fn fail(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry(email.to_owned()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    fn succeed(&self, email: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(email);
    }
}

/// `POST /auth/login`.
pub async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    let email = req.email.trim().to_lowercase();
    if email.is_empty() || req.password.is_empty() {
        return Err(ApiError::Payload {
            message: "E-mail address and password are required".into(),
            details: [("email", &email), ("password", &req.password)]
                .into_iter()
                .filter(|(_, v)| v.is_empty())
                .map(|(f, _)| platform_types::FieldError {
                    field: f.into(),
                    message: "required".into(),
                })
                .collect(),
        });
    }
    if let Some(wait) = state.login_limiter.wait(&email) {
        return Err(ApiError::RateLimited(wait));
    }
    let user = {
        let email = email.clone();
        state
            .blocking(move |_, conn| Ok(db::user_by_email(conn, &email)?))
            .await?
    };
    // Verify against a dummy hash for unknown e-mails so timing does not tell them apart.
    let phc = user
        .as_ref()
        .map_or_else(|| state.dummy_hash.clone(), |u| u.password_hash.clone());
    let ok = state.verify_password(req.password, phc).await?;
    let Some(user) = user.filter(|_| ok) else {
        state.login_limiter.fail(&email);
        return Err(ApiError::Unauthorized(BAD_CREDENTIALS));
    };
    state.login_limiter.succeed(&email);
    let secure = is_https(&headers);
    state
        .blocking(move |state, conn| issue(state, conn, &user, secure))
        .await
}

/// `POST /auth/refresh`: rotates the refresh cookie and issues a new access token.
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let token = cookie_value(&headers, REFRESH_COOKIE)
        .ok_or(ApiError::Unauthorized("Sign in to continue"))?;
    let secure = is_https(&headers);
    state
        .blocking(move |state, conn| {
            match db::consume_refresh(
                conn,
                &hash_token(&token),
                clock::now_secs(),
                state.refresh_grace_secs,
            )? {
                db::RefreshLookup::Valid(user_id) => {
                    let user = db::user_by_id(conn, &user_id)?
                        .ok_or(ApiError::Unauthorized("Sign in to continue"))?;
                    issue(state, conn, &user, secure)
                }
                db::RefreshLookup::Reused | db::RefreshLookup::Invalid => {
                    let mut resp = ApiError::Unauthorized("Your session has ended; sign in again")
                        .into_response();
                    resp.headers_mut()
                        .insert(header::SET_COOKIE, refresh_cookie("", 0, secure));
                    Ok(resp)
                }
            }
        })
        .await
}

/// `POST /auth/logout`: revokes the refresh token and clears the cookie.
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = cookie_value(&headers, REFRESH_COOKIE) {
        state
            .blocking(move |_, conn| Ok(db::revoke_refresh(conn, &hash_token(&token))?))
            .await?;
    }
    let mut resp = Json(Envelope::<()> {
        data: None,
        error: Default::default(),
    })
    .into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        refresh_cookie("", 0, is_https(&headers)),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_the_password() {
        let h = hash_password("demo-password");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo-password", &h));
        assert!(!verify_password("demo-passwor", &h));
        assert!(!verify_password("demo-password", "not a hash"));
    }

    #[test]
    fn cookie_parsing_finds_the_named_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; onq_refresh=xyz; b=2"),
        );
        assert_eq!(cookie_value(&h, REFRESH_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie_value(&h, "c"), None);
    }
}
