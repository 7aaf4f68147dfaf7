//! Wire types of the Onqlave platform API, as fixed by `shared/platform-api.md`.
//!
//! Both the console and the dev platform use these definitions, so the contract has one source.
//! Decoding is lenient on purpose (contract §2): any field may be absent or `null` unless marked
//! required, arrays may be `null`, and unknown fields are ignored. Only ids are required.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

mod secret;
pub use secret::Secret;

/// Deserialises `null` as the type's default, so `"x": null` and a missing `"x"` read the same.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The `error` member of every response envelope (contract §2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    /// HTTP status repeated in the body; 0 on success.
    #[serde(deserialize_with = "null_default")]
    pub code: u16,
    /// Machine-readable key such as `internal_authz_err`; empty on success.
    #[serde(deserialize_with = "null_default")]
    pub status: String,
    /// Text that is safe to show to a person.
    #[serde(deserialize_with = "null_default")]
    pub message: String,
    /// Id to quote to support; also sent as the `X-Correlation-Id` header.
    #[serde(deserialize_with = "null_default")]
    pub correlation_id: String,
    /// Field errors of a 400, `[{"field", "message"}]`; `null` otherwise.
    pub details: Option<Vec<FieldError>>,
}

impl ErrorBody {
    /// Whether this is the zeroed error object of a successful response.
    pub fn is_ok(&self) -> bool {
        self.code == 0 && self.status.is_empty()
    }
}

/// One field of a validation error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldError {
    /// Name of the offending field.
    #[serde(deserialize_with = "null_default")]
    pub field: String,
    /// Why it was refused.
    #[serde(deserialize_with = "null_default")]
    pub message: String,
}

/// The envelope `{"data": …, "error": …}` around every response body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// The payload; `null` on error and for routes without one.
    #[serde(default = "none")]
    pub data: Option<T>,
    /// Zeroed on success.
    #[serde(default, deserialize_with = "null_default")]
    pub error: ErrorBody,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    /// A success envelope around `data`.
    pub fn ok(data: T) -> Self {
        Self {
            data: Some(data),
            error: ErrorBody::default(),
        }
    }
}

/// Error `status` keys of contract §2.1.
pub mod status_keys {
    /// 400: body not JSON or missing a required field.
    pub const PAYLOAD: &str = "handler_payload_err";
    /// 401: no token, bad token, expired token, wrong credentials.
    pub const UNAUTHORIZED: &str = "service_unauthorized_err";
    /// 403: role may not do this, or another tenant.
    pub const FORBIDDEN: &str = "internal_authz_err";
    /// 404: no such key.
    pub const NOT_FOUND: &str = "db_not_exist_err";
    /// 409: an operation is in flight.
    pub const CONFLICT: &str = "internal_lock_hold_by_another";
    /// 410: the one-time secrets were already handed out.
    pub const GONE: &str = "api_key_secrets_already_provided";
    /// 422: well-formed but invalid.
    pub const INVALID: &str = "handler_data_err";
    /// 429: too many requests.
    pub const RATE_LIMITED: &str = "internal_rate_limited";
    /// 500: anything else.
    pub const INTERNAL: &str = "internal_err";
    /// 503: maintenance.
    pub const UNAVAILABLE: &str = "service_unavailable_err";
}

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

/// Permissions with reasons: `{"can": {"add": true}, "can_not": {"delete_reason": "…"}}`.
///
/// Each map is kept as a short list sorted by name (the wire form is still a JSON object):
/// every key of a list carries an ACL with one or two entries, and a `BTreeMap` allocates a
/// node of eleven slots for each, ~1 kB per key and a tenth of the decode time of 10,000 keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Acl {
    /// Action name → allowed.
    #[serde(with = "sorted_pairs")]
    pub can: Vec<(String, bool)>,
    /// `<action>_reason` → why the action is not allowed.
    #[serde(with = "sorted_pairs")]
    pub can_not: Vec<(String, String)>,
}

