//! One tab at a time: a browser-wide lock (Web Locks) around work that other tabs of the console
//! must not do at the same moment.
//!
//! The session refresh needs it. The tabs share one refresh cookie, and each refresh rotates it;
//! the platform takes a cookie presented again only once, within a short grace window (contract
//! §3), and a third presentation ends the whole sign-in as a stolen cookie. Three tabs restored
//! together (a browser restart) would present it three times. Taken in turn, each refresh sends
//! the cookie the one before it set. `index.html`'s head start takes the same lock.
//!
//! Web Locks is reached through `js_sys::Reflect`: web-sys has it behind its unstable APIs. A
//! page without it (plain `http` from another machine, an old browser) runs the work at once.

use std::future::Future;

use futures::channel::oneshot;
use futures::future::{select, Either};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Runs `work` while holding the lock `name`, waiting for any other tab (or task) holding it
/// first. The lock is let go when `work` ends or is dropped. The work must end by itself: every
/// refresh does, at its request deadline (the head start's too), so that a refresh that never
/// answers holds the others up only that long. Going on without the lock after a wait of our
/// own would present a cookie the holder may be rotating at that moment.
pub async fn one_tab_at_a_time<T>(name: &str, work: impl Future<Output = T>) -> T {
    let held = match acquire(name) {
        Some(acquired) => acquired.await,
        None => None,
    };
    let out = work.await;
    drop(held);
    out
}

/// Lets the lock go when dropped.
struct Held(Function);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::UNDEFINED);
    }
}

/// Asks for the lock; the future gives the handle that holds it, or `None` when the request
/// failed (the work then runs without it).
fn acquire(name: &str) -> Option<impl Future<Output = Option<Held>>> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into())
        .ok()
        .filter(|l| l.is_object())?;
    let request: Function = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    // The lock is held until the promise its callback returns settles: this one, settled by
    // `Held`.
    let mut release = None;
    let hold = Promise::new(&mut |resolve, _| release = Some(resolve));
    let release = release?;
    let (granted, on_grant) = oneshot::channel::<()>();
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        let _ = granted.send(());
        hold
    });
    let asked = request
        .call2(&locks, &JsValue::from_str(name), &callback)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let answered = JsFuture::from(asked);
    // Made now: dropped unused (the work dropped while it waits, or refused), it lets go of a
    // lock granted later at once.
    let held = Held(release);
    Some(async move {
        // Granted, or refused before (the request's promise rejects and the callback never
        // runs): then without the lock.
        match select(on_grant, answered).await {
            Either::Left((Ok(()), _)) => Some(held),
            _ => None,
        }
    })
}
