//! Where the focus goes when the element that had it is gone: the page's heading, made
//! focusable by script only (Tab does not stop on it), else the main region. Used after a
//! navigation (`app::arrival`) and when a dialog closes with no opener to return to.

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
