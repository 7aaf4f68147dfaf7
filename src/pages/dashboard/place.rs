//! The person's place in the list. Following a link away from the dashboard (a key's details,
//! the wizard) and coming back to the same view by Back or Forward, or by the page's own way
//! back ("← API keys", `links::WAY_BACK`), puts them where they were:
//! scrolled as they were, the focus on the control of the line they left by. The browser restores
//! a page's scroll itself only as the address changes, before the list is built again, so on a
//! short page it is lost.
//!
//! Part of the dashboard's tools (their chunk), which start once the first rows are drawn: the
//! lines are there to scroll to by then.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::focus::{control_of_key, focus, KEY_LINE_CONTROLS};
use crate::router::{before_the_router_follows_links, use_router};
use crate::routes::Route;

/// Where the person was as they left.
struct Place {
    /// The view's query then: only Back to the same view comes back to the place.
    search: String,
    scroll_y: f64,
    /// The line's key and the control on it the person left by.
    control: Option<(String, &'static str)>,
}

thread_local! {
    /// Outlives the dashboard that wrote it, as it must: the dashboard is built anew on Back.
    static LEFT: RefCell<Option<Place>> = const { RefCell::new(None) };
}

/// Puts the person back in place on a return to the view they left, and keeps the place
/// as they follow a link, for as long as the calling owner lives.
pub fn keep_place() {
    let router = use_router();
    let search = router.with_untracked(|a| a.search.clone());
    // A dashboard built under the delete dialog a key's page opened is no return to the list:
    // the place stays for the one that will come (Back from that page).
    let under_dialog = crate::routes::current_route()
        .with_untracked(|r| matches!(r, Route::Dashboard { delete: Some(_) }));
    let left = if under_dialog {
        None
    } else {
        LEFT.with_borrow_mut(Option::take)
    };
    let way_back = window()
        .history()
        .and_then(|h| h.state())
        .ok()
        .and_then(|s| s.as_string())
        .is_some_and(|s| s == crate::links::WAY_BACK);
    let returned = router.traversed() || way_back;
    if let Some(place) = left.filter(|p| returned && p.search == search) {
        // Once the tools, which this call builds, have taken the stand-ins' place above the
        // lines: scrolled before, the page would be off by the toolbar's extra height. Not if
        // the dashboard has gone by then.
        let here = StoredValue::new(());
        request_animation_frame(move || {
            if here.try_get_value().is_some() {
                restore(place);
            }
        });
    }
    // Before the router, which follows the link and scrolls to the top. Only a link the page
    // follows itself away from the dashboard (not one opening a new tab, nor the dialog over
    // the list).
    before_the_router_follows_links(move |e, href| {
        let path = href.split(['?', '#']).next().unwrap_or_default();
        if matches!(Route::of(path), Route::Dashboard { .. }) {
            return;
        }
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let control = target
            .closest("tr[data-key-id]")
            .ok()
            .flatten()
            .and_then(|tr| tr.get_attribute("data-key-id"))
            .and_then(|key| {
                let on = |c: &&str| target.closest(c).is_ok_and(|el| el.is_some());
                KEY_LINE_CONTROLS.into_iter().find(on).map(|c| (key, c))
            });
        let place = Place {
            search: router.with_untracked(|a| a.search.clone()),
            scroll_y: window().scroll_y().unwrap_or_default(),
            control,
        };
        LEFT.with_borrow_mut(|left| *left = Some(place));
    });
}

/// Scrolls to `place` and gives its control the focus, if its line is still on the page.
fn restore(place: Place) {
    window().scroll_to_with_x_and_y(0.0, place.scroll_y);
    let Some((key, control)) = place.control else {
        return;
    };
    let table = document().query_selector("table.keys-table").ok().flatten();
    let target = table.and_then(|t| control_of_key(&t, &key, control));
    if let Some(el) = target {
        focus(&el, true);
    }
}