/// The first of `names` that is not empty, else "" (what a display name falls back through).
fn first_filled<const N: usize>(names: [&String; N]) -> &str {
    names
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("", String::as_str)
}

fn lookup<'a, V>(pairs: &'a [(String, V)], name: &str) -> Option<&'a V> {
    pairs
        .binary_search_by(|(k, _)| k.as_str().cmp(name))
        .ok()
        .map(|i| &pairs[i].1)
}

/// Puts `name → value` in its sorted place, replacing an entry of the same name.
fn insert_sorted<V>(pairs: &mut Vec<(String, V)>, name: String, value: V) {
    match pairs.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
        Ok(i) => pairs[i].1 = value,
        Err(i) => pairs.insert(i, (name, value)),
    }
}

/// A JSON object as a list of pairs sorted by name; `null` reads as empty, a repeated name keeps
/// its last value (as a map would).
mod sorted_pairs {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, V: Serialize>(
        pairs: &[(String, V)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
    }

    pub fn deserialize<'de, D, V>(d: D) -> Result<Vec<(String, V)>, D::Error>
    where
        D: Deserializer<'de>,
        V: Deserialize<'de>,
    {
        struct Pairs<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Pairs<V> {
            type Value = Vec<(String, V)>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or null")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    super::insert_sorted(&mut pairs, k, v);
                }
                Ok(pairs)
            }
        }
        d.deserialize_any(Pairs(PhantomData))
    }
}

impl Acl {
    /// Whether `action` is allowed, or `None` when the ACL does not mention it.
    pub fn allows(&self, action: &str) -> Option<bool> {
        lookup(&self.can, action).copied()
    }

    /// The server's reason for refusing `action`, if it gave one.
    pub fn reason(&self, action: &str) -> Option<&str> {
        lookup(&self.can_not, &format!("{action}_reason"))
            .map(String::as_str)
            .filter(|r| !r.is_empty())
    }

    /// Sets `action` to allowed or refused with `reason`.
    pub fn set(&mut self, action: &str, allowed: bool, reason: &str) {
        insert_sorted(&mut self.can, action.to_owned(), allowed);
        if !allowed {
            insert_sorted(
                &mut self.can_not,
                format!("{action}_reason"),
                reason.to_owned(),
            );
        }
    }
}

/// `data` of `GET /keys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiKeys {
    /// Collection permissions (`add`).
    #[serde(deserialize_with = "null_default")]
    pub acl: Acl,
    /// Every key of the tenant, deleted ones included.
    #[serde(deserialize_with = "null_default")]
    pub api_keys: Vec<ApiKey>,
    /// Applications and Arx the keys refer to.
    #[serde(deserialize_with = "null_default")]
    pub model: Models,
    /// Counts.
    #[serde(deserialize_with = "null_default")]
    pub insights: Insights,
}

/// Key counts of `GET /keys`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Insights {
    /// All keys, deleted included.
    #[serde(deserialize_with = "null_default")]
    pub total_keys: u64,
    /// Keys with status `active`.
    #[serde(deserialize_with = "null_default")]
    pub total_active: u64,
    /// Keys with status `deleted`.
    #[serde(deserialize_with = "null_default")]
    pub total_deleted: u64,
}

/// Life-cycle status of a key. Unknown values are kept as `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum KeyStatus {
    /// An operation (create or delete) is in flight.
    #[default]
    Pending,
    /// Usable.
    Active,
    /// Disabled by the platform.
    Disabled,
    /// Soft-deleted.
    Deleted,
    /// Provisioning failed.
    Failed,
    /// A status this client does not know.
    Other(String),
}

impl KeyStatus {
    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Disabled => "disabled",
            Self::Deleted => "deleted",
            Self::Failed => "failed",
            Self::Other(s) => s,
        }
    }

    /// Parses a wire string; never fails.
    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "active" => Self::Active,
            "disabled" => Self::Disabled,
            "deleted" => Self::Deleted,
            "failed" => Self::Failed,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Whether no further change is expected without a new request.
    pub fn is_terminal(&self) -> bool {
        !matches!(self, Self::Pending)
    }
}

