//! A relative time with its exact time for everyone: the mouse, the keyboard, a screen reader.

use leptos::prelude::*;

use crate::time::Shown;

/// "3 hours ago" and the exact time with its UTC offset. In a table (`exact` false) the exact
/// time is the browser's own tooltip and text for screen readers, so a line adds no tab stops
/// and no tooltip of ours that would need dismissing; on a key's page (`exact` true) it is shown.
#[component]
pub fn TimeText(
    #[prop(into)] shown: Signal<Shown>,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let exact_text = move || shown.with(|s| s.exact.clone());
    view! {
        <span class="time-text" title=move || (!exact).then(exact_text)>
            {move || shown.with(|s| s.relative.clone())}
            <span class=if exact { "time-exact" } else { "visually-hidden" }>
                {move || format!(", {}", exact_text())}
            </span>
        </span>
    }
}
