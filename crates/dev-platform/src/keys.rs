//! The API-key routes (contract §5), with role checks and ACLs computed per user and per key.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use platform_types::{
    Acl, ApiKey, ApiKeys, BaseInfo, CreateApiKey, CreateApiKeyRequest, Envelope, Insights,
    KeyStatus, SensitiveData,
};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::{clock, db, AppState};

/// Refusal reasons shown to people (the server's word on why a control is absent).
pub mod reasons {
    /// A view-only role tried to create.
    pub const CREATE_ROLE: &str = "Only Platform Owners and Developers can create API keys";
    /// A view-only role tried to delete.
    pub const DELETE_ROLE: &str = "Only Platform Owners and Developers can delete API keys";
    /// The key has an operation in flight.
    pub const IN_PROGRESS: &str = "An operation on this key is in progress";
    /// The key is already deleted.
    pub const DELETED: &str = "This API key has already been deleted";
    /// A view-only role asked for secrets.
    pub const SECRETS_ROLE: &str =
        "Only Platform Owners and Developers can retrieve API key secrets";
}

/// One answer for a key that does not exist and one the caller may not know about.
const NO_SUCH_KEY: &str = "No such API key";

const IDEMPOTENCY_TTL_MS: i64 = 24 * 3600 * 1000;

/// The collection ACL (`add`) for a caller.
pub fn collection_acl(caller: &Caller) -> Acl {
    let mut acl = Acl::default();
    acl.set("add", caller.may_manage(), reasons::CREATE_ROLE);
    acl
}

/// The per-key ACL (`delete`) for a caller.
pub fn key_acl(caller: &Caller, status: &KeyStatus) -> Acl {
    let mut acl = Acl::default();
    match (caller.may_manage(), status) {
        (false, _) => acl.set("delete", false, reasons::DELETE_ROLE),
        (true, KeyStatus::Pending) => acl.set("delete", false, reasons::IN_PROGRESS),
        (true, KeyStatus::Deleted) => acl.set("delete", false, reasons::DELETED),
        (true, _) => acl.set("delete", true, ""),
    }
    acl
}

fn with_acl(caller: &Caller, mut key: ApiKey) -> ApiKey {
    key.acl = key_acl(caller, &key.status);
    key
}

fn ok<T: serde::Serialize>(data: T) -> Response {
    Json(Envelope::ok(data)).into_response()
}

/// `GET /tenants/{tenant}/keys`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(tenant): Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    caller.check_tenant(&tenant)?;
    let gzip = crate::accepts_encoding(&headers, "gzip");
    state.list_response(caller, tenant, gzip).await
}

/// Builds the serialised `ApiKeys` for a tenant as seen by `caller`.
pub fn render_list(
    conn: &rusqlite::Connection,
    caller: &Caller,
    tenant: &str,
) -> ApiResult<Vec<u8>> {
    let keys: Vec<ApiKey> = db::keys(conn, tenant)?
        .into_iter()
        .map(|k| with_acl(caller, k))
        .collect();
    let count = |s: KeyStatus| keys.iter().filter(|k| k.status == s).count() as u64;
    let insights = Insights {
        total_keys: keys.len() as u64,
        total_active: count(KeyStatus::Active),
        total_deleted: count(KeyStatus::Deleted),
    };
    let data = ApiKeys {
        acl: collection_acl(caller),
        model: db::models(conn, tenant)?,
        api_keys: keys,
        insights,
    };
    serde_json::to_vec(&Envelope::ok(data)).map_err(|e| ApiError::Internal(e.to_string()))
}

/// `GET /tenants/{tenant}/keys/base`.
pub async fn base(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(tenant): Path<String>,
) -> ApiResult<Response> {
    caller.check_tenant(&tenant)?;
    let model = state
        .blocking(move |_, conn| Ok(db::models(conn, &tenant)?))
        .await?;
    Ok(ok(BaseInfo {
        acl: collection_acl(&caller),
        model,
    }))
}

