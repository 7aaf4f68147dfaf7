//! Telling the person where a navigation took them, as a page load would: the document's title
//! names the page, and the focus moves to the new page's heading, so that a screen reader reads
//! it and Tab goes on from there instead of from the top of the document (where the browser
//! leaves a focus whose element the navigation removed).
//!
//! The first page of a load keeps the browser's start, also when the page redirects (to sign-in,
//! to the wizard's first step) before the person has gone anywhere. The delete dialog takes the
//! focus itself and gives it back when it closes over the list, so that moves nothing here;
//! closed back to the key's page it was opened on, built anew, the focus goes back to that
//! page's "Delete API key" once it shows.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::focus::{focus, main_region, page_heading};
use crate::pages::create_key::draft::Step;
use crate::router::use_router;
use crate::routes::{current_route, Route};
use crate::timer::sleep_ms;

/// How often, and for how long, the arrival looks for the heading: a page's code and data may
/// still be on their way, and a heading shown while loading may give way to the page's own.
const LOOK_EVERY_MS: u32 = 50;
const LOOK_FOR_MS: u32 = 10_000;

/// The document's title for `route`.
pub fn title(route: &Route) -> &'static str {
    match route {
        Route::Dashboard { delete: None } => "API Keys · Onqlave",
        Route::Dashboard { delete: Some(_) } => "Delete API key · Onqlave",
        Route::Wizard(None | Some(Step::Application)) => "Create an API key: Application · Onqlave",
        Route::Wizard(Some(Step::Arx)) => "Create an API key: Arx · Onqlave",
        Route::Wizard(Some(Step::Summary)) => "Create an API key: Review · Onqlave",
        Route::Wizard(Some(Step::Key)) => "Create an API key: Your key · Onqlave",
        Route::KeyDetail(_) => "API key details · Onqlave",
        Route::SignIn => "Sign in · Onqlave",
        Route::NotFound => "Page not found · Onqlave",
    }
}

/// Whether going from `before` to `now` moves the focus to the new page's heading.
pub fn moves_focus(before: &Route, now: &Route) -> bool {
    match (before, now) {
        _ if before == now => false,
        // The dialog focuses its own field.
        (_, Route::Dashboard { delete: Some(_) }) => false,
        // The dialog closed, over the page it was opened on: it gives the focus back.
        (Route::Dashboard { .. }, Route::Dashboard { .. }) => false,
        _ => true,
    }
}

/// The control that opened what `before` showed, when `now` is the page it was opened on and the
/// focus goes back to it: the key's "Delete API key" after its delete dialog, closed without a
/// delete (a delete leaves for the list). That page is built anew under the focus.
fn opener(before: &Route, now: &Route) -> Option<&'static str> {
    match (before, now) {
        (Route::Dashboard { delete: Some(d) }, Route::KeyDetail(k)) if d == k => {
            Some(".detail-actions a.danger")
        }
        _ => None,
    }
}

/// Follows the route for as long as the calling owner lives.
pub fn follow_route() {
    let route = current_route();
    let router = use_router();
    // The state: the route, and whether it is still the load's first page, which lasts through
    // the redirects the page makes on its own (to sign-in, to the wizard's first step).
    Effect::new(move |before: Option<(Route, bool)>| {
        let now = route.get();
        document().set_title(title(&now));
        let Some((before, loading)) = before else {
            return (now, true);
        };
        let loading = loading && router.redirected();
        if !loading && moves_focus(&before, &now) {
            let held = document().active_element();
            let opener = opener(&before, &now);
            // The effect's owner: the next navigation, or the app going, ends this arrival.
            // Untracked: what the focus changes set off is not this effect's concern.
            untrack(|| spawn_local_scoped_with_cancellation(land(held, opener)));
        }
        (now, loading)
    });
}

/// Moves the focus to the page's heading once it is there, unless the person (or the page)
/// has put it somewhere meanwhile. While the focus stays on the heading it moved to, a wizard
/// step's question that comes after the page's heading takes over from it, and so does the
/// page's heading after the one shown while it loaded, and `opener` (a selector in the main
/// region) once the page shows it.
async fn land(held: Option<Element>, opener: Option<&'static str>) {
    let mut landed: Option<Element> = None;
    let mut waited = 0;
    while waited <= LOOK_FOR_MS {
        sleep_ms(LOOK_EVERY_MS).await;
        waited += LOOK_EVERY_MS;
        let active = document().active_element();
        let ours = landed.as_ref().filter(|t| t.is_connected());
        let opened_by = opener.and_then(|o| main_region()?.query_selector(o).ok().flatten());
        // The opener sits below the page's start, which the heading shown while loading left
        // the page scrolled to: it is scrolled to, wherever the focus was before.
        let to_opener = opened_by.is_some();
        let heading = opened_by.or_else(page_heading);
        // A heading focused by another hand (a dialog closing over the page gives the focus to
        // the heading shown while the page loads) is where this arrival would have put it: the
        // page's own heading takes over from it all the same.
        let free = match ours {
            Some(target) => active.as_ref() == Some(target),
            None => {
                unclaimed(active.as_ref(), held.as_ref()) || (active.is_some() && active == heading)
            }
        };
        if !free {
            return;
        }
        if let Some(next) = heading.filter(|h| ours != Some(h)) {
            // Once the person has seen the page, moving on to a later heading keeps the scroll.
            if focus(&next, landed.is_some() && !to_opener) {
                landed = Some(next);
            }
        }
    }
    if landed.is_none() && unclaimed(document().active_element().as_ref(), held.as_ref()) {
        if let Some(main) = main_region() {
            focus(&main, false);
        }
    }
}

/// Whether the focus is where the navigation left it, or nowhere in particular.
fn unclaimed(active: Option<&Element>, held: Option<&Element>) -> bool {
    match active {
        None => true,
        Some(a) => {
            !a.is_connected()
                || held == Some(a)
                || a.id() == "main"
                || document()
                    .body()
                    .is_some_and(|b| b.unchecked_ref::<Element>() == a)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_keeps_the_focus_to_itself_and_every_page_change_moves_it() {
        let dashboard = Route::Dashboard { delete: None };
        let dialog = Route::Dashboard {
            delete: Some("apikey--1".into()),
        };
        let key = Route::KeyDetail("apikey--1".into());
        let step = |s| Route::Wizard(Some(s));
        assert!(
            !moves_focus(&dashboard, &dialog),
            "the dialog focuses its field"
        );
        assert!(!moves_focus(&key, &dialog), "also over another page");
        assert!(!moves_focus(&dialog, &dashboard), "it gives the focus back");
        assert!(moves_focus(&dialog, &key), "closed back to the key's page");
        assert!(moves_focus(&dashboard, &key));
        assert!(moves_focus(&key, &dashboard));
        assert!(moves_focus(&step(Step::Application), &step(Step::Arx)));
        assert!(moves_focus(&dashboard, &Route::SignIn));
        assert!(!moves_focus(&key, &key));
        assert!(opener(&dialog, &key).is_some(), "back to the key's Delete");
        assert!(opener(&dialog, &Route::KeyDetail("apikey--2".into())).is_none());
        assert!(opener(&dashboard, &key).is_none());
        assert_ne!(title(&step(Step::Arx)), title(&step(Step::Summary)));
    }
}
