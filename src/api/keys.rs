//! API-key routes (contract §5), all under the signed-in tenant.

use platform_types::{ApiKey, ApiKeys, BaseInfo, CreateApiKeyRequest, SensitiveData};

use super::{segment, ApiClient, ApiError, Call, Method};

impl ApiClient {
    fn keys_url(&self, rest: &str) -> Result<String, ApiError> {
        let tenant = self
            .session
            .tenant_id()
            .ok_or_else(|| ApiError::Unauthorized(String::new()))?;
        Ok(self.api_url(&format!("/tenants/{}/keys{rest}", segment(&tenant))))
    }

    /// `GET /keys`: every key of the tenant with ACL, models and insights. The first call after
    /// a page load of the dashboard takes the list `index.html` asked for with the session it
    /// restored (`crate::handoff`) when it is this tenant's and arrived whole; else it asks.
    pub async fn list_keys(&self) -> Result<ApiKeys, ApiError> {
        let url = self.keys_url("")?;
        // For the benchmark: when the list was wanted (its answer may have come before). One mark,
        // replaced on each call, so a long session's refreshes do not pile them up.
        if let Some(p) = leptos::prelude::window().performance() {
            p.clear_marks_with_mark_name("console:list-keys");
            let _ = p.mark("console:list-keys");
        }
        let timeout = self.config.request_timeout_ms;
        let warm = Some(warm_decoder_once as fn());
        if let Some(raw) = super::handed_off("keys", timeout, Some(&url), warm).await {
            if let Ok(list) = super::error::decode::<ApiKeys>(&raw) {
                return Ok(list);
            }
        }
        let call = Call {
            meanwhile: warm,
            ..Call::new(Method::Get, url)
        };
        self.send(call).await
    }

    /// `GET /keys/base`: what a new key may use.
    pub async fn key_base(&self) -> Result<BaseInfo, ApiError> {
        self.send(Call::new(Method::Get, self.keys_url("/base")?))
            .await
    }

    /// `GET /keys/{id}`.
    pub async fn get_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        self.send(Call::new(
            Method::Get,
            self.keys_url(&format!("/{}", segment(id)))?,
        ))
        .await
    }

    /// `POST /keys` with the intent's idempotency key (so it is safe to retry).
    pub async fn create_key(
        &self,
        request: &CreateApiKeyRequest,
        idempotency_key: &str,
    ) -> Result<ApiKey, ApiError> {
        let body = serde_json::to_string(request).map_err(|e| ApiError::Decode(e.to_string()))?;
        let call = Call {
            body: Some(body),
            idempotency_key: Some(idempotency_key.to_owned()),
            ..Call::new(Method::Post, self.keys_url("")?)
        };
        self.send(call).await
    }

    /// `DELETE /keys/{id}` (the id from fetched data, never typed text).
    pub async fn delete_key(&self, id: &str) -> Result<ApiKey, ApiError> {
        self.send(Call::new(
            Method::Delete,
            self.keys_url(&format!("/{}", segment(id)))?,
        ))
        .await
    }

    /// `GET /keys/{id}/sensitive`: the one-time secrets.
    pub async fn key_secrets(&self, id: &str) -> Result<SensitiveData, ApiError> {
        // Not replayed: if the answer is lost, the server has already forgotten the secrets.
        let call = Call {
            once: true,
            ..Call::new(
                Method::Get,
                self.keys_url(&format!("/{}/sensitive", segment(id)))?,
            )
        };
        self.send(call).await
    }
}

/// One key as the platform sends it (made up), for [`warm_list_decoder`].
const SAMPLE_KEY: &str = r#"{"id":"apikey--z-44mlKiMqxd6Kjs","access_key":"onq.1DF1FF5E1623F41B30A19935","created_at":"2026-11-27T04:17:55.797Z","status":"active","created_by":{"id":"user--owner","full_name":"Olivia Owner","name":"Olivia Owner","email_address":"owner@demo.test","avatar":""},"application_id":"app--5hKlXXReETBhzBOP","application":{"id":"app--5hKlXXReETBhzBOP","name":"reporting-worker","label":"Reporting Worker"},"cluster_id":"arx--Wn74IBVPBEJGpP9B","cluster":{"id":"arx--Wn74IBVPBEJGpP9B","name":"staging-gb","label":"Staging GB"},"arx_url":"https://arx-wn74ibvpbejgpp9b.dev.onqlave.test","acl":{"can":{"delete":true},"can_not":{}},"last_used_at":null}"#;

thread_local! {
    static WARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`warm_list_decoder`] with 300 keys (~4 ms), the first time only. Run while a large key list
/// is still arriving: V8 first runs wasm in its baseline compiler and
/// optimises a function (in the background) only once it has run for a while, so the decoder's
/// hot functions are optimised by the time the list is there (README, Performance).
fn warm_decoder_once() {
    if !WARMED.replace(true) {
        warm_list_decoder(300);
    }
}

/// Decodes a made-up list of `keys` keys and drops it; returns how many it decoded (all of them,
/// unless the sample no longer matches the wire types — a test holds it to that).
fn warm_list_decoder(keys: usize) -> usize {
    let body = format!(
        r#"{{"data":{{"api_keys":[{}]}},"error":null}}"#,
        vec![SAMPLE_KEY; keys].join(",")
    );
    let raw = super::error::RawResponse {
        status: 200,
        body,
        retry_after: None,
        correlation_id: None,
    };
    std::hint::black_box(super::error::decode::<ApiKeys>(&raw))
        .map(|list| list.api_keys.len())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_sample_decodes_as_a_key_list() {
        assert_eq!(warm_list_decoder(3), 3);
        let key: ApiKey = serde_json::from_str(SAMPLE_KEY).unwrap();
        assert_eq!(key.access_key, "onq.1DF1FF5E1623F41B30A19935");
        assert_eq!(
            key.created_by.map(|c| c.full_name),
            Some("Olivia Owner".into())
        );
    }
}
