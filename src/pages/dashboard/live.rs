//! Keeping the list live while the dashboard is open: pending keys are polled with backoff until
//! they settle, the list is read again when the tab comes back after a while or another tab
//! changed a key, and relative times move on once a minute.

use std::collections::{HashMap, HashSet};

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use platform_types::KeyStatus;

use super::use_keys::UseKeys;
use crate::api::retry::next_poll_delay_ms;
use crate::api::{ApiClient, ApiError};
use crate::components::announcer::use_announcer;
use crate::components::status_badge::status_label;
use crate::key_events::use_key_events;
use crate::time;
use crate::timer::{every_minute, sleep_ms, while_hidden};

/// Keeps `keys` live for as long as the calling owner lives.
pub fn keep_live(keys: UseKeys, client: ApiClient) {
    poll_pending(keys, client.in_background());
    every_minute(move || keys.minute.notify());
    let on_focus = window_event_listener(ev::focus, move |_| {
        let stale = keys
            .facts_untracked()
            .is_some_and(|f| time::now_ms() - f.fetched_at > time::STALE_AFTER_MS);
        if stale {
            keys.reload();
        }
    });
    on_cleanup(move || on_focus.remove());
    use_key_events(move |_| keys.reload());
    // News this tab told itself before this listened (a key made by a wizard left meanwhile).
    if keys.asked_after.get_value() != crate::key_events::told_here() {
        keys.reload();
    }
}

/// While any key is pending, asks for each with backoff and updates its row in place.
fn poll_pending(keys: UseKeys, client: ApiClient) {
    let pending = Memo::new(move |_| {
        keys.rows.with(|rows| {
            rows.iter()
                .filter(|r| r.key.status == KeyStatus::Pending)
                .map(|r| r.key.id.clone())
                .collect::<Vec<_>>()
        })
    });
    // The keys the poller out now was started for, and its number. A key that turns pending
    // while it is out (deleted here, made in another tab) starts a new one, which asks after the
    // first delay rather than the backed-off delay of keys pending for long; the older one ends
    // when it wakes.
    let watched = StoredValue::new(HashSet::<String>::new());
    let run = StoredValue::new(0u32);
    let announce = use_announcer();
    // The status each key was last said to have settled to. A list asked for before a poll saw a
    // key settle, and answered after, may put it back to pending for one more poll; that is
    // not news. (The list is not corrected instead: it cannot tell that pending from a delete
    // made since, in another tab.)
    let said = StoredValue::new(HashMap::<String, KeyStatus>::new());
    let first_delay = client.config().poll_interval_ms;
    // The caller's owner, not the effect's: one poller lives as long as the page.
    let owner = Owner::current();
    Effect::new(move |_| {
        let ids = pending.get();
        if !watched.with_value(|w| ids.iter().any(|id| !w.contains(id))) {
            return;
        }
        watched.update_value(|w| w.extend(ids));
        run.update_value(|r| *r = r.wrapping_add(1));
        let this_run = run.get_value();
        let client = client.clone();
        let task = async move {
            let mut delay = first_delay;
            // Keys the platform would not show, for which the list was read again once: the
            // list may still say they are pending, but asking for them again would not help.
            let mut unseen = HashSet::<String>::new();
            loop {
                sleep_ms(delay).await;
                while_hidden().await;
                if run.try_get_value() != Some(this_run) {
                    return;
                }
                // What the platform asked for when it refused for now (`Retry-After`).
                let mut asked = 0;
                let mut ids = pending.get_untracked();
                ids.retain(|id| !unseen.contains(id));
                if ids.is_empty() {
                    break;
                }
                for id in ids {
                    let mark = keys.mark();
                    let key = match client.get_key(&id).await {
                        // Asked for before this tab changed the key (a delete): older than
                        // the row.
                        Ok(_) if keys.changed_since(&id, mark) => continue,
                        Ok(key) => key,
                        // Gone, no longer this person's to see, or an answer the next poll
                        // would not make understood: the list says what is left to wait for.
                        Err(
                            ApiError::NotFound(_) | ApiError::Forbidden(_) | ApiError::Decode(_),
                        ) => {
                            unseen.insert(id);
                            keys.reload();
                            continue;
                        }
                        // A platform that asked for a wait is asked nothing more until then.
                        Err(e) if e.asked_wait_ms() > 0 => {
                            asked = e.asked_wait_ms();
                            break;
                        }
                        Err(_) => continue,
                    };
                    // Said when it settles: the badge alone changes in silence.
                    let news = key.status != KeyStatus::Pending
                        && said
                            .try_update_value(|s| {
                                s.insert(key.id.clone(), key.status.clone())
                                    != Some(key.status.clone())
                            })
                            .unwrap_or(false);
                    if news {
                        announce.say(format!(
                            "API key {} is now {}",
                            key.access_key_or_id(),
                            status_label(&key.status)
                        ));
                    }
                    keys.settle(key);
                }
                delay = next_poll_delay_ms(delay).max(asked);
            }
            if run.try_get_value() == Some(this_run) {
                watched.update_value(HashSet::clear);
            }
        };
        match &owner {
            Some(o) => o.with(|| spawn_local_scoped_with_cancellation(task)),
            None => spawn_local_scoped_with_cancellation(task),
        }
    });
}