impl fmt::Display for KeyStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for KeyStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KeyStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<String>::deserialize(d)?
            .map(|s| Self::parse(&s))
            .unwrap_or(Self::Other(String::new())))
    }
}

/// One API key as listed; carries no secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiKey {
    /// `apikey--…`; required.
    pub id: String,
    /// The API key a person sees, copies and types to confirm deletion; not secret.
    #[serde(deserialize_with = "null_default")]
    pub access_key: String,
    /// Creation time as sent (RFC 3339 or Go's format).
    #[serde(deserialize_with = "null_default")]
    pub created_at: String,
    /// Life-cycle status.
    pub status: KeyStatus,
    /// Who created it.
    pub created_by: Option<Creator>,
    /// Id of the application.
    #[serde(deserialize_with = "null_default")]
    pub application_id: String,
    /// The application, when expanded.
    pub application: Option<Ref>,
    /// Id of the Arx (the wire says cluster).
    #[serde(deserialize_with = "null_default")]
    pub cluster_id: String,
    /// The Arx, when expanded.
    pub cluster: Option<Ref>,
    /// Endpoint the SDKs call.
    #[serde(deserialize_with = "null_default")]
    pub arx_url: String,
    /// Per-key permissions (`delete`).
    #[serde(deserialize_with = "null_default")]
    pub acl: Acl,
    /// When the key was last used, if the platform says.
    pub last_used_at: Option<String>,
}

/// Who created a key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Creator {
    /// User id.
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    /// Full name.
    #[serde(deserialize_with = "null_default")]
    pub full_name: String,
    /// Short name.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    /// E-mail address.
    #[serde(deserialize_with = "null_default")]
    pub email_address: String,
    /// Avatar URL; never loaded from the API text without care.
    #[serde(deserialize_with = "null_default")]
    pub avatar: String,
}

impl Creator {
    /// The best name to show.
    pub fn display_name(&self) -> &str {
        first_filled([&self.full_name, &self.name, &self.email_address, &self.id])
    }
}

/// A short reference `{id, name, label}` to an application or Arx.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ref {
    /// Id.
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    /// Name.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    /// Label for display.
    #[serde(deserialize_with = "null_default")]
    pub label: String,
}

impl Ref {
    /// Label, else name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.label, &self.name, &self.id])
    }
}

/// An `{id, name}` pair used for enumerations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Named {
    /// Id.
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    /// Name for display.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
}

impl Named {
    /// A pair with both parts given.
    pub fn new(id: &str, name: &str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
        }
    }

    /// Name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.name, &self.id])
    }
}

/// Applications and Arx offered or referred to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Models {
    /// Applications; empty on the newer platform revision.
    #[serde(deserialize_with = "null_default")]
    pub applications: Vec<Application>,
    /// Arx (encryption clusters).
    #[serde(deserialize_with = "null_default")]
    pub clusters: Vec<Arx>,
}

/// `data` of `GET /keys/base`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BaseInfo {
    /// Collection permissions (`add`).
    #[serde(deserialize_with = "null_default")]
    pub acl: Acl,
    /// What a new key may use.
    #[serde(deserialize_with = "null_default")]
    pub model: Models,
}

/// An application that keys are issued to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Application {
    /// `app--…`.
    pub id: String,
    /// Name.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    /// Label for display.
    #[serde(deserialize_with = "null_default")]
    pub label: String,
    /// Server or client.
    #[serde(deserialize_with = "null_default")]
    pub application_technology: Technology,
}

impl Application {
    /// Label, else name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.label, &self.name, &self.id])
    }
}

/// Technology of an application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Technology {
    /// `server` or `client`.
    #[serde(deserialize_with = "null_default")]
    pub id: String,
    /// Name for display.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    /// Longer description.
    #[serde(deserialize_with = "null_default")]
    pub description: String,
    /// Whether CORS applies.
    #[serde(deserialize_with = "null_default")]
    pub cors: bool,
    /// Icon name.
    #[serde(deserialize_with = "null_default")]
    pub icon: String,
    /// Sort order.
    #[serde(deserialize_with = "null_default")]
    pub order: i64,
    /// Whether it can be chosen.
    #[serde(deserialize_with = "null_default")]
    pub enable: bool,
    /// Whether it is the default.
    #[serde(deserialize_with = "null_default")]
    pub is_default: bool,
}

