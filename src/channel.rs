//! Messages between the console's tabs over a BroadcastChannel (text only; never a secret).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Posts `message` to the other tabs listening on `channel`.
pub fn post(channel: &str, message: &str) {
    if let Ok(ch) = web_sys::BroadcastChannel::new(channel) {
        let _ = ch.post_message(&message.into());
        ch.close();
    }
}

/// Calls `on_message` with each text message on `channel` while the calling owner lives.
pub fn listen(channel: &str, on_message: impl Fn(String) + 'static) {
    let Ok(ch) = web_sys::BroadcastChannel::new(channel) else {
        return;
    };
    let closure = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Some(text) = e.data().as_string() {
            on_message(text);
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
