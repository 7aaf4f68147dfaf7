//! Clicks on links: which ones the console follows itself, and a look at them before the
//! router does.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The path and query of the link a plain click followed, when the page should go there itself:
/// a link to this origin with no target, no download and no fragment (a fragment, such as the
/// skip link's, is left to the browser). A link names the state of the entry it opens with
/// [`HISTORY_STATE`].
pub fn own_link(e: &web_sys::MouseEvent) -> Option<String> {
    if e.default_prevented()
        || e.button() != 0
        || e.meta_key()
        || e.alt_key()
        || e.ctrl_key()
        || e.shift_key()
    {
        return None;
    }
    let a = clicked_link(e)?;
    let external = a.rel().split_ascii_whitespace().any(|r| r == "external");
    if !a.target().is_empty() || a.has_attribute("download") || external || !a.hash().is_empty() {
        return None;
    }
    let origin = window().location().origin().ok()?;
    (a.origin() == origin).then(|| format!("{}{}", a.pathname(), a.search()))
}

/// Calls `on_link` with each plain click on a link to this console's own pages
/// (`own_link`) and its address, before the router follows it (capture phase), for as
/// long as the calling view lives.
pub fn before_the_router_follows_links(on_link: impl Fn(&web_sys::MouseEvent, String) + 'static) {
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MouseEvent)>::new(
        move |e: web_sys::MouseEvent| {
            if let Some(href) = own_link(&e) {
                on_link(&e, href);
            }
        },
    );
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    let holder = send_wrapper::SendWrapper::new(on_click);
    on_cleanup(move || {
        let _ = window().remove_event_listener_with_callback_and_bool(
            "click",
            holder.take().as_ref().unchecked_ref(),
            true,
        );
    });
}

/// The attribute of a link whose value the router puts in the history entry the link opens
/// (`links::OPENED_HERE`), so that a page followed by link is told from one reached otherwise.
pub const HISTORY_STATE: &str = "data-history-state";

/// The link a click was on.
pub(super) fn clicked_link(e: &web_sys::MouseEvent) -> Option<web_sys::HtmlAnchorElement> {
    e.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into()
        .ok()
}
