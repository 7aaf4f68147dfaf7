//! `/`: the tenant's API keys, with counts, search, filters, sort, paging and live status.

pub mod query;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use platform_types::{Acl, ApiKey, ApiKeys, Arx, KeyStatus};
use wasm_bindgen::JsCast;

use crate::api::retry::next_poll_delay_ms;
use crate::api::{use_api_client, ApiError};
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::PageSkeleton;
use crate::components::status_badge::StatusBadge;
use crate::key_events::use_key_events;
use crate::permissions::{create_permission, delete_permission};
use crate::session::use_session;
use crate::time;
use crate::timer::sleep_ms;
use query::{
    filter_sorted, page_of, sort_all, Row, Rows, SortKey, ViewState, PAGE_SIZES, STATUS_FILTERS,
};

/// Refetch on focus when the data is older than this.
const STALE_AFTER_MS: f64 = 30_000.0;
/// A pause in typing this long writes the search to the URL.
const SEARCH_TO_URL_MS: u64 = 300;

/// The list as loaded, prepared for the view.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Rows, prepared for search and sort.
    pub rows: Rows,
    /// The collection ACL.
    pub acl: Acl,
    /// Applications (id, name) for the filter.
    pub applications: Vec<(String, String)>,
    /// Arx by id, for details in the rows and the filter.
    pub clusters: Arc<HashMap<String, Arx>>,
    /// When it was fetched.
    pub fetched_at: f64,
}

impl Loaded {
    /// Prepares a `GET /keys` answer.
    pub fn new(data: ApiKeys) -> Self {
        Self {
            applications: data
                .model
                .applications
                .iter()
                .map(|a| (a.id.clone(), a.display_name().to_owned()))
                .collect(),
            clusters: Arc::new(
                data.model
                    .clusters
                    .into_iter()
                    .map(|c| (c.id.clone(), c))
                    .collect(),
            ),
            rows: data
                .api_keys
                .into_iter()
                .filter(|k| !k.id.is_empty())
                .map(Row::new)
                .collect(),
            acl: data.acl,
            fetched_at: time::now_ms(),
        }
    }

    /// (total, active, deleted), counted from the rows so live updates keep them right.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s: KeyStatus| self.rows.iter().filter(|r| r.key.status == s).count();
        (
            self.rows.len(),
            count(KeyStatus::Active),
            count(KeyStatus::Deleted),
        )
    }
}

/// The dashboard's data, shared with dialogs routed over it.
#[derive(Clone, Copy)]
pub struct KeysContext {
    data: RwSignal<Option<Result<Loaded, ApiError>>>,
    /// Fetches the list again.
    pub reload: Callback<()>,
}

impl KeysContext {
    /// The key with `id`, if the list has it.
    pub fn find(&self, id: &str) -> Option<ApiKey> {
        self.data.with_untracked(|d| match d {
            Some(Ok(l)) => l
                .rows
                .iter()
                .find(|r| r.key.id == id)
                .map(|r| r.key.clone()),
            _ => None,
        })
    }

    /// Puts a fresher copy of a key into its row at once.
    pub fn apply(&self, key: ApiKey) {
        self.data.update(|d| {
            if let Some(Ok(l)) = d {
                l.rows.upsert(key);
            }
        });
    }
}

