//! The address of every page, built in one place.

use platform_types::ids::{is_id, API_KEY};

use crate::url::{query, segment};

/// The dashboard.
pub const DASHBOARD: &str = "/";
/// The first step of the create wizard.
pub const NEW_KEY: &str = "/keys/new/application";

/// The dashboard showing the view in `pairs` (its URL query).
pub fn dashboard(pairs: &[(&str, String)]) -> String {
    format!("{DASHBOARD}{}", query(pairs))
}

/// A key's own page. `None` for an id without the platform's form, which no encoding would
/// keep from naming another page (`new` is the wizard's, `..` the parent's): a link without an
/// address.
pub fn key(id: &str) -> Option<String> {
    is_id(id, API_KEY).then(|| format!("/keys/{id}"))
}

/// The delete dialog over the dashboard; `search` is the dashboard's query to come back to
/// (`?…` or empty). `None` as for [`key`].
pub fn delete_key(id: &str, search: &str) -> Option<String> {
    is_id(id, API_KEY).then(|| format!("/keys/{id}/delete{search}"))
}

/// The history state of a dialog opened by a link of the page under it (given as the link's
/// `router::HISTORY_STATE`): closing it without acting goes back to that page's entry, so that
/// Back does not bring the dialog again.
pub const OPENED_HERE: &str = "opened-here";

/// As [`OPENED_HERE`], for the delete dialog opened by a line of the list: after a delete too,
/// it goes back to the list's entry (the key's page, the other opener, shows a deleted key).
pub const OPENED_FROM_LIST: &str = "opened-from-list";

/// The history state of the dashboard opened by a page's own way back to it ("← API keys"): the
/// person comes back to their place in the list, as by Back.
pub const WAY_BACK: &str = "way-back";

/// A step of the create wizard (`application`, `arx`, `summary`, `key`) with the choices in
/// `pairs`.
pub fn wizard_step(slug: &str, pairs: &[(&str, String)]) -> String {
    format!("/keys/new/{slug}{}", query(pairs))
}

/// Step 4 of the create wizard for the key `id`, created just before. The id (not secret) is
/// in the address so that a reload, or a sign-in on the way, comes back to a step that can
/// still ask for secrets nobody has received.
pub fn key_step(id: &str) -> String {
    wizard_step("key", &[("key", id.to_owned())])
}

/// The sign-in page, coming back to `return_to` (a path checked by the session) afterwards.
pub fn sign_in(return_to: Option<&str>) -> String {
    match return_to {
        Some(path) => format!("/sign-in?return_to={}", segment(path)),
        None => "/sign-in".to_owned(),
    }
}
