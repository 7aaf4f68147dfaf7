//! Where the focus goes when the element that had it is gone: the page's heading, made
//! focusable by script only (Tab does not stop on it), else the main region. Used after a
//! navigation (`app::arrival`), when a dialog closes with no opener to return to, and when a
//! control is replaced by what it asked for ([`follow_replacement`]).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The heading of the view on screen: a wizard step's own (`data-arrive`), else the page's `h1`.
pub fn page_heading() -> Option<Element> {
    let main = main_region()?;
    let find = |selector| main.query_selector(selector).ok().flatten();
    find("[data-arrive]").or_else(|| find("h1"))
}

/// The main region, `#main`.
pub fn main_region() -> Option<Element> {
    document().get_element_by_id("main")
}

/// Focuses `el`, scrolling it into view unless `keep_scroll`; whether it took. An element
/// that is not focusable (a heading) becomes so for script only; one that is (a link, a
/// button) keeps its place in the Tab order.
pub fn focus(el: &Element, keep_scroll: bool) -> bool {
    let html = el.unchecked_ref::<web_sys::HtmlElement>();
    if html.tab_index() < 0 && !el.has_attribute("tabindex") {
        let _ = el.set_attribute("tabindex", "-1");
    }
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(keep_scroll);
    let _ = html.focus_with_options(&options);
    document().active_element().as_ref() == Some(el)
}

/// Whether the focus has gone with its element: nothing has it, or the page's body (where the
/// browser leaves it), or an element no longer on the page.
pub fn focus_lost() -> bool {
    document().active_element().is_none_or(|a| {
        !a.is_connected()
            || document()
                .body()
                .is_some_and(|b| b.unchecked_ref::<Element>() == &a)
    })
}

/// Whether `el` has the focus: for a view's clean-up, which runs while its elements are still
/// on the page, to hand the focus on before they leave.
pub fn had_focus(el: Option<impl AsRef<web_sys::Node>>) -> bool {
    el.zip(document().active_element())
        .is_some_and(|(el, a)| a.is_same_node(Some(el.as_ref())))
}

/// How often, and for how long, [`follow_replacement`] looks whether its control has gone.
const LOOK_EVERY_MS: u32 = 50;
const LOOK_FOR_MS: u32 = 60_000;

/// For a control whose view is replaced by what it asked for (a retry, "Show the secrets"): once
/// it has left the page, if the focus went with it, the focus goes to a retry in its place (the
/// attempt failed again) or else to the new view's heading, once there is one. The browser
/// would leave it at the document's start, where the next Tab begins again from the skip link.
/// A control in a modal dialog is followed within the dialog: the page behind it is out of
/// reach.
pub fn follow_replacement(control: Element) {
    // A navigation meanwhile is the arrival's to handle (`app::arrival`), not this.
    let here = || window().location().href().ok();
    let page = here();
    let dialog = control.closest("[role=dialog]").ok().flatten();
    // This console's main region: gone, so is the console that asked (unmounted), and a
    // console mounted after it on the same address is not this one's to move the focus in.
    let main = main_region();
    let ours = move || main.as_ref().is_some_and(|m| m.is_connected()) && here() == page;
    leptos::task::spawn_local(async move {
        let mut waited = 0;
        while control.is_connected() {
            if waited > LOOK_FOR_MS || !ours() {
                return;
            }
            crate::timer::sleep_ms(LOOK_EVERY_MS).await;
            waited += LOOK_EVERY_MS;
        }
        // What follows may come after a loading state with neither (the gate's skeleton while
        // the session is restored again): the focus waits for it, as long as nothing took it.
        loop {
            if !focus_lost() || !ours() {
                return;
            }
            let next = match &dialog {
                Some(dialog) if dialog.is_connected() => {
                    let find = |selector| dialog.query_selector(selector).ok().flatten();
                    find(".error-panel button")
                        .or_else(|| find("h2"))
                        .or(Some(dialog.clone()))
                }
                _ => main_region()
                    .and_then(|m| m.query_selector(".error-panel button").ok().flatten())
                    .or_else(page_heading),
            };
            if let Some(next) = next {
                focus(&next, true);
                return;
            }
            if waited > LOOK_FOR_MS {
                return;
            }
            crate::timer::sleep_ms(LOOK_EVERY_MS).await;
            waited += LOOK_EVERY_MS;
        }
    });
}

/// The controls of a line of the key table, by which one has the focus: when the line comes to
/// show another key, the focus goes to the same control on the line that now shows its key.
pub const KEY_LINE_CONTROLS: [&str; 3] = [".copy-button", "a.link:not(.danger)", "a.danger"];

/// The line of `table` that shows the key `id`, if a line does. Ids are compared, never put
/// into a selector: they come from the platform.
fn line_of_key(table: &Element, id: &str) -> Option<Element> {
    let lines = table.query_selector_all("tbody tr").ok()?;
    (0..lines.length())
        .filter_map(|i| lines.item(i)?.dyn_into::<Element>().ok())
        .find(|l| l.get_attribute("data-key-id").as_deref() == Some(id))
}

/// `control` (one of [`KEY_LINE_CONTROLS`]) of the line of `table` that shows the key `id`.
pub fn control_of_key(table: &Element, id: &str, control: &str) -> Option<Element> {
    line_of_key(table, id)?.query_selector(control).ok()?
}

/// Where the focus goes from `control`, on a line of `table` that showed the key `id` and now
/// shows another: the same control of the key's line, else that line's first control (the one
/// it was on went with the key's change, as Delete goes with a delete), else the table itself,
/// when the key has left the page. Not the line's new key: Enter would act on another key than
/// the one the person chose.
pub fn follow_key(table: &Element, id: &str, control: &Element) -> Element {
    let line = line_of_key(table, id);
    let same = KEY_LINE_CONTROLS
        .into_iter()
        .find(|c| control.matches(c).unwrap_or(false))
        .and_then(|c| line.as_ref()?.query_selector(c).ok()?);
    let first = || line.as_ref()?.query_selector("a[href], button").ok()?;
    same.or_else(first).unwrap_or_else(|| {
        let _ = table.set_attribute("tabindex", "-1");
        table.clone()
    })
}