/// Query string for a view state, `?a=b&…` or empty.
pub fn query_string(state: &ViewState) -> String {
    let pairs = state.to_query();
    if pairs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", crate::api::segment(&v)))
        .collect();
    format!("?{}", parts.join("&"))
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let client = use_api_client();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let url_state = Memo::new(move |_| query.with(|q| ViewState::from_query(|k| q.get(k))));
    // The search as typed, with the URL state it was typed over. It applies to the view at once
    // and reaches the URL when typing pauses, on Enter or when the field loses focus: a history
    // entry update on every keystroke costs more than the filtering. Once the URL moves on (this
    // catching up, a filter, Back), the typed text no longer applies and the URL is the truth.
    let typed = RwSignal::new(None::<(ViewState, String)>);
    let view_state = Memo::new(move |_| {
        let mut s = url_state.get();
        typed.with(|t| {
            if let Some((_, q)) = t.as_ref().filter(|(base, _)| *base == s) {
                s.search = q.clone();
                s.page = 1;
            }
        });
        s
    });
    let data = RwSignal::new(None::<Result<Loaded, ApiError>>);
    let loading = RwSignal::new(false);
    let owner = Owner::current();

    let reload = {
        let client = client.clone();
        Callback::new(move |_: ()| {
            if loading.get_untracked() {
                return;
            }
            loading.set(true);
            let client = client.clone();
            spawn_local_scoped_with_cancellation(async move {
                let result = client.list_keys().await.map(Loaded::new);
                // Keep showing the old list if a background refresh fails.
                let keep_old = result.is_err() && matches!(data.get_untracked(), Some(Ok(_)));
                if !keep_old {
                    data.set(Some(result));
                }
                loading.set(false);
                // The other pages' code, once the keys are on screen and the browser is idle.
                crate::routes::prefetch();
            });
        })
    };
    reload.run(());
    provide_context(KeysContext { data, reload });

    // Live provisioning: poll pending keys with backoff, updating their rows in place.
    let pending_ids = Memo::new(move |_| {
        data.with(|d| match d {
            Some(Ok(l)) => l
                .rows
                .iter()
                .filter(|r| r.key.status == KeyStatus::Pending)
                .map(|r| r.key.id.clone())
                .collect::<Vec<_>>(),
            _ => vec![],
        })
    });
    let polling = StoredValue::new(false);
    let first_delay = client.config().poll_interval_ms;
    {
        let client = client.clone();
        Effect::new(move |_| {
            if pending_ids.with(Vec::is_empty) || polling.get_value() {
                return;
            }
            polling.set_value(true);
            let client = client.clone();
            let task = async move {
                let mut delay = first_delay;
                loop {
                    sleep_ms(delay).await;
                    let ids = pending_ids.get_untracked();
                    if ids.is_empty() {
                        break;
                    }
                    for id in ids {
                        if let Ok(key) = client.get_key(&id).await {
                            data.update(|d| {
                                // A key gone from the list meanwhile is not put back.
                                if let Some(Ok(l)) = d {
                                    let _ = l.rows.replace(key);
                                }
                            });
                        }
                    }
                    delay = next_poll_delay_ms(delay);
                }
                polling.set_value(false);
            };
            // The page's owner, not the effect's: the poller lives as long as the page.
            match &owner {
                Some(o) => o.with(|| spawn_local_scoped_with_cancellation(task)),
                None => spawn_local_scoped_with_cancellation(task),
            }
        });
    }

    // Freshness: back to the tab after a while, or another tab changed a key.
    let on_focus = window_event_listener(ev::focus, move |_| {
        let stale = data.with_untracked(|d| match d {
            Some(Ok(l)) => time::now_ms() - l.fetched_at > STALE_AFTER_MS,
            _ => false,
        });
        if stale {
            reload.run(());
        }
    });
    on_cleanup(move || on_focus.remove());
    use_key_events(move |_| reload.run(()));

    let set_view = {
        let navigate = navigate.clone();
        move |state: ViewState, replace: bool| {
            navigate(
                &format!("/{}", query_string(&state)),
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };

    let typed_timer = StoredValue::new(None::<TimeoutHandle>);
    let cancel_timer = move || {
        if let Some(h) = typed_timer.try_update_value(Option::take).flatten() {
            h.clear();
        }
    };
    let commit_search = {
        let set_view = set_view.clone();
        Callback::new(move |_: ()| {
            cancel_timer();
            let current = url_state.get_untracked();
            if let Some((_, q)) = typed.get_untracked().filter(|(base, _)| *base == current) {
                set_view(
                    ViewState {
                        search: q,
                        page: 1,
                        ..current
                    },
                    true,
                );
            }
        })
    };
    let on_search = Callback::new(move |text: String| {
        typed.set(Some((url_state.get_untracked(), text)));
        cancel_timer();
        let handle = set_timeout_with_handle(
            move || commit_search.run(()),
            Duration::from_millis(SEARCH_TO_URL_MS),
        )
        .ok();
        typed_timer.set_value(handle);
    });
    on_cleanup(cancel_timer);

    let roles = Memo::new(move |_| session.roles());
    let may_create = Memo::new(move |_| {
        data.with(|d| match d {
            Some(Ok(l)) => create_permission(Some(&l.acl), &roles.get()).is_allowed(),
            _ => false,
        })
    });
    let has_data =
        Memo::new(move |_| matches!(data.with(|d| d.as_ref().map(|r| r.is_ok())), Some(true)));

    // What the body shows: loading, an error, or the table. A Memo, so a refetch or a poll
    // that changes rows updates the table in place instead of rebuilding it.
    let phase = Memo::new(move |_| data.with(|d| d.as_ref().map(|r| r.as_ref().err().cloned())));
    let body = {
        let set_view = set_view.clone();
        move || match phase.get() {
            None => view! { <PageSkeleton/> }.into_any(),
            Some(Some(error)) => view! {
                <ErrorPanel title="The API keys could not be loaded" error on_retry=reload/>
            }
            .into_any(),
            Some(None) => view! {
                <KeyTable data view_state url_state set_view=set_view.clone() on_search
                    commit_search roles may_create/>
            }
            .into_any(),
        }
    };

    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <div class="page-head">
                <h1 id="dashboard-title">"API keys"</h1>
                <Show when=move || may_create.get()>
                    <A href="/keys/new/application" attr:class="button" attr:data-testid="create-key">
                        "Create API key"
                    </A>
                </Show>
            </div>
            <Show when=move || has_data.get()>
                <Insights data/>
            </Show>
            {body}
            <Outlet/>
        </section>
    }
}

/// The counts above the table.
#[component]
fn Insights(data: RwSignal<Option<Result<Loaded, ApiError>>>) -> impl IntoView {
    let counts = Memo::new(move |_| {
        data.with(|d| match d {
            Some(Ok(l)) => l.counts(),
            _ => (0, 0, 0),
        })
    });
    view! {
        <dl class="insights" aria-label="Key counts">
            <div class="insight"><dt>"Total"</dt><dd data-testid="count-total">{move || counts.get().0}</dd></div>
            <div class="insight"><dt>"Active"</dt><dd data-testid="count-active">{move || counts.get().1}</dd></div>
            <div class="insight"><dt>"Deleted"</dt><dd data-testid="count-deleted">{move || counts.get().2}</dd></div>
        </dl>
    }
}

/// Toolbar, table and pager over the loaded keys.
#[component]
fn KeyTable<F>(
    data: RwSignal<Option<Result<Loaded, ApiError>>>,
    view_state: Memo<ViewState>,
    /// The view as the URL has it (without a search still being typed).
    url_state: Memo<ViewState>,
    set_view: F,
    on_search: Callback<String>,
    commit_search: Callback<()>,
    roles: Memo<Vec<String>>,
    may_create: Memo<bool>,
) -> impl IntoView
where
    F: Fn(ViewState, bool) + Clone + Send + Sync + 'static,
{
    // Sorted once per list and sort order; a search or filter only walks that order.
    let order = Memo::new(move |_| view_state.with(|s| (s.sort, s.descending)));
    let sorted = Memo::new(move |_| {
        let (sort, descending) = order.get();
        data.with(|d| match d {
            Some(Ok(l)) => sort_all(&l.rows, sort, descending),
            _ => vec![],
        })
    });
    let matches = Memo::new(move |_| {
        data.with(|d| match d {
            Some(Ok(l)) => sorted.with(|o| view_state.with(|s| filter_sorted(&l.rows, o, s))),
            _ => vec![],
        })
    });
    let page = Memo::new(move |_| matches.with(|m| view_state.with(|s| page_of(m, s))));
    let clusters = Memo::new(move |_| {
        data.with(|d| match d {
            Some(Ok(l)) => l.clusters.clone(),
            _ => Arc::new(HashMap::new()),
        })
    });
    let applications = Memo::new(move |_| {
        data.with(|d| match d {
            Some(Ok(l)) => l.applications.clone(),
            _ => vec![],
        })
    });
    let tenant_empty =
        Memo::new(move |_| data.with(|d| matches!(d, Some(Ok(l)) if l.rows.is_empty())));

    // One handler shape for the three select filters: set the value, back to page 1.
    let select_filter = {
        let set_view = set_view.clone();
        move |apply: fn(&mut ViewState, Option<String>)| {
            let sv = set_view.clone();
            move |ev: ev::Event| {
                let v = event_target_value(&ev);
                let mut s = view_state.get_untracked();
                apply(&mut s, (!v.is_empty()).then_some(v));
                s.page = 1;
                sv(s, false);
            }
        }
    };
    let on_status = select_filter(|s, v| s.status = v);
    let on_app = select_filter(|s, v| s.application = v);
    let on_arx = select_filter(|s, v| s.arx = v);
    let sv = set_view.clone();
    let on_deleted = move |ev: ev::Event| {
        sv(
            ViewState {
                show_deleted: event_target_checked(&ev),
                page: 1,
                ..view_state.get_untracked()
            },
            false,
        );
    };
    let sv = set_view.clone();
    let clear = move |_| sv(view_state.get_untracked().cleared(), false);
    let sv = set_view.clone();
    let on_size = move |ev: ev::Event| {
        let size = event_target_value(&ev).parse().unwrap_or(25);
        sv(
            ViewState {
                page_size: size,
                page: 1,
                ..view_state.get_untracked()
            },
            false,
        );
    };
    let sv = set_view.clone();
    let go_page = move |delta: isize| {
        let (_, current, pages) = page.get_untracked();
        let next = (current as isize + delta).clamp(1, pages as isize) as usize;
        sv(
            ViewState {
                page: next,
                ..view_state.get_untracked()
            },
            false,
        );
    };
    let go_prev = {
        let g = go_page.clone();
        move |_| g(-1)
    };
    let go_next = move |_| go_page(1);

    let sv_headers = set_view.clone();
    let headers = move || {
        SortKey::ALL.map(|key| {
        let sv = sv_headers.clone();
        // From the sort order alone, so typing does not touch the headings.
        let sort = move || match order.get() {
            (sort, _) if sort != key => "none",
            (_, true) => "descending",
            (_, false) => "ascending",
        };
        view! {
            <th scope="col" aria-sort=sort>
                <button type="button" class="sort-button"
                    on:click=move |_| sv(view_state.get_untracked().sorted_by(key), false)>
                    {key.label()}
                    <span class="sort-icon" aria-hidden="true">
                        {move || match sort() { "ascending" => "▲", "descending" => "▼", _ => "↕" }}
                    </span>
                </button>
            </th>
        }
    })
    };
    // "/" goes to the search, as in most consoles; not while typing in a field or over a dialog.
    let slash = window_event_listener(ev::keydown, move |e| {
        let plain = e.key() == "/" && !(e.ctrl_key() || e.meta_key() || e.alt_key());
        if !plain || e.default_prevented() || typing_or_in_dialog(&e) {
            return;
        }
        let field = document().get_element_by_id("key-search");
        if let Some(field) = field.and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            e.prevent_default();
            let _ = field.focus();
            field.select();
        }
    });
    on_cleanup(move || slash.remove());
    let now = time::now_ms();
    view! {
        <div class="toolbar" role="search">
            <div class="field search-field">
                <label for="key-search">"Search" <kbd class="shortcut" aria-hidden="true">"/"</kbd></label>
                <input id="key-search" type="search" placeholder="API key, application, Arx or creator"
                    autocomplete="off" spellcheck="false" aria-keyshortcuts="/"
                    prop:value=move || view_state.with(|s| s.search.clone())
                    on:input=move |ev| on_search.run(event_target_value(&ev))
                    on:change=move |_| commit_search.run(())/>
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" on:change=on_status
                    prop:value=move || view_state.with(|s| s.status.clone().unwrap_or_default())>
                    <option value="">"All statuses"</option>
                    {STATUS_FILTERS.map(|s| view! { <option value=s>{crate::components::status_badge::status_label(&KeyStatus::parse(s))}</option> })}
                </select>
            </div>
            <div class="field">
                <label for="filter-app">"Application"</label>
                <select id="filter-app" on:change=on_app
                    prop:value=move || view_state.with(|s| s.application.clone().unwrap_or_default())>
                    <option value="">"All applications"</option>
                    <For each=move || applications.get() key=|a| a.0.clone() let:a>
                        <option value=a.0.clone()>{a.1.clone()}</option>
                    </For>
                </select>
            </div>
            <div class="field">
                <label for="filter-arx">"Arx"</label>
                <select id="filter-arx" on:change=on_arx
                    prop:value=move || view_state.with(|s| s.arx.clone().unwrap_or_default())>
                    <option value="">"All Arx"</option>
                    <For each=move || {
                        let mut v: Vec<(String, String)> = clusters.get().values().map(|c| (c.id.clone(), c.display_name().to_owned())).collect();
                        v.sort_by(|a, b| a.1.cmp(&b.1));
                        v
                    } key=|a| a.0.clone() let:a>
                        <option value=a.0.clone()>{a.1.clone()}</option>
                    </For>
                </select>
            </div>
            <label class="checkbox">
                <input type="checkbox" on:change=on_deleted
                    prop:checked=move || view_state.with(|s| s.show_deleted)/>
                " Show deleted"
            </label>
        </div>
        {move || {
            if tenant_empty.get() {
                return view! {
                    <div class="panel empty-state">
                        <h2>"No API keys yet"</h2>
                        <p>"API keys let your applications encrypt and decrypt data through an Arx."</p>
                        <Show when=move || may_create.get()>
                            <A href="/keys/new/application" attr:class="button">"Create your first API key"</A>
                        </Show>
                    </div>
                }.into_any();
            }
            if matches.with(Vec::is_empty) {
                let clear = clear.clone();
                return view! {
                    <div class="panel empty-state" data-testid="no-results">
                        <h2>"No keys match"</h2>
                        <p>"Nothing matches the current search and filters."</p>
                        <button type="button" class="button secondary" on:click=clear>"Clear filters"</button>
                    </div>
                }.into_any();
            }
            ().into_any()
        }}
        <Show when=move || !matches.with(Vec::is_empty)>
            <div class="table-wrap">
                <table class="keys-table">
                    <caption class="visually-hidden">"API keys of this tenant"</caption>
                    <thead><tr>{headers()}<th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        // One long-lived line per visible row, keyed by position: a new page or
                        // search updates the lines' text in place (see `KeyLine`).
                        <For each=move || 0..page.with(|p| p.0.len()) key=|n| *n let:n>
                            <KeyLine n data page clusters roles url_state now/>
                        </For>
                    </tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Pages">
                <span class="muted" role="status">{move || {
                    let total = matches.with(Vec::len);
                    let (_, p, _) = page.get();
                    let size = view_state.with(|s| s.page_size);
                    let from = (p - 1) * size + 1;
                    let to = (p * size).min(total);
                    format!("Showing {from}–{to} of {total}")
                }}</span>
                <label class="inline">
                    "Rows per page "
                    <select on:change=on_size.clone() prop:value=move || view_state.with(|s| s.page_size.to_string())>
                        {PAGE_SIZES.map(|n| view! { <option value=n.to_string()>{n}</option> })}
                    </select>
                </label>
                <button type="button" class="button secondary small" on:click=go_prev.clone()
                    disabled=move || page.get().1 <= 1>"Previous"</button>
                <span>{move || { let (_, p, n) = page.get(); format!("Page {p} of {n}") }}</span>
                <button type="button" class="button secondary small" on:click=go_next.clone()
                    disabled=move || { let (_, p, n) = page.get(); p >= n }>"Next"</button>
            </nav>
        </Show>
    }
}

