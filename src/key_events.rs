//! Tells the console's other tabs that a key was created or deleted, so they refresh. The
//! message carries only the event and the key id, never a secret.

use std::cell::Cell;

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use crate::channel;

const CHANNEL: &str = "onqlave-console-keys";

/// What happened to a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvent {
    /// `created` or `deleted`.
    pub event: String,
    /// The key id.
    pub id: String,
}

/// Tells the other tabs.
pub fn broadcast_key_event(event: &str, id: &str) {
    if let Some(text) = message(event, id) {
        channel::post(CHANNEL, &text);
    }
}

thread_local! {
    /// How many events this tab has told itself.
    static TOLD_HERE: Cell<u32> = const { Cell::new(0) };
}

/// Tells the other tabs and this one: for news the page that made it could not apply itself
/// (it had gone by the time the answer came).
pub fn broadcast_key_event_here_too(event: &str, id: &str) {
    TOLD_HERE.with(|n| n.set(n.get().wrapping_add(1)));
    if let Some(text) = message(event, id) {
        channel::post_to_all(CHANNEL, &text);
    }
}

/// How many events this tab has told itself so far. A page that listens only from some moment
/// on (the dashboard, once its tools are here) compares it with the count when it read its
/// data, so that news told before it listened is not lost.
pub fn told_here() -> u32 {
    TOLD_HERE.with(Cell::get)
}

/// How many deletes this tab remembers: far more than a person makes in one sitting.
const DELETES_KEPT: usize = 64;

/// The keys whose delete this app sent and the platform accepted, by whom, newest last:
/// "Deleting…" on every page while they are pending, where a key being set up (or one deleted
/// elsewhere) is "Pending". Ids only, in memory; each person sees only their own deletes (one
/// answered after its asker's session ended is theirs still), and the record is emptied when
/// the person signs out.
#[derive(Clone, Copy)]
pub struct DeletedHere {
    /// (person, key) pairs.
    deletes: StoredValue<Vec<(String, String)>>,
    session: crate::session::Session,
}

/// Starts the record; call once near the root.
pub fn provide_deleted_here(session: crate::session::Session) {
    let record = DeletedHere {
        deletes: StoredValue::new(Vec::new()),
        session,
    };
    Effect::new(move |_| {
        if session.left() {
            record.deletes.try_update_value(Vec::clear);
        }
    });
    provide_context(record);
}

/// The record, when the app has one.
pub fn use_deleted_here() -> Option<DeletedHere> {
    use_context()
}

impl DeletedHere {
    /// Notes that the platform accepted `user`'s delete of the key `id`.
    pub fn note(&self, user: &str, id: &str) {
        self.deletes.try_update_value(|deletes| {
            deletes.retain(|(_, k)| k != id);
            if deletes.len() == DELETES_KEPT {
                deletes.remove(0);
            }
            deletes.push((user.to_owned(), id.to_owned()));
        });
    }

    /// Whether the key `id` is pending because the person signed in deleted it here.
    pub fn deleting(&self, id: &str, status: &platform_types::KeyStatus) -> bool {
        if *status != platform_types::KeyStatus::Pending {
            return false;
        }
        let Some(me) = self.session.user_id_untracked() else {
            return false;
        };
        self.deletes
            .try_with_value(|d| d.iter().any(|(u, k)| *u == me && k == id))
            .unwrap_or(false)
    }
}

fn message(event: &str, id: &str) -> Option<String> {
    serde_json::to_string(&KeyEvent {
        event: event.into(),
        id: id.into(),
    })
    .ok()
}

/// Calls `on_event` for every event from another tab while the calling view lives.
pub fn use_key_events(on_event: impl Fn(KeyEvent) + 'static) {
    channel::listen(CHANNEL, move |text| {
        if let Ok(ev) = serde_json::from_str::<KeyEvent>(&text) {
            on_event(ev);
        }
    });
}
