//! A panic ends the app for good: the wasm instance cannot be trusted afterwards. Instead of a
//! page that silently stops responding, the person sees that something went wrong and how to go
//! on. The panel is plain DOM with a plain link, so it works without the app.

use wasm_bindgen::JsCast;

const PANEL_ID: &str = "panic-panel";

/// Logs the panic to the browser console and shows the panel.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panel();
    }));
}

fn show_panel() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), None) = (doc.body(), doc.get_element_by_id(PANEL_ID)) else {
        return;
    };
    // What is on screen no longer responds: take it out of reach of focus and assistive tech.
    let children = body.children();
    for i in 0..children.length() {
        if let Some(el) = children.item(i) {
            let _ = el.set_attribute("inert", "");
        }
    }
    let el = |tag: &str, text: &str| {
        let e = doc.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let (Some(panel), Some(title), Some(text), Some(reload)) = (
        el("section", ""),
        el("h1", "Something went wrong"),
        el(
            "p",
            "The console stopped because of an error. Reload the page to continue; \
             nothing that was not saved before was sent.",
        ),
        el("a", "Reload"),
    ) else {
        return;
    };
    let _ = panel.set_attribute("id", PANEL_ID);
    let _ = panel.set_attribute("class", "panel error-panel panic-panel");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("aria-labelledby", "panic-title");
    let _ = title.set_attribute("id", "panic-title");
    let _ = reload.set_attribute("class", "button");
    // The router, which runs in the wasm that just stopped, must leave this link to the browser.
    let _ = reload.set_attribute("rel", "external");
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_else(|| "/".into());
    let _ = reload.set_attribute("href", &href);
    let _ = panel.append_child(&title);
    let _ = panel.append_child(&text);
    let _ = panel.append_child(&reload);
    let _ = body.append_child(&panel);
    if let Ok(link) = reload.dyn_into::<web_sys::HtmlElement>() {
        let _ = link.focus();
    }
}
