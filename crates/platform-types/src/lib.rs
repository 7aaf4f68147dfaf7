//! Wire types of the Onqlave platform API, as fixed by `shared/platform-api.md`.
//!
//! Both the console and the dev platform use these definitions, so the contract has one source.
//! Decoding is lenient on purpose (contract §2): any field may be absent or `null` unless marked
//! required, arrays may be `null`, and unknown fields are ignored. Only ids are required.

mod acl;
mod auth;
mod de;
mod envelope;
pub mod ids;
mod keys;
mod roles;
mod secret;

pub use acl::Acl;
pub use auth::{jwt_claims_text, Claims, LoginRequest, Session, User};
pub use envelope::{status_keys, Envelope, ErrorBody, FieldError};
pub use keys::{
    ApiKey, ApiKeys, Application, Arx, BaseInfo, CreateApiKey, CreateApiKeyRequest, Creator,
    Insights, KeyStatus, Models, Named, Ref, SensitiveData, Technology,
};
pub use roles::{role_display_name, roles_may_manage_keys};
pub use secret::Secret;
