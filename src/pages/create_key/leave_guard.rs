//! From the moment a key is created until the person says its secrets are stored, leaving step 4
//! asks first: closing or reloading the tab, Escape, following a link, and Back. While the key
//! provisions as much as once its secrets show: only that view will ever ask for them.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::replace_entry;
use crate::links;
use crate::router::{before_the_router_follows_links, use_navigate, use_router};

/// The state of the guard entry (see Back below), so that a page shown again can step off it.
const GUARD_STATE: &str = "leave-guard";

const LEAVE_WARNING: &str = "Leave without storing this key's secrets? They cannot be shown again.";
/// Before the secrets are here, nothing is lost yet: they stay with the platform, unclaimed.
const LEAVE_WAITING: &str = "Leave before this key's secrets arrive? Nobody will receive them until you ask for them, once, from the key's page.";

/// Guards leaving the calling view until `stored` is true; leaving with consent sets it.
/// `asked`: whether the secrets have been asked for, so that leaving may lose them (what the
/// warning says depends on it).
pub fn use_leave_guard(stored: RwSignal<bool>, asked: Signal<bool>) {
    let navigate = use_navigate();
    let guard_on = move || !stored.get_untracked();
    let confirm_leave = move || {
        let warning = if asked.get_untracked() {
            LEAVE_WARNING
        } else {
            LEAVE_WAITING
        };
        window().confirm_with_message(warning).unwrap_or(false)
    };

    ask_before_unload(guard_on);
    // Escape asks before leaving.
    let esc = {
        let navigate = navigate.clone();
        window_event_listener(ev::keydown, move |e| {
            if e.key() == "Escape" && guard_on() && confirm_leave() {
                stored.set(true);
                navigate(links::DASHBOARD, replace_entry(false));
            }
        })
    };
    // Following a link asks first. The page then navigates itself, replacing the guard entry
    // below, so Back from the next page does not land on it.
    {
        let navigate = navigate.clone();
        before_the_router_follows_links(move |e, href| {
            e.prevent_default();
            e.stop_immediate_propagation();
            if !guard_on() || confirm_leave() {
                stored.set(true);
                navigate(&href, replace_entry(false));
            }
        });
    }
    // Back asks first. The router hears a history move before any listener this page can add,
    // so the page puts a guard entry with the same URL on top of its own: Back then lands on
    // this same step (the router sees no change) and the page decides. Staying puts the guard
    // back; leaving (or Back once the key is stored) goes back one more entry.
    let router = use_router();
    let here = window().location().href().unwrap_or_default();
    let arm = move || {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&GUARD_STATE.into(), "", None);
        }
    };
    arm();
    let on_pop = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        if window().location().href().ok().as_deref() != Some(here.as_str()) {
            return;
        }
        // The router asked already (a move across more entries, below), and the person stayed.
        if router.stayed() {
            return;
        }
        if guard_on() && !confirm_leave() {
            arm();
            return;
        }
        stored.set(true);
        if let Ok(history) = window().history() {
            let _ = history.back();
        }
    });
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    // A move that crosses more than the guard entry (an earlier page picked from the Back
    // button's menu, or entries the browser skips: it may skip those a page added without a
    // click, as the guard entry is) reaches the router with another address: it asks too.
    router.ask_before_leaving(move || {
        if guard_on() && !confirm_leave() {
            return false;
        }
        stored.set(true);
        true
    });
    let holder = send_wrapper::SendWrapper::new(on_pop);
    on_cleanup(move || {
        esc.remove();
        let pop = holder.take();
        let _ =
            window().remove_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    });
}

/// Whether `path` is the wizard's: a move there keeps the wizard, and what it holds.
pub(super) fn in_wizard(path: &str) -> bool {
    path == "/keys/new" || path.starts_with("/keys/new/")
}

/// While `when` holds, leaving the wizard asks `question` first, for as long as the calling
/// view lives: by a link of the page (its header's among them), by Back or Forward, or by
/// closing or reloading the tab. Moves between the wizard's steps do not ask: the wizard, and
/// what `when` is about, stays.
pub fn ask_before_leaving_the_wizard(
    when: impl Fn() -> bool + Clone + 'static,
    question: &'static str,
) {
    ask_before_unload(when.clone());
    let stay = move |path: &str| {
        when() && !in_wizard(path) && !window().confirm_with_message(question).unwrap_or(false)
    };
    {
        let stay = stay.clone();
        before_the_router_follows_links(move |e, href| {
            // A link that waits for the create on its way goes nowhere yet: nothing to ask.
            let waiting = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .is_some_and(|a| a.get_attribute("aria-disabled").as_deref() == Some("true"));
            let path = href.split(['?', '#']).next().unwrap_or_default();
            if !waiting && stay(path) {
                e.prevent_default();
                e.stop_immediate_propagation();
            }
        });
    }
    // Back or Forward: the address is already the one arrived at.
    use_router().ask_before_leaving(move || {
        let path = window().location().pathname().unwrap_or_default();
        !stay(&path)
    });
}

/// Closing or reloading the tab asks first while `when` holds, for as long as the calling view
/// lives. The browser shows its own words: a page's text is not shown in this prompt.
pub fn ask_before_unload(when: impl Fn() -> bool + 'static) {
    let unload = window_event_listener_untyped("beforeunload", move |e| {
        if when() {
            e.prevent_default();
            let _ = js_sys::Reflect::set(&e, &"returnValue".into(), &"".into());
        }
    });
    on_cleanup(move || unload.remove());
}

/// For a page going into the back/forward cache while it stands on the guard entry: once it is
/// shown again, goes back off that entry. Its guard is gone by then (the page dropped the secrets
/// when it was left), so the first Back would otherwise change nothing the person sees. The
/// listener belongs to no view: the session's own `pageshow` listener, which runs first, rebuilds
/// the page, and a view's listener would be gone before its turn. One at most, however many
/// views ask (a step shown within a step): two would each go back, two entries in all.
pub fn step_off_guard_entry_when_shown_again() {
    thread_local! {
        static WAITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let on_guard = || {
        window()
            .history()
            .ok()
            .and_then(|h| h.state().ok())
            .and_then(|s| s.as_string())
            .is_some_and(|s| s == GUARD_STATE)
    };
    if !on_guard() || WAITING.with(|w| w.replace(true)) {
        return;
    }
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let step_off = Closure::once_into_js(move || {
        WAITING.with(|w| w.set(false));
        if on_guard() {
            if let Ok(history) = window().history() {
                let _ = history.back();
            }
        }
    });
    let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
        "pageshow",
        step_off.unchecked_ref(),
        &options,
    );
}
