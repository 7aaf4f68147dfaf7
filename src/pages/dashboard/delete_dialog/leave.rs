//! Where the dialog goes when it closes, with or without a delete.

use leptos::prelude::*;

use crate::router::{NavigateOptions, Router};

/// Leaving the dialog; `deleted`: after a delete.
pub(super) fn leaving(
    router: Router,
    navigate: impl Fn(&str, NavigateOptions) + Clone + 'static,
) -> impl Fn(bool) + Clone + 'static {
    // Opened by a link of the page under it (the dashboard's line, the key's own page: its
    // entry is the one before this), a close without a delete goes back to it, so that Back
    // does not bring the dialog again; opened by the list's line, a delete too, so that the
    // list is one entry, not two of the same view. Otherwise (a link from elsewhere, an address
    // typed), and after a delete from the key's page, to the dashboard with the view it showed,
    // in place of the dialog's entry (whose dialog Back must not bring again).
    let opened_by = window()
        .history()
        .and_then(|h| h.state())
        .ok()
        .and_then(|s| s.as_string());
    let from_list = opened_by.as_deref() == Some(crate::links::OPENED_FROM_LIST);
    let opened_here = from_list || opened_by.as_deref() == Some(crate::links::OPENED_HERE);
    move |deleted: bool| {
        if opened_here && (!deleted || from_list) {
            if let Ok(history) = window().history() {
                let _ = history.back();
                return;
            }
        }
        let q = router.with_untracked(|a| a.search.clone());
        navigate(
            &format!("{}{q}", crate::links::DASHBOARD),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}
