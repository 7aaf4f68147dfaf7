//! `/`: the tenant's API keys, with counts, search, filters, sort, paging and live status; the
//! delete dialog is routed over it.

pub mod delete_dialog;
mod insights;
pub mod kept;
mod key_line;
mod live;
mod local_changes;
mod pager;
mod place;
pub mod rows;
mod search_index;
mod table;
mod toolbar;
mod tools;
pub mod use_keys;
pub mod use_view;
pub mod view_state;

use leptos::prelude::*;

use crate::components::load::Load;
use crate::links;
use crate::permissions::create_permission;
use crate::routes::{current_route, delete_dialog, Route};
use crate::session::use_session;
use insights::Insights;
use table::{use_shown, KeyTable};
use tools::LiveToolbar;
use use_keys::use_keys;
use use_view::use_view;

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let keys = use_keys();
    let view = use_view();
    provide_context(view);
    let shown = use_shown(keys, view);
    let session = use_session();
    let roles = Memo::new(move |_| session.roles());
    // The list's ACL decides once it is here. A list that could not be read leaves the roles
    // to decide, so that Create stays within reach while the list is down (the platform decides
    // again on create); while it loads, nothing is offered that the ACL might withdraw.
    let create = Memo::new(move |_| match keys.list.get() {
        Some(Ok(f)) => Some(create_permission(Some(&f.acl), &roles.get())),
        Some(Err(_)) => Some(create_permission(None, &roles.get())),
        None => None,
    });
    let may_create =
        Memo::new(move |_| create.with(|p| p.as_ref().is_some_and(|p| p.is_allowed())));
    // Said once, so that a person who only views knows why there is nothing to create or delete.
    let view_only = move || {
        create.with(|p| {
            p.as_ref()
                .and_then(|p| p.reason())
                .map(|r| format!("You can view API keys. {r}"))
        })
    };
    let route = current_route();
    let deleting = Memo::new(move |_| match route.get() {
        Route::Dashboard { delete } => delete,
        _ => None,
    });
    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <div class="page-head">
                <h1 id="dashboard-title">"API keys"</h1>
                <Show when=move || may_create.get()>
                    <a href=links::NEW_KEY class="button" data-testid="create-key">
                        "Create API key"
                    </a>
                </Show>
            </div>
            {move || view_only().map(|text| view! { <p class="muted view-only" data-testid="view-only">{text}</p> })}
            <Load resource=keys.list title="The API keys could not be loaded">
                <Insights rows=keys.rows/>
                <LiveToolbar/>
                <KeyTable keys view shown roles may_create/>
            </Load>
            {move || deleting.get().map(|_| delete_dialog())}
        </section>
    }
}
