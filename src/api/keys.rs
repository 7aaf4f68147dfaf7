//! API-key routes (contract §5), all under the signed-in tenant.

use platform_types::ids::{self, is_id};
use platform_types::{ApiKey, ApiKeys, BaseInfo, CreateApiKeyRequest, KeyStatus, SensitiveData};

use super::{decode, http, ApiClient, ApiError, Call, Method, Said};

impl ApiClient {
    /// The tenant's keys route and `rest` after it. Ids go into the path only when they have the
    /// platform's form (`platform_types::ids`), which needs no encoding and cannot be a dot
    /// segment: `..` from an address or an answer would otherwise name another route.
    fn keys_url(&self, rest: &str) -> Result<String, ApiError> {
        let tenant = self
            .tokens
            .tenant_id()
            .ok_or_else(|| ApiError::Unauthorized(Said::nothing()))?;
        if !is_id(&tenant, ids::TENANT) {
            return Err(ApiError::Decode(
                "the session's tenant id is malformed".into(),
            ));
        }
        let keys = super::paths::KEYS.replace("{tenant}", &tenant);
        Ok(self.api_url(&format!("{keys}{rest}")))
    }

    /// The route of the key `id` and `rest` after it. An id without the form of a key's names
    /// no key: the answer is the platform's would be, 404, without asking it.
    fn key_url(&self, id: &str, rest: &str) -> Result<String, ApiError> {
        if !is_id(id, ids::API_KEY) {
            return Err(ApiError::NotFound(Said::nothing()));
        }
        self.keys_url(&format!("/{id}{rest}"))
    }

    /// `GET /keys`: every key of the tenant with ACL, models and insights. The first call after
    /// a page load of the dashboard takes the list `index.html` asked for with the session it
    /// restored (`crate::handoff`) when it is this tenant's and arrived whole; else it asks.
    pub async fn list_keys(&self) -> Result<ApiKeys, ApiError> {
        let url = self.keys_url("")?;
        #[cfg(feature = "bench")]
        crate::bench::mark("console:list-keys");
        let timeout = self.config.request_timeout_ms;
        if let Some(raw) = http::handed_off("keys", timeout, Some(&url)).await {
            if let Ok(list) = decode::<ApiKeys>(&raw) {
                return Ok(list);
            }
        }
        self.send(Call::new(Method::Get, url)).await
    }

    /// `GET /keys/base`: what a new key may use, each choice once.
    pub async fn key_base(&self) -> Result<BaseInfo, ApiError> {
        let base: BaseInfo = self
            .send(Call::new(Method::Get, self.keys_url("/base")?))
            .await?;
        Ok(BaseInfo {
            model: base.model.without_repeats(),
            ..base
        })
    }

    /// `GET /keys/{id}`.
    pub async fn get_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        self.send_key(Call::new(Method::Get, self.key_url(id, "")?))
            .await
    }

    /// `POST /keys` with the intent's idempotency key (so it is safe to retry).
    pub async fn create_key(
        &self,
        request: &CreateApiKeyRequest,
        idempotency_key: &str,
    ) -> Result<ApiKey, ApiError> {
        let body = serde_json::to_string(request)
            .map_err(|e| ApiError::Decode(super::error::json_problem(&e)))?;
        let call = Call {
            body: Some(body),
            idempotency_key: Some(idempotency_key.to_owned()),
            ..Call::new(Method::Post, self.keys_url("")?)
        };
        self.send_key(call).await
    }

    /// A call answered by one key. An answer that names none (the contract requires its id)
    /// cannot be told from another key's: it is not understood, rather than a key of no id
    /// whose step 4 or poll would wait for it forever.
    async fn send_key(&self, call: Call) -> Result<ApiKey, ApiError> {
        let key: ApiKey = self.send(call).await?;
        if is_id(&key.id, ids::API_KEY) {
            Ok(key)
        } else {
            Err(ApiError::Decode("the answer names no key".into()))
        }
    }

    /// `DELETE /keys/{id}` (the id from fetched data, never typed text). The client replays a
    /// DELETE whose answer was lost; if the first one was applied, the replay gets 409 (a delete
    /// under way). So a 409 is checked against the key: being deleted, or deleted, is this
    /// delete done, and its answer is the key as it is now; a check that got no answer leaves
    /// the outcome unknown, as it is.
    pub async fn delete_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        let url = self.key_url(id, "")?;
        let epoch = self.tokens.epoch();
        match self.send(Call::new(Method::Delete, url)).await {
            // The check belongs to the delete's session: once that has ended, it would go out
            // in the name of whoever signed in next, under their tenant.
            Err(ApiError::Conflict(_)) if self.tokens.epoch() != epoch => Err(ApiError::Cancelled),
            Err(ApiError::Conflict(said)) => match self.get_key(id).await {
                Ok(now) if matches!(now.status, KeyStatus::Pending | KeyStatus::Deleted) => Ok(now),
                Err(e) if e.is_unanswered() => Err(e),
                _ => Err(ApiError::Conflict(said)),
            },
            answer => answer,
        }
    }

    /// `GET /keys/{id}/sensitive`: the one-time secrets.
    pub async fn key_secrets(&self, id: &str) -> Result<SensitiveData, ApiError> {
        let call = Call {
            once: true,
            ..Call::new(Method::Get, self.key_url(id, "/sensitive")?)
        };
        self.send(call).await
    }
}
