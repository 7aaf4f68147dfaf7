//! "Try again": busy, not disabled, while its retry is out (a disabled button under the focus
//! drops it to the page's start), and, in [`AnnouncedRetryButton`], a retry that fails again
//! said in words.
//!
//! Two components rather than one with an optional part: the error panel of the first view says
//! a failure again its own way (its alert emptied and filled again), with the plain button and
//! [`on_pressed_retry_end`]; the announcer would be in the first load all the same.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::announcer::use_announcer;

/// A retry button. While `busy`, it says "Trying again…" and a press does nothing. Once its
/// view is replaced by what the retry brought, the focus follows (`focus::follow_replacement`).
#[component]
pub fn RetryButton(
    /// Whether the retry is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// Sends the retry.
    on_retry: Callback<()>,
    /// The button's classes.
    #[prop(default = "button")]
    class: &'static str,
) -> impl IntoView {
    view! {
        <button type="button" class=class aria-disabled=move || busy.get().to_string()
            aria-busy=move || busy.get().to_string()
            on:click=move |e| if !busy.get_untracked() {
                if let Some(button) = e.current_target().and_then(|t| t.dyn_into().ok()) {
                    crate::focus::follow_replacement(button);
                }
                on_retry.run(())
            }>
            {move || if busy.get() { "Trying again…" } else { "Try again" }}
        </button>
    }
}

/// A [`RetryButton`] for a failure that stays on screen: once a retry pressed here has ended,
/// `still_failing` is asked, and the words it gives are said by the announcer, since an alert
/// whose words do not change is not read out again.
#[component]
pub fn AnnouncedRetryButton(
    /// Whether the retry is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// Sends the retry.
    on_retry: Callback<()>,
    /// What to say when the retry failed as before; `None` when it did not.
    still_failing: Callback<(), Option<String>>,
    /// The button's classes.
    #[prop(default = "button")]
    class: &'static str,
) -> impl IntoView {
    let announce = use_announcer();
    let on_retry = on_pressed_retry_end(busy, on_retry, move || {
        if let Some(words) = still_failing.run(()) {
            announce.say(words);
        }
    });
    view! { <RetryButton busy on_retry class/> }
}

/// `retry`, noting that it was pressed here: once the retry it sent has ended (`busy` false
/// again), `then` runs, to say the outcome of a failure that stays on screen (whose unchanged
/// words are not read out again by themselves). Retries sent otherwise (by a timer) run nothing.
pub fn on_pressed_retry_end(
    busy: Signal<bool>,
    retry: Callback<()>,
    then: impl Fn() + 'static,
) -> Callback<()> {
    let pressed = StoredValue::new(false);
    Effect::new(move |was_busy: Option<bool>| {
        let now = busy.get();
        if was_busy == Some(true) && !now && pressed.get_value() {
            pressed.set_value(false);
            then();
        }
        now
    });
    Callback::new(move |()| {
        pressed.set_value(true);
        retry.run(())
    })
}
