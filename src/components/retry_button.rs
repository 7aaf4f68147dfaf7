//! "Try again": busy, not disabled, while its retry is out (a disabled button under the focus
//! drops it to the page's start), and a retry that fails again said in words.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::announcer::use_announcer;

/// A retry button. While `busy`, it says "Trying again…" and a press does nothing. Once its
/// view is replaced by what the retry brought, the focus follows (`focus::follow_replacement`).
/// `still_failing`: asked when a retry pressed here has ended; the words it gives are said by
/// the announcer, since an alert whose words do not change is not read out again.
#[component]
pub fn RetryButton(
    /// Whether the retry is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// Sends the retry.
    on_retry: Callback<()>,
    /// What to say when the retry failed as before; `None` when it did not.
    #[prop(optional)]
    still_failing: Option<Callback<(), Option<String>>>,
    /// The button's classes.
    #[prop(default = "button")]
    class: &'static str,
) -> impl IntoView {
    let pressed = RwSignal::new(false);
    if let Some(still_failing) = still_failing {
        let announce = use_announcer();
        Effect::new(move |was_busy: Option<bool>| {
            let now = busy.get();
            if was_busy == Some(true) && !now && pressed.get_untracked() {
                pressed.set(false);
                if let Some(words) = still_failing.run(()) {
                    announce.say(words);
                }
            }
            now
        });
    }
    view! {
        <button type="button" class=class aria-disabled=move || busy.get().to_string()
            aria-busy=move || busy.get().to_string()
            on:click=move |e| if !busy.get_untracked() {
                if let Some(button) = e.current_target().and_then(|t| t.dyn_into().ok()) {
                    crate::focus::follow_replacement(button);
                }
                pressed.set(true);
                on_retry.run(())
            }>
            {move || if busy.get() { "Trying again…" } else { "Try again" }}
        </button>
    }
}