/// An Arx: Onqlave's encryption cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Arx {
    /// `arx--…`.
    pub id: String,
    /// Name.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    /// Label for display.
    #[serde(deserialize_with = "null_default")]
    pub label: String,
    /// development, testing, staging or production.
    #[serde(deserialize_with = "null_default")]
    pub purpose: Named,
    /// serverless or dedicated.
    #[serde(deserialize_with = "null_default")]
    pub plan: Named,
    /// gcp, aws or azure.
    #[serde(deserialize_with = "null_default")]
    pub provider: Named,
    /// Regions it runs in.
    #[serde(deserialize_with = "null_default")]
    pub regions: Vec<Named>,
    /// Encryption method.
    #[serde(deserialize_with = "null_default")]
    pub encryption: Named,
    /// Key rotation cycle.
    #[serde(deserialize_with = "null_default")]
    pub rotation_cycle: Named,
    /// Who created it.
    pub created_by: Option<Creator>,
}

impl Arx {
    /// Label, else name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.label, &self.name, &self.id])
    }
}

/// The `api_key` member of `POST /keys`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateApiKey {
    /// Application id; omitted on the newer revision without applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// Arx id; required.
    pub cluster_id: String,
    /// `server` or `client`; equals the application's technology.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_technology: Option<String>,
}

/// Body of `POST /keys`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateApiKeyRequest {
    /// The key to create.
    pub api_key: CreateApiKey,
}

/// `data` of `GET /keys/{id}/sensitive`: the one-time secrets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SensitiveData {
    /// Key id.
    pub id: String,
    /// The visible API key.
    #[serde(deserialize_with = "null_default")]
    pub access_key: String,
    /// Status when handed out.
    pub status: KeyStatus,
    /// Secret for client-side SDKs; may be empty for server keys.
    pub client_key: Secret,
    /// Secret used to sign requests.
    pub server_signing_key: Secret,
    /// Secret used to reach the Arx (the SDK file calls it `server_secret_key`).
    pub server_crypto_access_key: Secret,
    /// Endpoint the SDKs call.
    #[serde(deserialize_with = "null_default")]
    pub arx_url: String,
    /// When the secrets were handed out.
    #[serde(deserialize_with = "null_default")]
    pub provided_at: String,
}

/// Display name of a role id (contract §4); unknown ids are shown as themselves.
pub fn role_display_name(role: &str) -> &str {
    match role {
        "platform_owner" => "Platform Owner",
        "developer" => "Developer",
        "platform_admin" => "Platform Admin",
        other => other,
    }
}

