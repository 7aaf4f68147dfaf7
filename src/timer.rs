//! Waiting on the browser's clock from async code.

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Returns once the page is shown: at once when it is, else when it is shown again. What polls
/// by itself (a key being set up) asks nothing while nobody can see the answer: a tab left in
/// the background overnight would spend the tenant's rate limit, and its 429s would slow the
/// tab the person is using.
pub async fn while_hidden() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if !document.hidden() {
        return;
    }
    // The next change of a hidden page is to shown; the listener goes once it has fired.
    let shown = js_sys::Promise::new(&mut |resolve, _| {
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = document.add_event_listener_with_callback_and_add_event_listener_options(
            "visibilitychange",
            &resolve,
            &once,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(shown).await;
}

/// `future`'s output, or `None` when it has not finished in `ms` milliseconds (it is dropped).
pub async fn within<T>(ms: u32, future: impl std::future::Future<Output = T>) -> Option<T> {
    use futures::future::{select, Either};
    match select(std::pin::pin!(future), std::pin::pin!(sleep_ms(ms))).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

/// How often relative times ("5 minutes ago") are measured again.
const MINUTE_MS: u32 = 60_000;

/// Calls `each` once a minute for as long as the calling owner lives, so that the relative
/// times it shows move on.
pub fn every_minute(each: impl Fn() + 'static) {
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        loop {
            sleep_ms(MINUTE_MS).await;
            each();
        }
    });
}