/// Whether a key press belongs to a field being typed in, or to a dialog that holds the focus.
fn typing_or_in_dialog(e: &web_sys::KeyboardEvent) -> bool {
    let in_field = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| {
            el.closest("input, textarea, select, [contenteditable]")
                .ok()
        })
        .flatten()
        .is_some();
    in_field
        || document()
            .query_selector("[aria-modal=true]")
            .ok()
            .flatten()
            .is_some()
}

/// What one line of the table shows for a key, worked out when the key on the line changes.
#[derive(Debug, Clone, PartialEq, Default)]
struct LineView {
    id: String,
    status: KeyStatus,
    access: String,
    application: String,
    arx: String,
    /// The Arx's purpose and regions.
    arx_detail: String,
    created: time::Shown,
    last_used: Option<time::Shown>,
    creator: String,
    may_delete: bool,
}

impl LineView {
    fn new(row: &Row, clusters: &HashMap<String, Arx>, roles: &[String], now: f64) -> Self {
        let arx_detail = clusters
            .get(&row.key.cluster_id)
            .map(|a| {
                let regions: Vec<&str> = a.regions.iter().map(|r| r.display_name()).collect();
                [a.purpose.display_name().to_owned(), regions.join(", ")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .unwrap_or_default();
        Self {
            id: row.key.id.clone(),
            status: row.key.status.clone(),
            access: row.key.access_key.clone(),
            application: row.application.clone(),
            arx: row.arx.clone(),
            arx_detail,
            created: time::show(&row.key.created_at, now),
            last_used: row.key.last_used_at.as_deref().map(|t| time::show(t, now)),
            creator: row.creator.clone(),
            may_delete: delete_permission(&row.key, roles).is_allowed(),
        }
    }
}

/// Line `n` of the table: shows whichever key is `n`th on the current page.
///
/// Lines live as long as the table and are keyed by position, so typing a search or turning a
/// page updates text and attributes in place instead of dropping and building rows (building a
/// row is dozens of DOM calls and a style pass; a text update is one). Only the status badge is
/// rebuilt, when the status on the line changes. The page-wide signals a line reads live as
/// long as the line does.
#[component]
fn KeyLine(
    n: usize,
    data: RwSignal<Option<Result<Loaded, ApiError>>>,
    page: Memo<(Vec<usize>, usize, usize)>,
    clusters: Memo<Arc<HashMap<String, Arx>>>,
    roles: Memo<Vec<String>>,
    url_state: Memo<ViewState>,
    now: f64,
) -> impl IntoView {
    let index = Memo::new(move |_| page.with(|p| p.0.get(n).copied()));
    let line = Memo::new(move |_| {
        let i = index.get();
        data.with(|d| match (d, i) {
            (Some(Ok(l)), Some(i)) => l
                .rows
                .get(i)
                .map(|row| clusters.with(|c| roles.with(|r| LineView::new(row, c, r, now)))),
            _ => None,
        })
        .unwrap_or_default()
    });
    let text = move |get: fn(&LineView) -> &str| move || line.with(|l| get(l).to_owned());
    let id = Memo::new(move |_| line.with(|l| l.id.clone()));
    let status = Memo::new(move |_| line.with(|l| l.status.clone()));
    let may_delete = Memo::new(move |_| line.with(|l| l.may_delete));
    let access = Memo::new(move |_| line.with(|l| l.access.clone()));
    let created = Memo::new(move |_| line.with(|l| l.created.clone()));
    let used = Memo::new(move |_| line.with(|l| l.last_used.is_some()));
    let last_used = Memo::new(move |_| line.with(|l| l.last_used.clone().unwrap_or_default()));
    let detail_href = move || format!("/keys/{}", crate::api::segment(&id.get()));
    // Back to the same view after a delete. The URL's view, not the one being typed: a search
    // reaches the URL when typing pauses or the field loses focus (as it does before a click
    // lands on this link), and 25 links need not be rewritten on every keystroke.
    let delete_href = move || {
        format!(
            "/keys/{}/delete{}",
            crate::api::segment(&id.get()),
            url_state.with(query_string)
        )
    };
    view! {
        <tr data-key-id=move || id.get() data-status=move || status.with(|s| s.as_str().to_owned())>
            <td class="access-key">
                <code class="mono">{text(|l| &l.access)}</code>
                // Follows the line's key: the label changes with it, and a shown outcome
                // ("Copied") goes back to "Copy" (the button checks while it shows one).
                <CopyButton text=access label=Signal::derive(move || format!("Copy API key {}", access.get()))/>
            </td>
            <td>{text(|l| &l.application)}</td>
            <td>
                <div>{text(|l| &l.arx)}</div>
                <div class="muted small">{text(|l| &l.arx_detail)}</div>
            </td>
            <td>{move || view! { <StatusBadge status=status.get()/> }}</td>
            <td><TimeText shown=created/></td>
            <td>{text(|l| &l.creator)}</td>
            <td>
                <Show when=move || used.get()
                    fallback=|| view! { <span class="muted" aria-label="Never used or not reported">"—"</span> }>
                    <TimeText shown=last_used/>
                </Show>
            </td>
            <td class="row-actions">
                // Plain links: the router handles their clicks; `A` would add memos on the
                // location that a line never needs (no line's link is the current page).
                // Named by aria-label, not by hidden text: an attribute change needs no layout,
                // and a keystroke that changes every line would otherwise lay out 50 more boxes.
                <a href=detail_href class="link" aria-label=move || format!("Details of {}", access.get())>"Details"</a>
                <Show when=move || may_delete.get()>
                    <a href=delete_href class="link danger" data-testid="delete-key"
                        aria-label=move || format!("Delete {}", access.get())>"Delete"</a>
                </Show>
            </td>
        </tr>
    }
}

/// A relative time with the exact time on hover and keyboard focus.
#[component]
pub fn TimeText(#[prop(into)] shown: Signal<time::Shown>) -> impl IntoView {
    let exact = move || shown.with(|s| s.exact.clone());
    view! {
        <span class="time-text" tabindex="0" title=exact>
            {move || shown.with(|s| s.relative.clone())}
            <span class="tip" role="tooltip">{exact}</span>
        </span>
    }
}
