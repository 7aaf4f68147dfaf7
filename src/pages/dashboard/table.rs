//! The key table: sortable headings, one long-lived line per visible row, and what to show when
//! there is nothing to list.

use leptos::prelude::*;

use super::key_line::KeyLine;
use super::rows::{filter_sorted, hidden_deleted_matches, page_of, sort_all};
use super::toolbar::{SEARCH_ID, SHOW_DELETED_ID};
use super::tools::LivePager;
use super::use_keys::UseKeys;
use super::use_view::UseView;
use super::view_state::{SortKey, ViewState};
use crate::components::announcer::use_announcer;
use crate::links;
use wasm_bindgen::JsCast;

/// The rows of the current view, what matched, and the page of them shown.
#[derive(Clone, Copy)]
pub struct Shown {
    /// The sort column and direction.
    pub order: Memo<(SortKey, bool)>,
    /// Every matching row's index, in the view's order.
    pub matches: Memo<Vec<usize>>,
    /// The indices on the current page, the page shown and the number of pages.
    pub page: Memo<(Vec<usize>, usize, usize)>,
}

/// The rows a view shows, worked out once for the table and the pager.
pub fn use_shown(keys: UseKeys, view: UseView) -> Shown {
    // Sorted once per list and sort order; a search or filter only walks that order.
    let order = Memo::new(move |_| view.state.with(|s| (s.sort, s.descending)));
    let sorted = Memo::new(move |_| {
        let (sort, descending) = order.get();
        keys.rows.with(|rows| sort_all(rows, sort, descending))
    });
    let matches = Memo::new(move |_| {
        keys.rows
            .with(|rows| sorted.with(|o| view.state.with(|s| filter_sorted(rows, o, s))))
    });
    let page = Memo::new(move |_| matches.with(|m| view.state.with(|s| page_of(m, s))));
    let shown = Shown {
        order,
        matches,
        page,
    };
    provide_context(shown);
    shown
}

