//! A relative time with its exact time for everyone: the mouse, the keyboard, a screen reader.

use leptos::prelude::*;

use crate::time::Shown;

/// "3 hours ago" and the exact time with its UTC offset. In a table (`exact` false) the exact
/// time is the browser's own tooltip, and the text a screen reader gets is both, said once: a
/// line has no tab stops for its times and no tooltip of ours that would need dismissing. On a
/// key's page (`exact` true) both are shown. A time that cannot be read is shown as sent, once.
///
/// The texts update in place; only a change between readable and not rebuilds the markup (the
/// table's lines show another key on every keystroke of a search).
#[component]
pub fn TimeText(
    #[prop(into)] shown: Signal<Shown>,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let readable = Memo::new(move |_| shown.with(|s| s.ms.is_some()));
    let relative = move || shown.with(|s| s.relative.clone());
    let full = move || shown.with(|s| s.exact.clone());
    move || match (readable.get(), exact) {
        (false, _) => view! { <span class="time-text">{relative}</span> }.into_any(),
        (true, true) => view! {
            <span class="time-text">{relative}<span class="time-exact">", "{full}</span></span>
        }
        .into_any(),
        (true, false) => view! {
            <span class="time-text">
                <span class="time-tip" aria-hidden="true" title=full>{relative}</span>
                <span class="visually-hidden">{move || format!("{}, {}", relative(), full())}</span>
            </span>
        }
        .into_any(),
    }
}