/// Whether any of `roles` may create and delete keys (contract §4).
pub fn roles_may_manage_keys<S: AsRef<str>>(roles: &[S]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r.as_ref(), "platform_owner" | "developer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_with_nulls_and_unknown_fields_decodes() {
        let body = r#"{"data":{"acl":null,"api_keys":null,"model":{"applications":null},"insights":{"total_keys":3},"extra":1},"error":null}"#;
        let env: Envelope<ApiKeys> = serde_json::from_str(body).unwrap();
        let data = env.data.unwrap();
        assert!(data.api_keys.is_empty());
        assert_eq!(data.insights.total_keys, 3);
        assert!(env.error.is_ok());
    }

    #[test]
    fn key_requires_only_its_id() {
        let key: ApiKey = serde_json::from_str(r#"{"id":"apikey--a","status":"weird"}"#).unwrap();
        assert_eq!(key.status, KeyStatus::Other("weird".into()));
        assert!(key.created_by.is_none());
        let err = serde_json::from_str::<ApiKey>(r#"{"status":"active"}"#);
        assert!(
            err.is_ok(),
            "a missing id defaults to empty and is rejected by callers"
        );
    }

    #[test]
    fn error_envelope_decodes_details() {
        let body = r#"{"data":null,"error":{"code":400,"status":"handler_payload_err","message":"bad","correlation_id":"c1","details":[{"field":"api_key.cluster_id","message":"required"}]}}"#;
        let env: Envelope<serde_json::Value> = serde_json::from_str(body).unwrap();
        assert!(env.data.is_none());
        assert_eq!(env.error.code, 400);
        assert_eq!(env.error.details.unwrap()[0].field, "api_key.cluster_id");
    }

    #[test]
    fn acl_reads_objects_in_any_order_and_null_and_writes_objects() {
        let acl: Acl = serde_json::from_str(
            r#"{"can": {"delete": false, "add": true, "delete": true}, "can_not": null}"#,
        )
        .unwrap();
        assert_eq!(acl.allows("add"), Some(true));
        assert_eq!(
            acl.allows("delete"),
            Some(true),
            "a repeated name keeps its last value"
        );
        assert_eq!(acl.allows("edit"), None);
        assert_eq!(acl.reason("delete"), None);
        let json = serde_json::to_value(&acl).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"can": {"add": true, "delete": true}, "can_not": {}})
        );
        let other: Acl = serde_json::from_str(r#"{"can": {"add": true, "delete": true}}"#).unwrap();
        assert_eq!(acl, other, "equality does not depend on the order sent");
        assert!(serde_json::from_str::<Acl>(r#"{"can": [true]}"#).is_err());
    }

    #[test]
    fn acl_reports_permission_and_reason() {
        let mut acl = Acl::default();
        assert_eq!(acl.allows("delete"), None);
        acl.set(
            "delete",
            false,
            "Only Platform Owners and Developers can delete API keys",
        );
        assert_eq!(acl.allows("delete"), Some(false));
        assert_eq!(
            acl.reason("delete"),
            Some("Only Platform Owners and Developers can delete API keys")
        );
    }

    #[test]
    fn create_request_omits_absent_application() {
        let req = CreateApiKeyRequest {
            api_key: CreateApiKey {
                application_id: None,
                cluster_id: "arx--1".into(),
                application_technology: None,
            },
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"api_key":{"cluster_id":"arx--1"}}"#
        );
    }

    #[test]
    fn display_names_fall_back_through_their_fields() {
        let mut creator = Creator {
            id: "user--1".into(),
            email_address: "ada@example.test".into(),
            ..Default::default()
        };
        assert_eq!(creator.display_name(), "ada@example.test");
        creator.name = "ada".into();
        assert_eq!(creator.display_name(), "ada");
        creator.full_name = "Ada Lovelace".into();
        assert_eq!(creator.display_name(), "Ada Lovelace");
        creator.email_address.clear();
        creator.full_name.clear();
        creator.name.clear();
        assert_eq!(creator.display_name(), "user--1");

        let mut arx = Arx {
            id: "arx--1".into(),
            ..Default::default()
        };
        assert_eq!(arx.display_name(), "arx--1");
        arx.name = "prod-au".into();
        assert_eq!(arx.display_name(), "prod-au");
        arx.label = "Production AU".into();
        assert_eq!(arx.display_name(), "Production AU");

        assert_eq!(Named::new("monthly", "").display_name(), "monthly");
        assert_eq!(Named::new("monthly", "Monthly").display_name(), "Monthly");
        assert_eq!(Ref::default().display_name(), "");
        let app = Application {
            name: "payments".into(),
            ..Default::default()
        };
        assert_eq!(app.display_name(), "payments");
    }

    #[test]
    fn roles_decide_management() {
        assert!(roles_may_manage_keys(&["platform_admin", "developer"]));
        assert!(roles_may_manage_keys(&["platform_owner"]));
        assert!(!roles_may_manage_keys(&["platform_admin"]));
        assert!(!roles_may_manage_keys::<&str>(&[]));
        assert_eq!(role_display_name("developer"), "Developer");
        assert_eq!(role_display_name("auditor"), "auditor");
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
