//! The API-key routes (contract §5), with role checks and ACLs computed per user and per key.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use platform_types::{
    Acl, ApiKey, ApiKeys, BaseInfo, Envelope, Insights, KeyStatus, SensitiveData,
};

use crate::auth::Caller;
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

mod create;

pub use create::create;
pub(crate) use create::IN_FLIGHT_TTL_MS;

/// One answer for a key that does not exist and one the caller may not know about.
const NO_SUCH_KEY: &str = "No such API key";

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

/// A route's path parameters, whose failure (bytes that are not UTF-8, an address no id can
/// make) is the envelope's 404 rather than axum's plain-text 400: every answer is the envelope
/// (contract §2).
pub struct Ids<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for Ids<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(ids)| Ids(ids))
            .map_err(|_| ApiError::NotFound("No such route"))
    }
}

fn ok<T: serde::Serialize>(data: T) -> Response {
    Json(Envelope::ok(data)).into_response()
}

/// `GET /tenants/{tenant}/keys`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Ids(tenant): Ids<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    caller.check_tenant(&tenant)?;
    let gzip = crate::list::accepts_encoding(&headers, "gzip");
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
    Ids(tenant): Ids<String>,
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
    Ids((tenant, id)): Ids<(String, String)>,
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
    Ids((tenant, id)): Ids<(String, String)>,
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
            // One write: a key scheduled for deletion never keeps its secrets.
            let tx = conn.transaction()?;
            db::schedule(&tx, &id, "deleted", clock::now_ms() + delay)?;
            db::erase_secrets(&tx, &id)?;
            tx.commit()?;
            db::forget_erased(conn);
            let key = db::key(conn, &tenant, &id)?.ok_or(ApiError::NotFound(NO_SUCH_KEY))?;
            Ok((key, true))
        })
        .await?;
    if changed {
        state.invalidate();
    }
    Ok(ok(with_acl(&caller, key)))
}

/// `GET /tenants/{tenant}/keys/{id}/sensitive`: the secrets, once, to the key's creator only;
/// anyone else is answered as for an unknown key, and the secrets stay unclaimed.
pub async fn sensitive(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Ids((tenant, id)): Ids<(String, String)>,
) -> ApiResult<Response> {
    let user = caller.user_id.clone();
    let revealed = state
        .blocking(move |_, conn| {
            // Who created it before what the role allows: to anyone else the key does not
            // exist (contract §5.2), whatever their role, so a view-only role learns nothing
            // from a 403 either.
            caller.check_tenant(&tenant)?;
            db::settle(conn, clock::now_ms())?;
            let key = db::key(conn, &tenant, &id)?.ok_or(ApiError::NotFound(NO_SUCH_KEY))?;
            if key.created_by.as_ref().map(|c| c.id.as_str()) != Some(caller.user_id.as_str()) {
                return Err(ApiError::NotFound(NO_SUCH_KEY));
            }
            if !caller.may_manage() {
                return Err(ApiError::Forbidden(reasons::SECRETS_ROLE.into()));
            }
            Ok(db::reveal(conn, &key, &clock::now_rfc3339())?)
        })
        .await?;
    match revealed {
        db::Reveal::Secrets(data) => {
            tracing::info!(
                user = %user,
                key = %data.id,
                provided_at = %data.provided_at,
                "one-time secrets handed out"
            );
            Ok(ok::<SensitiveData>(data))
        }
        db::Reveal::AlreadyProvided => Err(ApiError::Gone),
        db::Reveal::NotActive(KeyStatus::Pending) => Err(ApiError::Conflict(
            "The key has an operation in progress; its secrets are not available now",
        )),
        db::Reveal::NotActive(status) => Err(ApiError::Invalid {
            message: format!("This API key is {status}; it has no secrets to show"),
            details: vec![],
        }),
    }
}
