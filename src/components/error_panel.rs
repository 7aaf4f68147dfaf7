//! An error with what happened, the reference to quote to support, and a way to retry.

use leptos::prelude::*;

use super::retry_button::{on_pressed_retry_end, RetryButton};
use crate::api::ApiError;

/// Shows `error` as a message for people; never as HTML.
///
/// A new failure in its place (the same request failing again, tried by itself) keeps the
/// panel, so the focus stays on its retry. The alert holds the heading and the words only: a
/// failure that differs only by its reference is not read out again, nor is one tried again
/// by itself every few seconds; a retry pressed here that fails says the words again.
#[component]
pub fn ErrorPanel(
    /// Heading of the panel.
    #[prop(into)]
    title: String,
    /// What went wrong.
    #[prop(into)]
    error: Signal<ApiError>,
    /// Called by the "Try again" button; without it there is no button.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
    /// While true, the retry is under way: the button says so and waits.
    #[prop(optional, into)]
    busy: Signal<bool>,
    /// A sentence after the message, e.g. what trying again does.
    #[prop(optional, into)]
    hint: Option<String>,
) -> impl IntoView {
    let words = Memo::new(move |_| error.with(ApiError::user_message));
    let correlation = move || error.with(|e| e.correlation_id().map(str::to_owned));
    // A retry pressed here that ends empties the alert and fills it again a frame later,
    // which has it read out again (words that stay are not).
    let shown = RwSignal::new(true);
    let on_retry = on_retry.map(|retry| {
        on_pressed_retry_end(busy, retry, move || {
            shown.set(false);
            request_animation_frame(move || {
                shown.try_set(true);
            });
        })
    });
    // Replaced while the focus is in it (the retry's, a read that came by itself at last): the
    // focus goes on to what follows, not to the document's start.
    let panel = NodeRef::<leptos::html::Section>::new();
    // Not when it goes with its page (Back, a link): the arrival moves the focus then.
    let path = || window().location().pathname().ok();
    let built_on = path();
    on_cleanup(move || {
        if path() != built_on {
            return;
        }
        let active = document().active_element();
        let inside = panel
            .try_get_untracked()
            .flatten()
            .zip(active.clone())
            .is_some_and(|(p, a)| p.contains(Some(&a)));
        if let Some(active) = active.filter(|_| inside) {
            crate::focus::follow_replacement(active);
        }
    });
    view! {
        <section class="panel error-panel" node_ref=panel>
            <div role="alert">
                {move || shown.get().then(|| view! { <h2>{title.clone()}</h2><p>{words.get()}</p> })}
            </div>
            {move || correlation().map(|id| view! {
                <p class="muted">"Reference for support: " <code class="mono">{id}</code></p>
            })}
            {hint.map(|h| view! { <p>{h}</p> })}
            {on_retry.map(|on_retry| view! { <RetryButton busy on_retry/> })}
        </section>
    }
}