/// The table with its pager, or an empty state.
#[component]
pub fn KeyTable(
    keys: UseKeys,
    view: UseView,
    shown: Shown,
    roles: Memo<Vec<String>>,
    may_create: Memo<bool>,
) -> impl IntoView {
    let Shown {
        order,
        matches,
        page,
    } = shown;
    let tenant_empty = Memo::new(move |_| keys.rows.with(|r| r.is_empty()));
    let clusters = Memo::new(move |_| keys.facts().map(|f| f.clusters.clone()).unwrap_or_default());
    let announce = use_announcer();
    // A sort changes no text a screen reader is on: the new order is said.
    let sort_by = move |key: SortKey| {
        let next = view.state.get_untracked().sorted_by(key);
        let direction = if next.descending {
            "descending"
        } else {
            "ascending"
        };
        announce.say(format!("Sorted by {}, {direction}", key.label()));
        view.set.run((next, false));
    };

    let headings = move || {
        SortKey::ALL.map(|key| {
            // From the sort order alone, so typing does not touch the headings.
            let sort = move || match order.get() {
                (sort, _) if sort != key => "none",
                (_, true) => "descending",
                (_, false) => "ascending",
            };
            view! {
                <th scope="col" aria-sort=sort>
                    <button type="button" class="sort-button"
                        on:click=move |_| sort_by(key)>
                        {key.label()}
                        <span class="sort-icon" aria-hidden="true">
                            {move || match sort() { "ascending" => "▲", "descending" => "▼", _ => "↕" }}
                        </span>
                    </button>
                </th>
            }
        })
    };
    let empty_kind = Memo::new(move |_| {
        if tenant_empty.get() {
            Empty::Tenant
        } else if !matches.with(Vec::is_empty) {
            Empty::No
        } else if view.state.with(|s| !s.is_filtered() && !s.shows_deleted()) {
            Empty::AllDeleted
        } else {
            Empty::NoMatch
        }
    });
    // Shows the deleted keys too, from a panel that says some are hidden.
    let show_deleted = move |_| {
        let state = view.state.get_untracked();
        view.set.run((
            ViewState {
                show_deleted: true,
                page: 1,
                ..state
            },
            false,
        ));
        // The button goes with the panel: the box that says (and undoes) what it did
        // takes the focus, or the search while the toolbar is not live yet.
        focus_first_of(&[SHOW_DELETED_ID, SEARCH_ID]);
    };
    // Only while the panel that says it shows.
    let hidden = Memo::new(move |_| {
        if empty_kind.get() != Empty::NoMatch {
            return 0;
        }
        keys.rows
            .with(|rows| view.state.with(|s| hidden_deleted_matches(rows, s)))
    });
    let said = move || match hidden.get() {
        0 => "Nothing matches the current search and filters.".to_owned(),
        1 => "No key in use matches; a deleted key does.".to_owned(),
        n => format!("No key in use matches; {n} deleted keys do."),
    };
    // What a screen reader hears of the empty state: its words, not its heading and buttons
    // read out with them, again whenever the words change.
    let heard = move || match empty_kind.get() {
        Empty::No => String::new(),
        Empty::Tenant => format!("{TENANT_EMPTY}."),
        Empty::AllDeleted => format!("{ALL_DELETED}. {ALL_DELETED_WHY}"),
        Empty::NoMatch => format!("{NO_MATCH}. {}", said()),
    };
    let empty = move || {
        match empty_kind.get() {
        Empty::No => ().into_any(),
        Empty::Tenant => view! {
            <div class="panel empty-state">
                <h2>{TENANT_EMPTY}</h2>
                <p>"API keys let your applications encrypt and decrypt data through an Arx."</p>
                <Show when=move || may_create.get()>
                    <a href=links::NEW_KEY class="button">"Create your first API key"</a>
                </Show>
            </div>
        }
        .into_any(),
        // Deleted keys are hidden by default: a tenant with only those has none in use.
        Empty::AllDeleted => {
            view! {
                <div class="panel empty-state" data-testid="all-deleted">
                    <h2>{ALL_DELETED}</h2>
                    <p>{ALL_DELETED_WHY}</p>
                    <div class="empty-actions">
                        <Show when=move || may_create.get()>
                            <a href=links::NEW_KEY class="button">"Create an API key"</a>
                        </Show>
                        <button type="button" class="button secondary" on:click=show_deleted>"Show deleted keys"</button>
                    </div>
                </div>
            }
            .into_any()
        }
        Empty::NoMatch => {
            let clear = move |_| {
                let cleared = view.state.get_untracked().cleared();
                view.set.run((cleared, false));
                // The button goes with the panel: the search is where the person goes on.
                focus_first_of(&[SEARCH_ID]);
            };
            view! {
                <div class="panel empty-state" data-testid="no-results">
                    <h2>{NO_MATCH}</h2>
                    <p>{said}</p>
                    <div class="empty-actions">
                        <Show when=move || { hidden.get() > 0 }>
                            <button type="button" class="button" on:click=show_deleted>"Show deleted keys"</button>
                        </Show>
                        <button type="button" class="button secondary" on:click=clear>"Clear filters"</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
    };
    // Whether the table's view is still on the page: not when its rows go with it.
    let table_lives = StoredValue::new(());
    // One line per place on the page, each shown while the page has a row there: a new page
    // or search updates the lines' text in place (see `KeyLine`), and only a new page size
    // builds them anew. Positions need no keyed diff, so `For` is not used.
    let size = Memo::new(move |_| view.state.with(ViewState::rows_per_page));
    let count = Memo::new(move |_| page.with(|p| p.0.len()));
    let lines = move || {
        (0..size.get())
            .map(|n| {
                view! {
                    <Show when=move || { count.get() > n }>
                        <KeyLine n keys shown clusters roles url=view.url/>
                    </Show>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        // A live region that stays: a search that finds nothing is said, not only shown.
        <p class="visually-hidden" role="status" data-testid="empty-said">{heard}</p>
        {empty}
        <Show when=move || !matches.with(Vec::is_empty)>
            {keep_focus_when_the_rows_go(table_lives)}
            <div class="table-wrap">
                <table class="keys-table">
                    <caption class="visually-hidden">"API keys of this tenant"</caption>
                    <thead><tr>{headings()}<th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        {lines}
                    </tbody>
                </table>
            </div>
            <LivePager/>
        </Show>
    }
}

/// The empty states' headings (and why every key is hidden), shown and said alike.
const TENANT_EMPTY: &str = "No API keys yet";
const ALL_DELETED: &str = "No API keys in use";
const ALL_DELETED_WHY: &str = "Every API key of this tenant has been deleted.";
const NO_MATCH: &str = "No keys match";

/// Which empty state the table shows, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Empty {
    /// Rows to show.
    No,
    /// The tenant has no key at all.
    Tenant,
    /// Every key is deleted, and deleted keys are hidden.
    AllDeleted,
    /// The search and filters match nothing.
    NoMatch,
}

/// The last row gone from under the focus (the only match settled out of the view: deleted, or
/// out of a status filter), the focus goes on to the empty state that takes the table's place,
/// else to the search, rather than to the document's start. Not when the rows go with the
/// dashboard (`table_lives` gone): the next page's arrival places the focus.
fn keep_focus_when_the_rows_go(table_lives: StoredValue<()>) {
    on_cleanup(move || {
        let inside = document()
            .active_element()
            .and_then(|a| a.closest(".table-wrap, .pager").ok().flatten())
            .is_some();
        if !inside {
            return;
        }
        // Once the empty state is drawn, if nothing took the focus meanwhile (a page followed).
        request_animation_frame(move || {
            if table_lives.try_get_value().is_none() || !crate::focus::focus_lost() {
                return;
            }
            let first = document()
                .query_selector(".empty-state a[href], .empty-state button")
                .ok()
                .flatten();
            match first {
                Some(el) => {
                    crate::focus::focus(&el, false);
                }
                None => focus_first_of(&[SEARCH_ID]),
            }
        });
    });
}

/// Focuses the first element of `ids` that is on the page.
pub(super) fn focus_first_of(ids: &[&str]) {
    if let Some(el) = ids.iter().find_map(|id| document().get_element_by_id(id)) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
