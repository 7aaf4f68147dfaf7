//! `POST /tenants/{tenant}/keys`: validation against `/keys/base`, `Idempotency-Key`, and the
//! new key's provisioning.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use platform_types::{ApiKey, CreateApiKey, CreateApiKeyRequest};
use sha2::{Digest, Sha256};

use super::{ok, reasons, with_acl, Ids};
use crate::auth::Caller;
use crate::body::{parse, RawBody};
use crate::error::{ApiError, ApiResult};
use crate::{clock, db, AppState};

/// How long the same `Idempotency-Key` with the same body returns the same key.
const IDEMPOTENCY_TTL_MS: i64 = 24 * 3600 * 1000;
/// How long a reservation without a key (a create that crashed or whose client went away
/// mid-way) holds the intent back before a retry may proceed.
pub(crate) const IN_FLIGHT_TTL_MS: i64 = 60 * 1000;

/// Checks a create request against what `/keys/base` offers (422 on a mismatch) and returns the
/// Arx's failure flag.
fn validate_create(
    conn: &rusqlite::Connection,
    tenant: &str,
    req: &CreateApiKey,
) -> ApiResult<bool> {
    let apps = db::applications(conn, tenant)?;
    let clusters = db::clusters(conn, tenant)?;
    if req.cluster_id.is_empty() {
        return Err(ApiError::payload("api_key.cluster_id", "is required"));
    }
    // A tenant without applications skips that step (contract §5.1), and an application named
    // anyway is none of its own.
    if apps.is_empty() && req.application_id.as_deref().is_some_and(|a| !a.is_empty()) {
        return Err(ApiError::invalid(
            "api_key.application_id",
            "This application is not available for new keys",
        ));
    }
    if !apps.is_empty() {
        let missing: Vec<_> = [
            ("api_key.application_id", &req.application_id),
            (
                "api_key.application_technology",
                &req.application_technology,
            ),
        ]
        .into_iter()
        .filter(|(_, v)| v.as_deref().unwrap_or("").is_empty())
        .map(|(f, _)| platform_types::FieldError {
            field: f.into(),
            message: "is required".into(),
        })
        .collect();
        if !missing.is_empty() {
            return Err(ApiError::Payload {
                message: "The request body is malformed".into(),
                details: missing,
            });
        }
        let app_id = req.application_id.as_deref().unwrap_or("");
        let app = apps.iter().find(|a| a.id == app_id).ok_or_else(|| {
            ApiError::invalid(
                "api_key.application_id",
                "This application is not available for new keys",
            )
        })?;
        if req.application_technology.as_deref() != Some(app.application_technology.id.as_str()) {
            return Err(ApiError::invalid(
                "api_key.application_technology",
                "The technology does not match the application's",
            ));
        }
    }
    clusters
        .iter()
        .find(|c| c.arx.id == req.cluster_id)
        .map(|c| c.always_fails)
        .ok_or_else(|| {
            ApiError::invalid(
                "api_key.cluster_id",
                "This Arx is not available for new keys",
            )
        })
}

fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let s = v
        .to_str()
        .ok()
        .filter(|s| (1..=255).contains(&s.len()))
        .ok_or_else(|| {
            ApiError::payload(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(s.to_owned()))
}

/// `POST /tenants/{tenant}/keys`, honouring `Idempotency-Key`.
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Ids(tenant): Ids<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    caller.check_tenant(&tenant)?;
    if !caller.may_manage() {
        return Err(ApiError::Forbidden(reasons::CREATE_ROLE.into()));
    }
    let req: CreateApiKeyRequest = parse(&body)?;
    let idem = idempotency_key(&headers)?;
    let body_hash: String = Sha256::digest(serde_json::to_vec(&req.api_key).unwrap_or_default())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let user = caller.user_id.clone();
    let reserved = {
        let (tenant, user, idem) = (tenant.clone(), user.clone(), idem.clone());
        let req = req.api_key.clone();
        state
            .blocking(move |_, conn| {
                reserve(
                    conn,
                    &tenant,
                    &req,
                    scope(&tenant, &user, &idem),
                    &body_hash,
                )
            })
            .await?
    };
    let fails = match reserved {
        Reserved::Replay(key) => return Ok(ok(with_acl(&caller, *key))),
        Reserved::Fresh { fails } => fails,
    };
    // Fault injection: widen the in-flight window so concurrent retries can be observed.
    let hold = state.faults.create_hold_ms();
    if hold > 0 {
        tokio::time::sleep(Duration::from_millis(hold)).await;
    }
    let delay = state.provisioning_delay_ms as i64;
    let result = state
        .blocking(move |_, conn| {
            let scope = scope(&tenant, &user, &idem);
            commit_create(conn, &tenant, &user, &req.api_key, scope, fails, delay)
        })
        .await;
    state.invalidate();
    let key = result?;
    if state.faults.take_dropped_create() {
        // The key is committed, but the client never hears back: its body breaks mid-stream.
        return Ok(crate::faults::broken_response());
    }
    Ok(ok(with_acl(&caller, key)))
}

