//! How to use a key, one tab per SDK language: the install line and a runnable program, each with
//! a Copy button. Tabs follow the WAI-ARIA pattern: arrow keys, Home and End move between them.

use leptos::ev;
use leptos::prelude::*;

use super::copy_button::CopyButton;
use crate::sdk_usage::Language;

/// The usage tabs for the key at `arx_url` with `access_key` (public values only).
#[component]
pub fn UsageTabs(
    /// The Arx endpoint.
    arx_url: String,
    /// The API key.
    access_key: String,
    /// Makes the element ids unique on a page.
    #[prop(default = "usage")]
    id: &'static str,
) -> impl IntoView {
    let selected = RwSignal::new(Language::Go);
    let tab_id = move |lang: Language| format!("{id}-tab-{}", lang.id());
    let panel_id = move |lang: Language| format!("{id}-panel-{}", lang.id());
    let on_keydown = move |e: ev::KeyboardEvent| {
        let all = Language::ALL;
        let at = all
            .iter()
            .position(|l| *l == selected.get_untracked())
            .unwrap_or(0);
        let next = match e.key().as_str() {
            "ArrowRight" => (at + 1) % all.len(),
            "ArrowLeft" => (at + all.len() - 1) % all.len(),
            "Home" => 0,
            "End" => all.len() - 1,
            _ => return,
        };
        e.prevent_default();
        selected.set(all[next]);
        if let Some(tab) = document().get_element_by_id(&tab_id(all[next])) {
            use wasm_bindgen::JsCast;
            let _ = tab.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    let tabs = Language::ALL.map(|lang| {
        let is = move || selected.get() == lang;
        view! {
            <button type="button" role="tab" id=tab_id(lang) aria-controls=panel_id(lang)
                aria-selected=move || is().to_string() tabindex=move || if is() { "0" } else { "-1" }
                on:click=move |_| selected.set(lang)>
                {lang.label()}
            </button>
        }
    });
    let panels = Language::ALL.map(|lang| {
        let program = lang.program(&arx_url, &access_key);
        view! {
            <div role="tabpanel" id=panel_id(lang) aria-labelledby=tab_id(lang) tabindex="0"
                class="usage-panel" hidden=move || selected.get() != lang
                data-testid=format!("usage-{}", lang.id())>
                <div class="usage-line">
                    <code class="mono">{lang.install()}</code>
                    <CopyButton text=lang.install().to_owned() label=format!("Copy the {} install command", lang.label())/>
                </div>
                <div class="usage-code">
                    // Wider than the page, it scrolls sideways: a tab stop, so that a keyboard
                    // scrolls it too.
                    <pre class="mono" tabindex="0" role="region"
                        aria-label=format!("{} program", lang.label())><code>{program.clone()}</code></pre>
                    <CopyButton text=program label=format!("Copy the {} program", lang.label())/>
                </div>
            </div>
        }
    });
    view! {
        <div class="usage">
            <div role="tablist" aria-label="SDK language" class="tabs" on:keydown=on_keydown>{tabs}</div>
            {panels}
        </div>
    }
}
