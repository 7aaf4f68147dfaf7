//! API keys and what they refer to (contract §5).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::acl::Acl;
use crate::de::{decode_object, first_filled};
use crate::secret::Secret;

/// `data` of `GET /keys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApiKeys {
    /// Collection permissions (`add`).
    pub acl: Acl,
    /// Every key of the tenant, deleted ones included.
    pub api_keys: Vec<ApiKey>,
    /// Applications and Arx the keys refer to.
    pub model: Models,
    /// Counts.
    pub insights: Insights,
}

decode_object!(ApiKeys, "the key list", {
    acl: lenient, api_keys: lenient, model: lenient, insights: lenient,
});

/// Key counts of `GET /keys`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Insights {
    /// All keys, deleted included.
    pub total_keys: u64,
    /// Keys with status `active`.
    pub total_active: u64,
    /// Keys with status `deleted`.
    pub total_deleted: u64,
}

decode_object!(Insights, "key counts", {
    total_keys: lenient, total_active: lenient, total_deleted: lenient,
});

/// Life-cycle status of a key. Unknown values are kept as `Other`; an absent status, like
/// `null`, is `Other("")` (unknown), not a state the console acts on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyStatus {
    /// An operation (create or delete) is in flight.
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

impl Default for KeyStatus {
    fn default() -> Self {
        Self::Other(String::new())
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

/// An empty string as `null`: the contract's "string or null" for a field this type keeps as a
/// string.
fn empty_as_null<S: serde::Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    if v.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_str(v)
    }
}

/// One API key as listed; carries no secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApiKey {
    /// `apikey--…`; required.
    pub id: String,
    /// The API key a person sees, copies and types to confirm deletion; not secret.
    pub access_key: String,
    /// Creation time as sent (RFC 3339 or Go's format).
    pub created_at: String,
    /// Life-cycle status.
    pub status: KeyStatus,
    /// Who created it.
    pub created_by: Option<Creator>,
    /// Id of the application; empty for a key made without one, `null` on the wire (§5.1).
    #[serde(serialize_with = "empty_as_null")]
    pub application_id: String,
    /// The application, when expanded.
    pub application: Option<Ref>,
    /// Id of the Arx (the wire says cluster).
    pub cluster_id: String,
    /// The Arx, when expanded.
    pub cluster: Option<Ref>,
    /// Endpoint the SDKs call.
    pub arx_url: String,
    /// Per-key permissions (`delete`).
    pub acl: Acl,
    /// When the key was last used, if the platform says.
    pub last_used_at: Option<String>,
}

decode_object!(ApiKey, "an API key", {
    id: strict, access_key: lenient, created_at: lenient, status: strict, created_by: strict,
    application_id: lenient, application: strict, cluster_id: lenient, cluster: strict,
    arx_url: lenient, acl: lenient, last_used_at: strict,
});

impl ApiKey {
    /// What names the key to a person: its API key, else its id (the contract lets a key come
    /// without an API key, a failed one for instance, and it must still be named and deleted).
    pub fn access_key_or_id(&self) -> &str {
        if self.access_key.is_empty() {
            &self.id
        } else {
            &self.access_key
        }
    }

    /// Fills what this answer about the key left out (absent or null, as the contract allows)
    /// from `older`, a copy of the same key, so that a sparse answer to a delete or a poll does
    /// not blank what is known of it. The status and the permissions stay this answer's.
    pub fn fill_from(&mut self, older: &ApiKey) {
        fn text(field: &mut String, older: &str) {
            if field.is_empty() {
                older.clone_into(field);
            }
        }
        fn part<T: Clone>(field: &mut Option<T>, older: &Option<T>) {
            if field.is_none() {
                field.clone_from(older);
            }
        }
        text(&mut self.access_key, &older.access_key);
        text(&mut self.created_at, &older.created_at);
        text(&mut self.application_id, &older.application_id);
        text(&mut self.cluster_id, &older.cluster_id);
        text(&mut self.arx_url, &older.arx_url);
        part(&mut self.created_by, &older.created_by);
        part(&mut self.application, &older.application);
        part(&mut self.cluster, &older.cluster);
        part(&mut self.last_used_at, &older.last_used_at);
    }