/// The `Idempotency-Key` of a create, if it has one, in the scope of its user and tenant.
fn scope<'a>(
    tenant: &'a str,
    user: &'a str,
    idem: &'a Option<String>,
) -> Option<db::IdemScope<'a>> {
    idem.as_deref().map(|key| db::IdemScope {
        tenant_id: tenant,
        user_id: user,
        key,
    })
}

/// What a create found when it checked its request and `Idempotency-Key`.
enum Reserved {
    /// The same intent already created this key.
    Replay(Box<ApiKey>),
    /// A new create may go ahead (its reservation is held); `fails` is the Arx's failure flag.
    Fresh { fails: bool },
}

/// Validates a create and reserves its `Idempotency-Key`, in one turn of the database so two
/// retries of one intent cannot both go ahead. A retry of a create already committed gets its key
/// before any validation: the Arx or application it named may have been withdrawn since, and the
/// retry must still get the key it made (contract §5.2), not a 422.
fn reserve(
    conn: &rusqlite::Connection,
    tenant: &str,
    req: &CreateApiKey,
    idem: Option<db::IdemScope<'_>>,
    body_hash: &str,
) -> ApiResult<Reserved> {
    let now = clock::now_ms();
    let live = |rec: &db::IdemRecord| {
        let ttl = if rec.key_id.is_some() {
            IDEMPOTENCY_TTL_MS
        } else {
            IN_FLIGHT_TTL_MS
        };
        now - rec.created_at < ttl
    };
    if let Some(rec) = idem
        .map(|idem| db::idem_get(conn, idem))
        .transpose()?
        .flatten()
        .filter(live)
    {
        if rec.body_hash != body_hash {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                "This Idempotency-Key was already used with a different request",
            ));
        }
        let Some(key_id) = rec.key_id else {
            return Err(ApiError::Conflict(
                "A request with this Idempotency-Key is still in progress",
            ));
        };
        db::settle(conn, now)?;
        let key = db::key(conn, tenant, &key_id)?
            .ok_or(ApiError::Internal("idempotent key vanished".into()))?;
        return Ok(Reserved::Replay(Box::new(key)));
    }
    let fails = validate_create(conn, tenant, req)?;
    if let Some(idem) = idem {
        db::idem_forget_before(conn, now - IDEMPOTENCY_TTL_MS)?;
        db::idem_reserve(conn, idem, body_hash, now)?;
    }
    Ok(Reserved::Fresh { fails })
}

/// Inserts the key of a create and completes its reservation, in one write; if that write
/// fails, the reservation is released so a retry can proceed (no key was made).
fn commit_create(
    conn: &rusqlite::Connection,
    tenant: &str,
    user: &str,
    req: &CreateApiKey,
    idem: Option<db::IdemScope<'_>>,
    fails: bool,
    delay_ms: i64,
) -> ApiResult<ApiKey> {
    let now = clock::now_ms();
    let committed = (|| {
        let tx = conn.unchecked_transaction()?;
        let id = db::insert_key(
            &tx,
            &db::NewKey {
                tenant_id: tenant,
                // "" names no application, as null does: the checks above take them alike.
                application_id: req.application_id.as_deref().filter(|a| !a.is_empty()),
                cluster_id: &req.cluster_id,
                created_by: user,
                status: "pending",
                next_status: Some(if fails { "failed" } else { "active" }),
                transition_at: Some(now + delay_ms),
                created_at: &clock::rfc3339(now),
                with_secrets: !fails,
                last_used_at: None,
            },
        )?;
        if let Some(idem) = idem {
            db::idem_complete(&tx, idem, &id)?;
        }
        tx.commit()?;
        Ok::<_, rusqlite::Error>(id)
    })();
    let id = match committed {
        Ok(id) => id,
        Err(e) => {
            if let Some(idem) = idem {
                let _ = db::idem_release(conn, idem);
            }
            return Err(e.into());
        }
    };
    db::key(conn, tenant, &id)?.ok_or(ApiError::Internal("created key not found".into()))
}
