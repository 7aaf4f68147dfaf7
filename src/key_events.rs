//! Tells the console's other tabs that a key was created or deleted, so they refresh. The
//! message carries only the event and the key id, never a secret.

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

/// Tells the other tabs and this one: for news the page that made it could not apply itself
/// (it had gone by the time the answer came).
pub fn broadcast_key_event_here_too(event: &str, id: &str) {
    if let Some(text) = message(event, id) {
        channel::post_to_all(CHANNEL, &text);
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
