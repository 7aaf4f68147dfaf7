//! The paths of the platform routes the console calls, written once: the client builds its
//! requests from them, and the release build writes them into `index.html`'s head start
//! (`scripts/bundle.mjs` reads this file), so both ask for the same addresses (and take the
//! same lock).

/// The runtime configuration, beside `index.html`.
pub const CONFIG: &str = "config.json";
/// Sign in (under `auth_base_url`).
pub const LOGIN: &str = "/auth/login";
/// A new access token from the refresh cookie (under `auth_base_url`).
pub const REFRESH: &str = "/auth/refresh";
/// The browser-wide lock every refresh is sent under, in the app and in the head start
/// (`crate::tab_lock`).
pub const REFRESH_LOCK: &str = "onqlave-console-refresh";
/// Sign out (under `auth_base_url`).
pub const LOGOUT: &str = "/auth/logout";
/// The keys of a tenant (under `api_base_url`); `{tenant}` is the tenant id, which has the
/// platform's form (`platform_types::ids`) and so needs no encoding.
pub const KEYS: &str = "/tenants/{tenant}/keys";
