//! Tells the console's other tabs that a key was created or deleted, so they refresh. The
//! message carries only the event and the key id, never a secret.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

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
    if let (Ok(ch), Ok(text)) = (
        web_sys::BroadcastChannel::new(CHANNEL),
        serde_json::to_string(&msg),
    ) {
        let _ = ch.post_message(&text.into());
        ch.close();
    }
}

/// Calls `on_event` for every event from another tab while the calling view lives.
pub fn use_key_events(on_event: impl Fn(KeyEvent) + 'static) {
    let Ok(ch) = web_sys::BroadcastChannel::new(CHANNEL) else {
        return;
    };
    let closure = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Some(ev) = e
            .data()
            .as_string()
            .and_then(|t| serde_json::from_str::<KeyEvent>(&t).ok())
        {
            on_event(ev);
        }
    });
    ch.set_onmessage(Some(closure.as_ref().unchecked_ref()));
    let holder = send_wrapper::SendWrapper::new((ch, closure));
    on_cleanup(move || {
        let (ch, _closure) = holder.take();
        ch.set_onmessage(None);
        ch.close();
    });
}