    /// Its application's name for people, else the application id.
    pub fn application_name(&self) -> &str {
        name_or_id(self.application.as_ref(), &self.application_id)
    }

    /// Its Arx's name for people, else the Arx id.
    pub fn arx_name(&self) -> &str {
        name_or_id(self.cluster.as_ref(), &self.cluster_id)
    }

    /// Its creator's name for people; empty when unknown.
    pub fn creator_name(&self) -> &str {
        self.created_by
            .as_ref()
            .map(Creator::display_name)
            .unwrap_or("")
    }
}

fn name_or_id<'a>(named: Option<&'a Ref>, id: &'a str) -> &'a str {
    named
        .map(Ref::display_name)
        .filter(|n| !n.is_empty())
        .unwrap_or(id)
}

/// Who created a key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Creator {
    /// User id.
    pub id: String,
    /// Full name.
    pub full_name: String,
    /// Short name.
    pub name: String,
    /// E-mail address.
    pub email_address: String,
    /// Avatar URL; never loaded from the API text without care.
    pub avatar: String,
}

decode_object!(Creator, "a creator", {
    id: lenient, full_name: lenient, name: lenient, email_address: lenient, avatar: lenient,
});

impl Creator {
    /// The best name to show.
    pub fn display_name(&self) -> &str {
        first_filled([&self.full_name, &self.name, &self.email_address, &self.id])
    }
}

/// A short reference `{id, name, label}` to an application or Arx.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ref {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Label for display.
    pub label: String,
}

decode_object!(Ref, "a reference", { id: lenient, name: lenient, label: lenient });

impl Ref {
    /// Label, else name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.label, &self.name, &self.id])
    }
}

/// An `{id, name}` pair used for enumerations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Name for display.
    pub name: String,
}

decode_object!(Named, "an id and a name", { id: lenient, name: lenient });

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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Models {
    /// Applications; empty on the newer platform revision.
    pub applications: Vec<Application>,
    /// Arx (encryption clusters).
    pub clusters: Vec<Arx>,
}

decode_object!(Models, "applications and Arx", { applications: lenient, clusters: lenient });

impl Models {
    /// Keeps the first application and the first Arx of each id. A choice is known by its id (in
    /// the address, as its radio button's element id), so a repeated one could not be told
    /// apart: its label would choose the other, and the wizard's keyed list would leave one
    /// behind when the offer changes.
    pub fn without_repeats(mut self) -> Self {
        fn first_of_each<T>(items: &mut Vec<T>, id: fn(&T) -> &str) {
            let mut kept = std::collections::BTreeSet::new();
            items.retain(|item| kept.insert(id(item).to_owned()));
        }
        first_of_each(&mut self.applications, |a| &a.id);
        first_of_each(&mut self.clusters, |a| &a.id);
        self
    }
}

/// `data` of `GET /keys/base`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BaseInfo {
    /// Collection permissions (`add`).
    pub acl: Acl,
    /// What a new key may use.
    pub model: Models,
}

decode_object!(BaseInfo, "what a new key may use", { acl: lenient, model: lenient });

/// An application that keys are issued to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Application {
    /// `app--…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Label for display.
    pub label: String,
    /// Server or client.
    pub application_technology: Technology,
}

decode_object!(Application, "an application", {
    id: lenient, name: lenient, label: lenient, application_technology: lenient,
});

impl Application {
    /// Label, else name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.label, &self.name, &self.id])
    }
}