/// Says that reading the list again failed, so that the rows on screen are not taken for the
/// platform's present: why, when the list was read, and a way to try again. The words are a
/// status region from the start, so that they are read out when they come: a failure, and a
/// read asked for again that fails again too (its words differ from the last by a trailing
/// no-break space, as the announcer's do); the tries the list makes by itself while a failure
/// lasts leave them as they are (`use_keys.rs`). The button is outside it, and stays while
/// failures follow one another, so that a retry that fails again keeps its focus.
#[component]
pub fn StaleNotice(keys: UseKeys) -> impl IntoView {
    let failing = Memo::new(move |_| keys.refresh_failed.with(Option::is_some));
    let again = StoredValue::new(false);
    // A memo: words left as they were change nothing in the region, so nothing is read out.
    let words = Memo::new(move |before: Option<&Option<String>>| {
        let e = keys.refresh_failed.get()?;
        // Said already: a try made by itself follows a failure on screen.
        if let Some(Some(said)) = before.filter(|_| keys.failed_by_itself.get_value()) {
            return Some(said.clone());
        }
        let read = keys
            .facts_untracked()
            .map(|f| time::clock_local(f.fetched_at))?;
        let repeat = !again.get_value();
        again.set_value(repeat);
        Some(format!(
            "The list could not be refreshed: {} It shows the API keys as read at {read}.{}",
            e.user_message(),
            if repeat { "\u{a0}" } else { "" }
        ))
    });
    let busy = keys.list.loading();
    let retry = move || {
        failing.get().then(|| {
            let button = NodeRef::<leptos::html::Button>::new();
            // Gone with a list read at last: the focus goes to the search rather than the page.
            on_cleanup(move || {
                if crate::focus::had_focus(button.try_get_untracked().flatten()) {
                    super::table::focus_first_of(&[super::toolbar::SEARCH_ID]);
                }
            });
            view! {
                <button type="button" class="button small secondary" node_ref=button
                    aria-busy=move || busy.get().to_string()
                    on:click=move |_| if !busy.get_untracked() { keys.reload() }>"Try again"</button>
            }
        })
    };
    // Beside the status, not in it: each failure has its own, which would have the whole
    // notice read out again.
    let reference = move || {
        keys.refresh_failed
            .with(|e| e.as_ref().and_then(ApiError::reference))
    };
    view! {
        <div class="stale-list" class:notice=failing class:stale=failing
            data-testid=move || failing.get().then_some("stale-list")>
            <span role="status">{words}</span>
            <span class="muted">{reference}</span>
            " "
            {retry}
        </div>
    }
}
