//! What the dashboard shows, as the URL says: search, filters, sort and page. The search applies
//! at once as it is typed and reaches the URL when typing pauses, on Enter or when the field loses
//! focus: writing history on every keystroke would cost more than the filtering.

use std::time::Duration;

use leptos::prelude::*;

use super::view_state::ViewState;
use crate::links;
use crate::router::{use_navigate, use_router, NavigateOptions};

/// A pause in typing this long writes the search to the URL.
const SEARCH_TO_URL_MS: u64 = 300;

/// Choices with one select this close together are one history entry ([`UseView::choose`]).
pub const IN_A_ROW_MS: f64 = 1_500.0;

/// The dashboard's view; `Copy`.
#[derive(Clone, Copy)]
pub struct UseView {
    /// The view shown: the URL's, with the search as it is being typed.
    pub state: Memo<ViewState>,
    /// The view as the URL has it.
    pub url: Memo<ViewState>,
    /// Goes to a view (`true`: replacing the history entry).
    pub set: Callback<(ViewState, bool)>,
    /// A keystroke in the search field, with the field's text.
    pub type_search: Callback<String>,
    /// Puts the search being typed into the URL now.
    pub commit_search: Callback<()>,
    /// The select that made the current history entry, the view it made, and when.
    chosen_by: StoredValue<Option<(&'static str, ViewState, f64)>>,
}

impl UseView {
    /// Goes to the current view changed by `change`, on its first page, as a new history entry.
    pub fn change(&self, change: impl FnOnce(&mut ViewState)) {
        let mut s = self.state.get_untracked();
        change(&mut s);
        s.page = 1;
        self.chosen_by.set_value(None);
        self.set.run((s, false));
    }

    /// As [`UseView::change`], by the select `control`. Choices made in a row with the same
    /// select (the arrow keys step through its options, each a change), each within
    /// [`IN_A_ROW_MS`] of the last, make one history entry: Back goes to the view before the
    /// first of them, not through every option passed. A choice made after a pause, or after
    /// anything else changed the view, is an entry of its own.
    pub fn choose(&self, control: &'static str, change: impl FnOnce(&mut ViewState)) {
        let (now, at) = (self.url.get_untracked(), js_sys::Date::now());
        let again = self.chosen_by.with_value(|c| {
            matches!(c, Some((by, made, then)) if *by == control && *made == now && at - then < IN_A_ROW_MS)
        });
        let mut s = self.state.get_untracked();
        change(&mut s);
        s.page = 1;
        self.chosen_by.set_value(Some((control, s.clone(), at)));
        self.set.run((s, again));
    }
}

/// The view of the current URL, and how to change it.
pub fn use_view() -> UseView {
    let router = use_router();
    let navigate = use_navigate();
    let url = Memo::new(move |_| router.with(|a| ViewState::from_query(|k| a.query(k))));
    // The search as typed, with the URL state it was typed over. Once the URL moves on (the
    // search catching up, a filter, Back), the typed text no longer applies.
    let typed = RwSignal::new(None::<(ViewState, String)>);
    let state = Memo::new(move |_| {
        let mut s = url.get();
        typed.with(|t| {
            if let Some((_, q)) = t.as_ref().filter(|(base, _)| *base == s) {
                s.search = q.clone();
                s.page = 1;
            }
        });
        s
    });
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let cancel_timer = move || {
        if let Some(h) = timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
    };
    // Text typed over a view applies to that view only: dropped once the URL moves on, so that it
    // does not come back if the URL returns to that view ("Clear filters", Back).
    Effect::watch(
        move || url.get(),
        move |now, _, _| {
            if typed.with_untracked(|t| t.as_ref().is_some_and(|(base, _)| base != now)) {
                typed.set(None);
            }
        },
        false,
    );
    // A view set in full (a filter, "Clear filters", the typed search itself) replaces what was
    // being typed: its search is the one to show.
    let set = Callback::new(move |(next, replace): (ViewState, bool)| {
        cancel_timer();
        typed.set(None);
        navigate(
            &links::dashboard(&next.to_query()),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let commit_search = Callback::new(move |_: ()| {
        cancel_timer();
        let current = url.get_untracked();
        if let Some((_, q)) = typed.get_untracked().filter(|(base, _)| *base == current) {
            let next = ViewState {
                search: q,
                page: 1,
                ..current
            };
            set.run((next, true));
        }
    });
    let type_search = Callback::new(move |text: String| {
        typed.set(Some((url.get_untracked(), text)));
        cancel_timer();
        let handle = set_timeout_with_handle(
            move || commit_search.run(()),
            Duration::from_millis(SEARCH_TO_URL_MS),
        )
        .ok();
        timer.set_value(handle);
    });
    on_cleanup(cancel_timer);
    UseView {
        state,
        url,
        set,
        type_search,
        commit_search,
        chosen_by: StoredValue::new(None),
    }
}
