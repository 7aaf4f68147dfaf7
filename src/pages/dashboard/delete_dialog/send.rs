//! Sending the delete, and telling its outcome: in the dialog, or by the page's announcer once
//! the dialog has gone.

use leptos::prelude::*;
use platform_types::{ApiKey, KeyStatus};

use crate::api::{ApiClient, ApiError};
use crate::components::load::Loaded;
use crate::key_events::{broadcast_key_event, DeletedHere};
use crate::pages::dashboard::kept::Person;
use crate::pages::dashboard::use_keys::UseKeys;

/// What a delete's outcome changes: the list under the dialog (if the dashboard is there), the
/// dialog's error and busy state, its read of the key, and its close after a delete.
#[derive(Clone)]
pub(super) struct Outcome {
    pub keys: Option<UseKeys>,
    /// The app's record of the keys it deleted, and who asked for this delete.
    pub deleted_here: Option<(DeletedHere, String)>,
    /// Who asked for it, and in which tenant: a list kept for anyone else is not theirs to change.
    pub asker: Option<Person>,
    pub error: RwSignal<Option<ApiError>>,
    pub pending: RwSignal<bool>,
    pub fresh: Loaded<Result<ApiKey, ApiError>>,
    pub finish: Callback<()>,
}

impl Outcome {
    /// Deletes `target` and tells how it went; `announce` speaks to the person who asked only.
    pub async fn send(self, client: ApiClient, target: ApiKey, announce: impl Fn(String)) {
        let Self {
            keys,
            deleted_here,
            asker,
            error,
            pending,
            fresh,
            finish,
        } = self;
        match client.delete_key(&target.id).await {
            Ok(mut updated) => {
                // Without a status, it is what a delete makes a key (contract §5).
                if updated.status == KeyStatus::Other(String::new()) {
                    updated.status = KeyStatus::Pending;
                }
                if let Some((record, asker)) = &deleted_here {
                    record.note(asker, &target.id);
                }
                if let Some(k) = keys {
                    // An answer about another key is not this delete's: the list is
                    // read again instead.
                    if updated.id == target.id {
                        k.apply(updated, asker.as_ref());
                    } else {
                        k.reload();
                    }
                }
                done(&target, announce, "is being deleted");
                // Not `run`: the person may have closed the dialog while it deleted.
                finish.try_run(());
            }
            // Gone meanwhile (deleted and purged, or never this tenant's to see).
            Err(ApiError::NotFound(_)) => {
                if let Some(k) = keys {
                    k.reload();
                }
                done(&target, announce, "no longer exists");
                finish.try_run(());
            }
            // Told in the dialog; if it has gone meanwhile (Back), by the page's
            // announcer, so that nobody is left believing the key was deleted. A
            // delete whose answer never came (or could not be read) may have been
            // done, and so may one cancelled when its session ended while it was
            // out: the list is read again, and neither is claimed. A refusal reads
            // the key and the list again: if this person may no longer delete it, the
            // dialog says so in place of the form.
            Err(e) => {
                let unknown =
                    e.is_unanswered() || matches!(e, ApiError::Decode(_) | ApiError::Cancelled);
                let refused = matches!(e, ApiError::Forbidden(_));
                if let Some(k) = keys.filter(|_| unknown || refused) {
                    k.reload();
                }
                match error.try_set(Some(e)) {
                    Some(Some(e)) => {
                        let outcome = if unknown {
                            "may not have been deleted"
                        } else {
                            "was not deleted"
                        };
                        announce(format!(
                            "API key {} {outcome}: {}",
                            target.access_key_or_id(),
                            e.user_message()
                        ));
                    }
                    _ if refused => fresh.refetch(),
                    _ => {}
                }
                pending.try_set(false);
            }
        }
    }
}

fn done(key: &ApiKey, announce: impl Fn(String), what: &str) {
    broadcast_key_event("deleted", &key.id);
    announce(format!("API key {} {what}", key.access_key_or_id()));
}
