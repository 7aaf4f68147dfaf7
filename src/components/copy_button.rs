//! A copy-to-clipboard button whose feedback is honest: "Copied" only when the write succeeded.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped;

use crate::components::announcer::Announce;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// Writes `text` to the clipboard on click (never otherwise).
#[component]
pub fn CopyButton(
    /// What to copy; read only when clicked.
    #[prop(into)]
    text: Signal<String>,
    /// Accessible name, e.g. "Copy API key".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let announce = use_context::<Announce>();
    let generation = StoredValue::new(0u32);
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local_scoped(async move {
            let ok = write_clipboard(&value).await;
            state.try_set(if ok {
                CopyState::Copied
            } else {
                CopyState::Failed
            });
            if let Some(a) = announce {
                a.say(if ok {
                    "Copied to the clipboard"
                } else {
                    "Copy failed: select the text and copy it by hand"
                });
            }
            let this = generation.try_update_value(|g| {
                *g += 1;
                *g
            });
            crate::api::sleep_ms(2_000).await;
            if generation.try_get_value() == this {
                state.try_set(CopyState::Idle);
            }
        });
    };
    let aria = label.clone();
    view! {
        <button type="button" class="copy-button"
            class:copied=move || state.get() == CopyState::Copied
            class:failed=move || state.get() == CopyState::Failed
            aria-label=aria
            title=label
            on:click=copy>
            {move || match state.get() {
                CopyState::Idle => "Copy",
                CopyState::Copied => "Copied",
                CopyState::Failed => "Copy failed",
            }}
        </button>
    }
}

/// Writes to the clipboard; `false` when the browser refused (no permission, insecure context).
pub async fn write_clipboard(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}
