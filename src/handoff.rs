//! What `index.html` starts while the wasm is still downloading (its inline script sets
//! `window.__consoleBoot`): the request for `config.json`, the session refresh (`POST /auth/refresh`) at this
//! origin's default path, and, on the dashboard, the key list. The
//! app takes each once; when one is missing (the browser tests, another host page), failed, or is
//! for another address, the app asks itself.

use wasm_bindgen::{JsCast, JsValue};

const GLOBAL: &str = "__consoleBoot";

/// Removes `name` from the hand-off object and returns it, if it was set.
fn take(name: &str) -> Option<JsValue> {
    let boot = js_sys::Reflect::get(&js_sys::global(), &GLOBAL.into())
        .ok()
        .filter(JsValue::is_object)?;
    let value = js_sys::Reflect::get(&boot, &name.into()).ok()?;
    let _ = js_sys::Reflect::delete_property(boot.unchecked_ref::<js_sys::Object>(), &name.into());
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// The response `name` that the page's script asked for. `None` when there is none, or when
/// its request failed or it was not sent (the caller then sends its own); the script's own
/// choice not to send it resolves to `null`.
pub async fn response(name: &str) -> Option<web_sys::Response> {
    let promise: js_sys::Promise = take(name)?.dyn_into().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()
}
