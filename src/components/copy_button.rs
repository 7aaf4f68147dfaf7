//! A copy-to-clipboard button whose feedback is honest: "Copied" only when the write succeeded.

use std::cell::Cell;
use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::announcer::Announce;

/// What the button says, and the class that colours it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

impl CopyState {
    fn text(self) -> &'static str {
        match self {
            Self::Idle => "Copy",
            Self::Copied => "Copied",
            Self::Failed => "Copy failed",
        }
    }

    fn show_on(self, button: &web_sys::HtmlElement) {
        button.set_text_content(Some(self.text()));
        let classes = button.class_list();
        let _ = classes.toggle_with_force("copied", self == Self::Copied);
        let _ = classes.toggle_with_force("failed", self == Self::Failed);
    }
}

/// Writes `text` to the clipboard on click (never otherwise).
///
/// The button holds no reactive state: a table shows one per row, and a signal plus three
/// effects per button made up most of the cost of rendering a page of rows. The click writes
/// its outcome to the button itself; when `text` changes (a table line now shows another key)
/// the button goes back to "Copy", so an outcome is never shown beside a value it was not for.
#[component]
pub fn CopyButton(
    /// What to copy; read only when clicked.
    #[prop(into)]
    text: Signal<String>,
    /// Accessible name, e.g. "Copy API key".
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let announce = use_context::<Announce>();
    let generation = Rc::new(Cell::new(0u32));
    let button_ref = NodeRef::<leptos::html::Button>::new();
    {
        let generation = generation.clone();
        Effect::new(move |seen: Option<()>| {
            text.track();
            if seen.is_some() {
                // Also outdates a pending reset of the old outcome.
                generation.set(generation.get().wrapping_add(1));
                if let Some(button) = button_ref.get_untracked() {
                    CopyState::Idle.show_on(&button);
                }
            }
        });
    }
    let copy = move |ev: ev::MouseEvent| {
        let Some(button) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let value = text.get_untracked();
        let generation = generation.clone();
        spawn_local(async move {
            let ok = write_clipboard(&value).await;
            let state = if ok {
                CopyState::Copied
            } else {
                CopyState::Failed
            };
            state.show_on(&button);
            if let Some(a) = announce {
                a.say(if ok {
                    "Copied to the clipboard"
                } else {
                    "Copy failed: select the text and copy it by hand"
                });
            }
            let this = generation.get().wrapping_add(1);
            generation.set(this);
            crate::api::sleep_ms(2_000).await;
            if generation.get() == this {
                CopyState::Idle.show_on(&button);
            }
        });
    };
    view! {
        <button type="button" class="copy-button" node_ref=button_ref
            aria-label=move || label.get() title=move || label.get() on:click=copy>
            {CopyState::Idle.text()}
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
