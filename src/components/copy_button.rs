//! A copy-to-clipboard button whose feedback is honest: "Copied" only when the write succeeded.

use std::cell::Cell;
use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::announcer::Announce;

/// How often a shown outcome checks that the button still stands for the same value.
const CHECK_MS: u32 = 50;

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
/// its outcome to the button itself, which only this handler ever changes; while it shows, the
/// handler's task checks that `text` still holds the value it was for. (A button that reset
/// itself through a node ref and an effect was found, by the memory benchmark, to outlive
/// its page.)
#[component]
pub fn CopyButton(
    /// What to copy; read only when clicked.
    #[prop(into)]
    text: Signal<String>,
    /// Accessible name, e.g. "Copy API key"; may follow the value (a reused table line).
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let announce = use_context::<Announce>();
    let generation = Rc::new(Cell::new(0u32));
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
            // Back to "Copy" after 2 s, or as soon as the button stands for another value (a
            // table line reused for another key): an outcome is only ever shown beside its value.
            for _ in 0..(2_000 / CHECK_MS) {
                crate::api::sleep_ms(CHECK_MS).await;
                if generation.get() != this || text.try_get_untracked().as_ref() != Some(&value) {
                    break;
                }
            }
            if generation.get() == this {
                CopyState::Idle.show_on(&button);
            }
        });
    };
    view! {
        <button type="button" class="copy-button" aria-label=label title=label on:click=copy>
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
