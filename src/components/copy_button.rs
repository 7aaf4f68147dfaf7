//! A copy-to-clipboard button whose feedback is honest: "Copied" only when the write succeeded.

use std::cell::Cell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::announcer::Announce;
use crate::timer::sleep_ms;

/// How often a shown outcome checks that the button still stands for the same value.
const CHECK_MS: u32 = 50;

/// What a copy button copies, read only when clicked and lent out as `&str`: the text is never
/// cloned, so a secret leaves no copy behind in freed memory.
#[derive(Clone)]
pub struct CopyText(Arc<Lend>);

/// Calls its argument with the text.
type Lend = dyn Fn(&mut dyn FnMut(&str)) + Send + Sync;

impl CopyText {
    /// Text lent by `lend`, which calls its argument with the text (once).
    pub fn lent(lend: impl Fn(&mut dyn FnMut(&str)) + Send + Sync + 'static) -> Self {
        Self(Arc::new(lend))
    }

    fn with<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        let mut f = Some(f);
        let mut out = None;
        (self.0)(&mut |s| out = f.take().map(|f| f(s)));
        out
    }
}

impl From<Signal<String>> for CopyText {
    fn from(text: Signal<String>) -> Self {
        Self::lent(move |f| {
            text.try_with_untracked(|s| f(s));
        })
    }
}

impl From<Memo<String>> for CopyText {
    fn from(text: Memo<String>) -> Self {
        Signal::from(text).into()
    }
}

impl From<String> for CopyText {
    fn from(text: String) -> Self {
        Self::lent(move |f| f(&text))
    }
}

/// What the button says, and the class that colours it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

impl CopyState {
    fn text(self, idle: &'static str) -> &'static str {
        match self {
            Self::Idle => idle,
            Self::Copied => "Copied",
            Self::Failed => "Copy failed",
        }
    }

    fn show_on(self, button: &web_sys::HtmlElement, idle: &'static str) {
        button.set_text_content(Some(self.text(idle)));
        let classes = button.class_list();
        let _ = classes.toggle_with_force("copied", self == Self::Copied);
        let _ = classes.toggle_with_force("failed", self == Self::Failed);
    }
}

/// Writes `text` to the clipboard on click (never otherwise).
///
/// The button holds no reactive state: a table shows one per row, and a signal plus effects per
/// button made up most of the cost of rendering a page of rows. The click writes its outcome to
/// the button itself, which only this handler ever changes; while it shows, the handler's task
/// checks that `text` still stands for what was copied (a table line reused for another key).
#[component]
pub fn CopyButton(
    /// What to copy; read only when clicked.
    #[prop(into)]
    text: CopyText,
    /// Accessible name, e.g. "Copy API key"; may follow the value (a reused table line).
    #[prop(into)]
    label: Signal<String>,
    /// What the button says before and after an outcome.
    #[prop(default = "Copy")]
    idle: &'static str,
    /// What is said when the browser refuses the copy: how to get the text another way.
    #[prop(default = "Copy failed: select the text and copy it by hand")]
    failed: &'static str,
    /// Where a refused copy's words also stay, shown, until a copy succeeds: a paragraph of the
    /// caller's (the key step's), so that the table's many buttons carry no element for it.
    #[prop(optional)]
    help: Option<NodeRef<leptos::html::P>>,
) -> impl IntoView {
    let announce = use_context::<Announce>();
    // Owned by the view, so the text goes when the view does, even while a shown outcome is
    // still counting down (the text may lend a secret).
    let text = StoredValue::new(text);
    let generation = Rc::new(Cell::new(0u32));
    let copy = move |ev: ev::MouseEvent| {
        let Some(button) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let Some((written, copied)) = text
            .try_with_value(|t| t.with(|s| (write_clipboard(s), fingerprint(s))))
            .flatten()
        else {
            return;
        };
        let generation = generation.clone();
        spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
            let state = if ok {
                CopyState::Copied
            } else {
                CopyState::Failed
            };
            state.show_on(&button, idle);
            if let Some(help) = help.and_then(|h| h.try_get_untracked().flatten()) {
                help.set_text_content(Some(failed));
                help.set_hidden(ok);
            }
            if let Some(a) = announce {
                a.say(if ok {
                    "Copied to the clipboard"
                } else {
                    failed
                });
            }
            let this = generation.get().wrapping_add(1);
            generation.set(this);
            // Back to "Copy" after 2 s, or as soon as the button stands for another value: an
            // outcome is only ever shown beside its value.
            for _ in 0..(2_000 / CHECK_MS) {
                sleep_ms(CHECK_MS).await;
                let now = text.try_with_value(|t| t.with(fingerprint)).flatten();
                if generation.get() != this || now != Some(copied) {
                    break;
                }
            }
            if generation.get() == this {
                CopyState::Idle.show_on(&button, idle);
            }
        });
    };
    view! {
        <button type="button" class="copy-button" aria-label=label title=label on:click=copy>
            {idle}
        </button>
    }
}

/// Starts writing `text` to the clipboard; the promise rejects when the browser refuses (no
/// permission) or has no clipboard to offer (a page served over plain `http` from another
/// machine). The missing clipboard is checked here: calling it would throw through the wasm,
/// past the read of `text` that is under way.
fn write_clipboard(text: &str) -> js_sys::Promise {
    let clipboard = window().navigator().clipboard();
    if clipboard.is_undefined() {
        return js_sys::Promise::reject(&"no clipboard".into());
    }
    clipboard.write_text(text)
}

/// Tells two texts apart without keeping either.
fn fingerprint(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}