/// Technology of an application.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Technology {
    /// `server` or `client`.
    pub id: String,
    /// Name for display.
    pub name: String,
    /// Longer description.
    pub description: String,
    /// Whether CORS applies.
    pub cors: bool,
    /// Icon name.
    pub icon: String,
    /// Sort order.
    pub order: i64,
    /// Whether it can be chosen.
    pub enable: bool,
    /// Whether it is the default.
    pub is_default: bool,
}

impl Technology {
    /// Name, else id.
    pub fn display_name(&self) -> &str {
        first_filled([&self.name, &self.id])
    }
}

decode_object!(Technology, "an application technology", {
    id: lenient, name: lenient, description: lenient, cors: lenient, icon: lenient, order: lenient,
    enable: lenient, is_default: lenient,
});

/// An Arx: Onqlave's encryption cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Arx {
    /// `arx--…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Label for display.
    pub label: String,
    /// development, testing, staging or production.
    pub purpose: Named,
    /// serverless or dedicated.
    pub plan: Named,
    /// gcp, aws or azure.
    pub provider: Named,
    /// Regions it runs in.
    pub regions: Vec<Named>,
    /// Encryption method.
    pub encryption: Named,
    /// Key rotation cycle.
    pub rotation_cycle: Named,
    /// Who created it.
    pub created_by: Option<Creator>,
}

decode_object!(Arx, "an Arx", {
    id: lenient, name: lenient, label: lenient, purpose: lenient, plan: lenient, provider: lenient,
    regions: lenient, encryption: lenient, rotation_cycle: lenient, created_by: strict,
});

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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SensitiveData {
    /// Key id.
    pub id: String,
    /// The visible API key.
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
    pub arx_url: String,
    /// When the secrets were handed out.
    pub provided_at: String,
}

// Only the secrets are read strictly: the platform forgets them once sent, so a field of
// another type beside them (a date as a number, say) must not cost them. The public fields are
// the key's too, which the key step takes where these are empty.
decode_object!(SensitiveData, "the key's secrets", {
    id: text_or_skip, access_key: text_or_skip, status: status_or_skip, client_key: strict,
    server_signing_key: strict, server_crypto_access_key: strict, arx_url: text_or_skip,
    provided_at: text_or_skip,
});

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Contract §2: any field may be absent or null unless marked required, and only the key's
    /// id is. One application or Arx without an id must not fail the whole list, and a status
    /// that is absent reads as one that is null: unknown, not pending.
    #[test]
    fn only_the_keys_id_is_required() {
        let list: ApiKeys = serde_json::from_str(
            r#"{"api_keys":[{"id":"apikey--a"}],"model":{
                "applications":[{"id":null,"name":"no id"},{"name":"absent id"}],
                "clusters":[{"id":null,"name":"no id"}]}}"#,
        )
        .unwrap();
        assert_eq!(list.model.applications.len(), 2);
        assert_eq!(list.model.applications[0].id, "");
        assert_eq!(list.model.clusters[0].name, "no id");
        assert_eq!(list.api_keys[0].status, KeyStatus::Other(String::new()));
        let secrets: SensitiveData =
            serde_json::from_str(r#"{"id":null,"access_key":"onq.A"}"#).unwrap();
        assert_eq!(secrets.access_key, "onq.A");
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
    fn each_choice_is_offered_once_the_first_of_its_id() {
        let base: BaseInfo = serde_json::from_str(
            r#"{"model":{
                "applications":[{"id":"app--a","name":"first"},{"id":"app--b"},{"id":"app--a","name":"second"}],
                "clusters":[{"id":"arx--x"},{"id":"arx--x"},{"id":"arx--y"}]}}"#,
        )
        .unwrap();
        let model = base.model.without_repeats();
        let ids = |ids: Vec<&str>| ids.join(" ");
        assert_eq!(
            ids(model.applications.iter().map(|a| a.id.as_str()).collect()),
            "app--a app--b"
        );
        assert_eq!(model.applications[0].name, "first");
        assert_eq!(
            ids(model.clusters.iter().map(|a| a.id.as_str()).collect()),
            "arx--x arx--y"
        );
    }
}