/// `GET /tenants/{tenant}/keys/{id}`.
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    caller.check_tenant(&tenant)?;
    let key = state
        .blocking(move |_, conn| {
            db::settle(conn, clock::now_ms())?;
            db::key(conn, &tenant, &id)?.ok_or(ApiError::NotFound(NO_SUCH_KEY))
        })
        .await?;
    Ok(ok(with_acl(&caller, key)))
}

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
    Path(tenant): Path<String>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<CreateApiKeyRequest>,
) -> ApiResult<Response> {
    caller.check_tenant(&tenant)?;
    if !caller.may_manage() {
        return Err(ApiError::Forbidden(reasons::CREATE_ROLE.into()));
    }
    let idem = idempotency_key(&headers)?;
    let body_hash: String = Sha256::digest(serde_json::to_vec(&req.api_key).unwrap_or_default())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let reserved = {
        let (tenant, idem, body_hash) = (tenant.clone(), idem.clone(), body_hash.clone());
        let req = req.api_key.clone();
        state
            .blocking(move |_, conn| reserve(conn, &tenant, &req, idem.as_deref(), &body_hash))
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
    let result = {
        let (tenant, user, idem) = (tenant.clone(), caller.user_id.clone(), idem.clone());
        state
            .blocking(move |_, conn| {
                commit_create(
                    conn,
                    &tenant,
                    &user,
                    &req.api_key,
                    idem.as_deref(),
                    fails,
                    delay,
                )
            })
            .await
    };
    state.invalidate();
    let key = result?;
    if state.faults.take_dropped_create() {
        // The key is committed, but the client never hears back: its body breaks mid-stream.
        let broken = futures_util_stream_error();
        return Ok(Response::builder()
            .header("content-type", "application/json")
            .body(broken)
            .unwrap_or_default());
    }
    Ok(ok(with_acl(&caller, key)))
}

/// What a create found when it checked its request and `Idempotency-Key`.
enum Reserved {
    /// The same intent already created this key.
    Replay(Box<ApiKey>),
    /// A new create may go ahead (its reservation is held); `fails` is the Arx's failure flag.
    Fresh { fails: bool },
}

/// Validates a create and reserves its `Idempotency-Key`, in one turn of the database so two
/// retries of one intent cannot both go ahead.
fn reserve(
    conn: &rusqlite::Connection,
    tenant: &str,
    req: &CreateApiKey,
    idem: Option<&str>,
    body_hash: &str,
) -> ApiResult<Reserved> {
    let fails = validate_create(conn, tenant, req)?;
    let Some(idem) = idem else {
        return Ok(Reserved::Fresh { fails });
    };
    let now = clock::now_ms();
    match db::idem_get(conn, tenant, idem)? {
        Some(rec) if now - rec.created_at < IDEMPOTENCY_TTL_MS => {
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
            Ok(Reserved::Replay(Box::new(key)))
        }
        _ => {
            db::idem_reserve(conn, tenant, idem, body_hash, now)?;
            Ok(Reserved::Fresh { fails })
        }
    }
}

/// Inserts the key of a create and completes its reservation; on failure the reservation is
/// released so a retry can proceed.
fn commit_create(
    conn: &rusqlite::Connection,
    tenant: &str,
    user: &str,
    req: &CreateApiKey,
    idem: Option<&str>,
    fails: bool,
    delay_ms: i64,
) -> ApiResult<ApiKey> {
    let now = clock::now_ms();
    let inserted = db::insert_key(
        conn,
        &db::NewKey {
            tenant_id: tenant,
            application_id: req.application_id.as_deref(),
            cluster_id: &req.cluster_id,
            created_by: user,
            status: "pending",
            next_status: Some(if fails { "failed" } else { "active" }),
            transition_at: Some(now + delay_ms),
            created_at: &clock::rfc3339(now),
            with_secrets: !fails,
            last_used_at: None,
        },
    )
    .and_then(|id| {
        if let Some(idem) = idem {
            db::idem_complete(conn, tenant, idem, &id)?;
        }
        db::key(conn, tenant, &id)
    });
    match inserted {
        Ok(Some(key)) => Ok(key),
        Ok(None) => Err(ApiError::Internal("created key not found".into())),
        Err(e) => {
            if let Some(idem) = idem {
                let _ = db::idem_release(conn, tenant, idem);
            }
            Err(e.into())
        }
    }
}

fn futures_util_stream_error() -> Body {
    struct Broken;
    impl http_body::Body for Broken {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Ready(Some(Err(std::io::Error::other(
                "dropped by fault injection",
            ))))
        }
    }
    Body::new(Broken)
}

/// The preamble of the routes on one key that change it: the path's tenant is the caller's,
/// the caller may manage keys (else 403 with `refused`), and the key exists after pending
/// transitions have settled (else 404).
fn own_key(
    conn: &rusqlite::Connection,
    caller: &Caller,
    tenant: &str,
    id: &str,
    refused: &str,
) -> ApiResult<ApiKey> {
    caller.check_tenant(tenant)?;
    if !caller.may_manage() {
        return Err(ApiError::Forbidden(refused.into()));
    }
    db::settle(conn, clock::now_ms())?;
    db::key(conn, tenant, id)?.ok_or(ApiError::NotFound(NO_SUCH_KEY))
}

/// `DELETE /tenants/{tenant}/keys/{id}`: soft delete through `pending`.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let delay = state.provisioning_delay_ms as i64;
    let who = caller.clone();
    let (key, changed) = state
        .blocking(move |_, conn| {
            let key = own_key(conn, &who, &tenant, &id, reasons::DELETE_ROLE)?;
            match key.status {
                KeyStatus::Pending => return Err(ApiError::Conflict(reasons::IN_PROGRESS)),
                KeyStatus::Deleted => return Ok((key, false)),
                _ => {}
            }
            db::schedule(conn, &id, "deleted", clock::now_ms() + delay)?;
            let key = db::key(conn, &tenant, &id)?.ok_or(ApiError::NotFound(NO_SUCH_KEY))?;
            Ok((key, true))
        })
        .await?;
    if changed {
        state.invalidate();
    }
    Ok(ok(with_acl(&caller, key)))
}

/// `GET /tenants/{tenant}/keys/{id}/sensitive`: the secrets, once.
pub async fn sensitive(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let revealed = state
        .blocking(move |_, conn| {
            let key = own_key(conn, &caller, &tenant, &id, reasons::SECRETS_ROLE)?;
            Ok(db::reveal(conn, &key, &clock::now_rfc3339())?)
        })
        .await?;
    match revealed {
        db::Reveal::Secrets(data) => Ok(ok::<SensitiveData>(data)),
        db::Reveal::AlreadyProvided => Err(ApiError::Gone),
        db::Reveal::NotActive(KeyStatus::Pending) => Err(ApiError::Conflict(
            "The key is still being provisioned; its secrets are not ready yet",
        )),
        db::Reveal::NotActive(status) => Err(ApiError::Invalid {
            message: format!("This API key is {status}; it has no secrets to show"),
            details: vec![],
        }),
    }
}
