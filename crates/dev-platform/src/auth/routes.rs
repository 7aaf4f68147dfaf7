//! `/auth/login`, `/auth/refresh` and `/auth/logout`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use platform_types::{Envelope, FieldError, Session, User};
use serde::Deserialize;

use super::{hash_token, valid_claims, Claims, ClientAddr};
use crate::body::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::{clock, db, ids, is_https, AppState};

/// Name of the refresh cookie.
pub const REFRESH_COOKIE: &str = "onq_refresh";
/// Lifetime of a refresh token not used; the sign-in's own lifetime may end it sooner.
pub const REFRESH_TTL_SECS: i64 = 7 * 24 * 3600;
/// One message for unknown e-mail and wrong password alike.
const BAD_CREDENTIALS: &str = "The e-mail address or password is incorrect";
const ENDED: &str = "Your session has ended; sign in again";

/// The body of `/auth/login`. Both members default to empty, so a missing one is reported by
/// name like an empty one.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
}

/// The refresh cookie, kept by the browser for `max_age_secs`.
fn refresh_cookie(value: String, secure: bool, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((REFRESH_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/auth")
        .max_age(time::Duration::seconds(max_age_secs))
        .secure(secure)
        .build()
}

/// A session for `user`, signed in as `family` at `started_at`, with a fresh access token that
/// ends no later than the sign-in.
fn session(state: &AppState, user: &db::UserRow, family: &str, started_at: i64) -> Session {
    let now = clock::now_secs();
    let exp = now
        .saturating_add(i64::try_from(state.token_ttl_secs).unwrap_or(i64::MAX))
        .min(state.lifetimes.session_end(started_at));
    let claims = Claims {
        sub: user.id.clone(),
        tenant_id: user.tenant_id.clone(),
        roles: user.roles.clone(),
        exp,
        iat: now,
        sid: family.to_owned(),
    };
    Session {
        token: state.jwt.sign(&claims),
        expires_in: u64::try_from(exp - now).unwrap_or(0),
        tenant_id: user.tenant_id.clone(),
        user: User {
            id: user.id.clone(),
            full_name: user.full_name.clone(),
            email_address: user.email.clone(),
            roles: user.roles.clone(),
        },
    }
}

/// The answer of a sign-in or refresh: `session`, and the cookie `refresh`, which the browser
/// keeps until the token expires at `refresh_expires_at`.
fn signed_in(
    jar: CookieJar,
    refresh: String,
    refresh_expires_at: i64,
    secure: bool,
    session: Session,
) -> Response {
    let max_age = refresh_expires_at.saturating_sub(clock::now_secs()).max(0);
    (
        jar.add(refresh_cookie(refresh, secure, max_age)),
        Json(Envelope::ok(session)),
    )
        .into_response()
}

/// `POST /auth/login`.
pub async fn login(
    State(state): State<Arc<AppState>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    jar: CookieJar,
    JsonBody(form): JsonBody<LoginForm>,
) -> ApiResult<Response> {
    let email = form.email.trim().to_lowercase();
    let missing: Vec<FieldError> = [("email", &email), ("password", &form.password)]
        .into_iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(f, _)| FieldError {
            field: f.into(),
            message: "is required".into(),
        })
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::Payload {
            message: "E-mail address and password are required".into(),
            details: missing,
        });
    }
    state
        .login_limiter
        .begin(&email, addr)
        .map_err(ApiError::RateLimited)?;
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
    let ok = state.verify_password(form.password, phc).await?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(ApiError::Unauthorized(BAD_CREDENTIALS));
    };
    state.login_limiter.succeed(&email, addr);
    let refresh = ids::token();
    let (session, expires_at) = {
        let refresh_hash = hash_token(&refresh);
        state
            .blocking(move |state, conn| {
                let now = clock::now_secs();
                let family = ids::new_id("family");
                db::insert_family(conn, &family, &user.id, &refresh_hash, now, state.lifetimes)?;
                Ok((
                    session(state, &user, &family, now),
                    state.lifetimes.token_expiry(now, now),
                ))
            })
            .await?
    };
    Ok(signed_in(
        jar,
        refresh,
        expires_at,
        is_https(&headers),
        session,
    ))
}

/// `POST /auth/refresh`: rotates the refresh cookie and issues a new access token; without a
/// cookie, `data: null` (nobody is signed in).
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    jar: CookieJar,
) -> ApiResult<Response> {
    let Some(token) = jar
        .get(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
    else {
        return Ok(Json(Envelope::<Session> {
            data: None,
            error: Default::default(),
        })
        .into_response());
    };
    let secure = is_https(&headers);
    let successor = state.jwt.successor(&token);
    let session = {
        let successor_hash = hash_token(&successor);
        state
            .blocking(move |state, conn| {
                let now = clock::now_secs();
                let rotation = db::rotate(
                    conn,
                    &hash_token(&token),
                    &successor_hash,
                    now,
                    state.lifetimes,
                )?;
                match rotation {
                    db::Rotation::Rotated(family) | db::Rotation::Repeated(family) => {
                        Ok(db::user_by_id(conn, &family.user_id)?.map(|u| {
                            (
                                session(state, &u, &family.id, family.started_at),
                                state.lifetimes.token_expiry(family.started_at, now),
                            )
                        }))
                    }
                    db::Rotation::Reused(family) | db::Rotation::Exhausted(family) => {
                        // Possible theft, or a runaway client: the access tokens of that
                        // sign-in end with it.
                        state.ended_sessions.end(&family, now);
                        Ok(None)
                    }
                    db::Rotation::Invalid => Ok(None),
                }
            })
            .await?
    };
    Ok(match session {
        Some((session, expires_at)) => signed_in(jar, successor, expires_at, secure, session),
        None => (
            jar.remove(refresh_cookie(String::new(), secure, 0)),
            ApiError::Unauthorized(ENDED),
        )
            .into_response(),
    })
}

/// `POST /auth/logout`: ends the sign-in of the refresh cookie and of the bearer token (each
/// may be missing: another tab may have rotated the cookie, or the page lost its token), so
/// that neither a refresh nor an access token issued for it is accepted again; clears the
/// cookie, and asks the browser to clear the site's cookies and storage.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    jar: CookieJar,
) -> ApiResult<Response> {
    let cookie = jar.get(REFRESH_COOKIE).map(|c| c.value().to_owned());
    let bearer_sid = valid_claims(&headers, &state).map(|c| c.sid);
    if cookie.is_some() || bearer_sid.is_some() {
        state
            .blocking(move |state, conn| {
                let now = clock::now_secs();
                let mut ended = Vec::new();
                if let Some(token) = cookie {
                    ended.extend(db::revoke_refresh(conn, &hash_token(&token), now)?);
                }
                if let Some(sid) = bearer_sid {
                    db::revoke_family(conn, &sid, now)?;
                    ended.push(sid);
                }
                for sid in ended {
                    state.ended_sessions.end(&sid, now);
                }
                Ok(())
            })
            .await?;
    }
    let body = Json(Envelope::<()> {
        data: None,
        error: Default::default(),
    });
    let clear = (
        HeaderName::from_static("clear-site-data"),
        HeaderValue::from_static(r#""cookies", "storage""#),
    );
    Ok((
        [clear],
        jar.remove(refresh_cookie(String::new(), is_https(&headers), 0)),
        body,
    )
        .into_response())
}
