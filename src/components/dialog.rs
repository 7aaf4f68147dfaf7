//! A modal dialog done right: `role="dialog"`, `aria-modal`, a label, focus moved in, Tab
//! trapped inside, Escape to close, and focus returned to whatever had it before. The keys are
//! heard on the window, not on the panel: a button that turns disabled, or content replaced
//! while it loads, drops the focus to the page, and the dialog must still close and trap.

use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::focus::{focus, main_region, page_heading};

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// A modal dialog. The first field matching `initial_focus` (a CSS selector) gets focus when it
/// opens, else the first focusable element, else the panel itself.
#[component]
pub fn Dialog(
    /// Id of the element that names the dialog (its heading).
    #[prop(into)]
    labelled_by: String,
    /// Id of the element that describes it, if any.
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Selector of the element to focus first.
    #[prop(optional, into)]
    initial_focus: Option<String>,
    /// Called on Escape and on the backdrop.
    on_close: Callback<()>,
    /// The content.
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<Div>::new();
    // Whoever had focus before the dialog opened gets it back when it closes; if it has gone
    // (a deleted key's row loses its Delete link), a control of its table row, so that the
    // place in the list is kept; else (the key's page gave way to the list) the page's
    // heading, or the main region, not the page's start. A tick later: what closed the dialog
    // may still be removing the opener.
    // (A deep link, or a browser that does not focus clicked links, leaves the body focused:
    // no opener.)
    let opener = focused().map(|el| {
        let row = el.closest("tr").ok().flatten();
        let key = row.as_ref().and_then(|r| r.get_attribute("data-key-id"));
        send_wrapper::SendWrapper::new((el, row, key))
    });
    on_cleanup(move || {
        let opener = opener.map(send_wrapper::SendWrapper::take);
        set_timeout(
            move || {
                if focused().is_some() {
                    return;
                }
                // A line of the key table shows whichever key is nth: one that has come to show
                // another key (the deleted key left a filtered view, or moved in the sort) is not
                // the place, the key's own line is, or the table.
                if let Some((el, row, Some(key))) = &opener {
                    let moved = row.as_ref().filter(|r| {
                        r.is_connected() && r.get_attribute("data-key-id").as_ref() != Some(key)
                    });
                    if let Some(table) = moved.and_then(|r| r.closest("table").ok().flatten()) {
                        focus(&crate::focus::follow_key(&table, key, el), false);
                        return;
                    }
                }
                let (opener, row) = opener.map(|(el, row, _)| (el, row)).unzip();
                let in_row = || {
                    row.flatten()
                        .filter(|r| r.is_connected())
                        .and_then(|r| r.query_selector("a[href], button:not([disabled])").ok())
                        .flatten()
                };
                let target = opener
                    .filter(|el| el.is_connected())
                    .map(Element::from)
                    .or_else(in_row)
                    .or_else(page_heading)
                    .or_else(main_region);
                if let Some(el) = target {
                    focus(&el, false);
                }
            },
            std::time::Duration::ZERO,
        );
    });

    let focusables = move || -> Vec<HtmlElement> {
        let Some(p) = panel.get_untracked() else {
            return vec![];
        };
        let Ok(list) = p.query_selector_all(FOCUSABLE) else {
            return vec![];
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .collect()
    };

    Effect::new(move |_| {
        let Some(p) = panel.get() else { return };
        let target = initial_focus
            .as_deref()
            .and_then(|sel| p.query_selector(sel).ok().flatten())
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            .or_else(|| focusables().into_iter().next())
            .unwrap_or_else(|| p.clone().into());
        let _ = target.focus();
    });

    let keys = window_event_listener(ev::keydown, move |e: ev::KeyboardEvent| {
        match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                on_close.run(());
            }
            "Tab" => {
                let items = focusables();
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    e.prevent_default();
                    return;
                };
                let active = document().active_element();
                let at = |el: &HtmlElement| {
                    active
                        .as_ref()
                        .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
                };
                // On one of the panel's controls; the panel itself (focused while it had none)
                // counts as outside, so that Tab and Shift+Tab both land on a control.
                let inside = active.as_ref().is_some_and(|a| {
                    panel.get_untracked().is_some_and(|p| {
                        a != p.unchecked_ref::<web_sys::Element>()
                            && p.contains(Some(a.unchecked_ref()))
                    })
                });
                if e.shift_key() && (at(first) || !inside) {
                    e.prevent_default();
                    let _ = last.focus();
                } else if !e.shift_key() && (at(last) || !inside) {
                    e.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <div class="dialog-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=labelled_by
            aria-describedby=described_by node_ref=panel tabindex="-1">
            {children()}
        </div>
    }
}

/// For a control that arrives after a dialog gave out its first focus (the dialog waited for
/// its data): focuses `el` if the focus is still where the dialog left it then, on its panel,
/// or has been lost; not if the person has moved it on.
pub fn take_late_initial_focus(el: &HtmlElement) {
    let on_panel = document()
        .active_element()
        .is_some_and(|a| a.get_attribute("role").as_deref() == Some("dialog"));
    if on_panel || crate::focus::focus_lost() {
        let _ = el.focus();
    }
}

/// The element with the focus, unless that is nobody or the page's body (focus lost).
fn focused() -> Option<HtmlElement> {
    document()
        .active_element()
        .filter(|e| e.tag_name() != "BODY")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
}
