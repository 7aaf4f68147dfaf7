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
    let msg = KeyEvent {
        event: event.into(),
        id: id.into(),
    };
    if let Ok(text) = serde_json::to_string(&msg) {
        channel::post(CHANNEL, &text);
    }
}

/// Calls `on_event` for every event from another tab while the calling view lives.
pub fn use_key_events(on_event: impl Fn(KeyEvent) + 'static) {
    channel::listen(CHANNEL, move |text| {
        if let Ok(ev) = serde_json::from_str::<KeyEvent>(&text) {
            on_event(ev);
        }
    });
}
