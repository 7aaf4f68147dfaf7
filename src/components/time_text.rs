//! A relative time with the exact time on hover and keyboard focus.

use leptos::prelude::*;

use crate::time::Shown;

/// "3 hours ago", with the exact time (and its UTC offset) as a tooltip.
#[component]
pub fn TimeText(#[prop(into)] shown: Signal<Shown>) -> impl IntoView {
    let exact = move || shown.with(|s| s.exact.clone());
    view! {
        <span class="time-text" tabindex="0" title=exact>
            {move || shown.with(|s| s.relative.clone())}
            <span class="tip" role="tooltip">{exact}</span>
        </span>
    }
}
