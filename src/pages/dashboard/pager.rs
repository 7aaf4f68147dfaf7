//! Which rows of how many, rows per page, and the way between pages.

use leptos::ev;
use leptos::html::Button;
use leptos::prelude::*;

use super::table::Shown;
use super::use_view::UseView;
use super::view_state::{ViewState, PAGE_SIZES};
use crate::components::announcer::use_announcer;
use crate::routes::{current_route, Route};

/// The pager under the key table.
#[component]
pub fn Pager(view: UseView, shown: Shown) -> impl IntoView {
    let page = shown.page;
    let (previous, next_button) = (NodeRef::<Button>::new(), NodeRef::<Button>::new());
    // The current view on page `n`; `replace`: in place of the current history entry.
    let to_page = move |n: usize, replace: bool| {
        let state = ViewState {
            page: n,
            ..view.state.get_untracked()
        };
        view.set.run((state, replace));
    };
    let go = move |delta: isize| {
        let (_, current, pages) = page.get_untracked();
        let next = (current as isize + delta).clamp(1, pages as isize) as usize;
        to_page(next, false);
        // At either end the button pressed turns disabled, which would drop the focus to the
        // page's start: it goes to the way back instead, once that is enabled (a task later).
        let other = match next {
            1 if pages > 1 => next_button,
            n if n == pages && pages > 1 => previous,
            _ => return,
        };
        set_timeout(
            move || {
                // `try_`: the pager may have gone in between.
                if let Some(button) = other.try_get_untracked().flatten() {
                    let _ = button.focus();
                }
            },
            std::time::Duration::ZERO,
        );
    };
    // A page past the last (its keys deleted, here or in another tab; an old link) shows the
    // last page, and the address is put right in place: Back does not return to a page that is
    // not there, and keys added later do not move the view to it. Not under the delete dialog,
    // whose address it is: changing it would close the dialog.
    let route = current_route();
    Effect::new(move |_| {
        let shown_page = page.with(|p| p.1);
        let on_the_list = route.with(|r| matches!(r, Route::Dashboard { delete: None }));
        if on_the_list && view.state.with_untracked(|s| s.page) != shown_page {
            to_page(shown_page, true);
        }
    });
    let on_size = move |ev: ev::Event| {
        let size = event_target_value(&ev).parse().unwrap_or(25);
        view.choose("page-size", |s| s.page_size = size);
    };
    let status = move || showing(view, shown);
    view! {
        <nav class="pager" aria-label="Pages">
            // Not a live region: it follows the search as it is typed ([`say_what_is_shown`]).
            <span class="muted pager-count">{status}</span>
            <label class="inline">
                "Rows per page "
                <select on:change=on_size prop:value=move || view.state.with(|s| s.page_size.to_string())>
                    {PAGE_SIZES.map(|n| view! { <option value=n.to_string()>{n}</option> })}
                </select>
            </label>
            // Together, so that a narrow window wraps them as one.
            <span class="pager-steps">
                <button type="button" class="button secondary small" node_ref=previous on:click=move |_| go(-1)
                    disabled=move || page.get().1 <= 1>"Previous"</button>
                <span>{move || { let (_, p, n) = page.get(); format!("Page {p} of {n}") }}</span>
                <button type="button" class="button secondary small" node_ref=next_button on:click=move |_| go(1)
                    disabled=move || { let (_, p, n) = page.get(); p >= n }>"Next"</button>
            </span>
        </nav>
    }
}

/// "Showing 26–50 of 60" (tracked).
fn showing(view: UseView, shown: Shown) -> String {
    let total = shown.matches.with(Vec::len);
    let (_, p, _) = shown.page.get();
    let size = view.state.with(|s| s.page_size);
    let from = (p - 1) * size + 1;
    let to = (p * size).min(total);
    format!("Showing {from}–{to} of {total}")
}

/// Says which rows the list shows once the view has settled (the search paused or left, a
/// filter, page or page size chosen), not on every keystroke; also when rows come back after a
/// search that matched none, where the pager is drawn anew. A new order is said by the sort
/// itself, and nothing matching by the table's empty state.
pub fn say_what_is_shown(view: UseView, shown: Shown) {
    let announce = use_announcer();
    Effect::new(move |before: Option<ViewState>| {
        let now = view.url.get();
        let Some(before) = before else {
            return now;
        };
        let order_only = ViewState {
            sort: before.sort,
            descending: before.descending,
            ..now.clone()
        } == before;
        if !order_only && shown.matches.with_untracked(|m| !m.is_empty()) {
            announce.say(untrack(|| showing(view, shown)));
        }
        now
    });
}
