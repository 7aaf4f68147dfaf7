//! Messages between the console's tabs over a BroadcastChannel (text only; never a secret).
//!
//! A tab posts and listens through one channel object per name: a BroadcastChannel delivers a
//! message to every other object of that name, so a tab that posted through a second object
//! would hear (and act on) its own message.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

thread_local! {
    // Two names in all (the session's and the keys'): a list, not a map.
    static CHANNELS: RefCell<Vec<(&'static str, web_sys::BroadcastChannel)>> =
        const { RefCell::new(Vec::new()) };
}

fn channel(name: &'static str) -> Option<web_sys::BroadcastChannel> {
    CHANNELS.with(|c| {
        let mut channels = c.borrow_mut();
        if let Some((_, ch)) = channels.iter().find(|(n, _)| *n == name) {
            return Some(ch.clone());
        }
        let ch = web_sys::BroadcastChannel::new(name).ok()?;
        channels.push((name, ch.clone()));
        Some(ch)
    })
}

/// Posts `message` to the other tabs listening on `name`.
pub fn post(name: &'static str, message: &str) {
    if let Some(ch) = channel(name) {
        let _ = ch.post_message(&message.into());
    }
}

/// Posts `message` to every listener on `name`, this tab's too, through a channel object of
/// its own (see the module's note).
pub fn post_to_all(name: &'static str, message: &str) {
    if let Ok(ch) = web_sys::BroadcastChannel::new(name) {
        let _ = ch.post_message(&message.into());
        ch.close();
    }
}

/// Calls `on_message` with each text message from another tab on `name` while the calling
/// owner lives.
pub fn listen(name: &'static str, on_message: impl Fn(String) + 'static) {
    let Some(ch) = channel(name) else {
        return;
    };
    let closure = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Some(text) = e.data().as_string() {
            on_message(text);
        }
    });
    let _ = ch.add_event_listener_with_callback("message", closure.as_ref().unchecked_ref());
    let holder = send_wrapper::SendWrapper::new((ch, closure));
    on_cleanup(move || {
        let (ch, closure) = holder.take();
        let _ = ch.remove_event_listener_with_callback("message", closure.as_ref().unchecked_ref());
    });
}
