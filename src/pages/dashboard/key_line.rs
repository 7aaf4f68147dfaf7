//! One line of the key table.

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::{Arx, KeyStatus};
use wasm_bindgen::JsCast;

use super::rows::Row;
use super::table::Shown;
use super::use_keys::UseKeys;
use super::view_state::ViewState;
use crate::components::copy_button::CopyButton;
use crate::components::status_badge::StatusBadge;
use crate::components::time_text::TimeText;
use crate::key_events::use_deleted_here;
use crate::links;
use crate::permissions::delete_permission;
use crate::time;

/// What one line shows for a key, worked out when the key on the line changes.
#[derive(Debug, Clone, PartialEq, Default)]
struct LineView {
    id: String,
    status: KeyStatus,
    access: String,
    /// What names the key in the line's labels: its API key, else its id.
    name: String,
    application: String,
    arx: String,
    /// The Arx's purpose and regions.
    arx_detail: String,
    created: time::Shown,
    last_used: Option<time::Shown>,
    creator: String,
    may_delete: bool,
    /// Pending because this tab deleted it.
    deleting: bool,
}

impl LineView {
    fn new(row: &Row, clusters: &[Arx], roles: &[String], now: f64, deleting: bool) -> Self {
        let arx_detail = clusters
            .iter()
            .find(|a| a.id == row.key.cluster_id)
            .map(|a| {
                let regions: Vec<&str> = a.regions.iter().map(|r| r.display_name()).collect();
                crate::shown::owned(
                    [a.purpose.display_name().to_owned(), regions.join(", ")]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                )
            })
            .unwrap_or_default();
        Self {
            id: row.key.id.clone(),
            status: row.key.status.clone(),
            access: row.key.access_key.clone(),
            name: row.key.access_key_or_id().to_owned(),
            application: row.application.clone(),
            arx: row.arx.clone(),
            arx_detail,
            created: time::show(&row.key.created_at, now),
            last_used: row.key.last_used_at.as_deref().map(|t| time::show(t, now)),
            creator: row.creator.clone(),
            may_delete: delete_permission(&row.key, roles).is_allowed(),
            deleting,
        }
    }
}

/// Line `n` of the table: shows whichever key is `n`th on the current page.
///
/// Lines live as long as the table and are keyed by position, so typing a search or turning a
/// page updates text and attributes in place instead of dropping and building rows (building a
/// row is dozens of DOM calls and a style pass; a text update is one). Only the status badge is
/// rebuilt, when the status on the line changes.
#[component]
pub fn KeyLine(
    n: usize,
    keys: UseKeys,
    shown: Shown,
    clusters: Memo<Arc<[Arx]>>,
    roles: Memo<Vec<String>>,
    /// The view as the URL has it, to come back to after a delete.
    url: Memo<ViewState>,
) -> impl IntoView {
    let index = Memo::new(move |_| shown.page.with(|p| p.0.get(n).copied()));
    let deleted_here = use_deleted_here();
    let line = Memo::new(move |_| {
        let i = index.get();
        keys.minute.track();
        // The clock as the line is built: a list read again shows its new keys as just made.
        let now = time::now_ms();
        keys.rows
            .with(|rows| {
                i.and_then(|i| rows.get(i)).map(|row| {
                    let deleting =
                        deleted_here.is_some_and(|d| d.deleting(&row.key.id, &row.key.status));
                    clusters.with(|c| roles.with(|r| LineView::new(row, c, r, now, deleting)))
                })
            })
            .unwrap_or_default()
    });
    let text = move |get: fn(&LineView) -> &str| move || line.with(|l| get(l).to_owned());
    let id = Memo::new(move |_| line.with(|l| l.id.clone()));
    let status = Memo::new(move |_| line.with(|l| l.status.clone()));
    let deleting = Memo::new(move |_| line.with(|l| l.deleting));
    let may_delete = Memo::new(move |_| line.with(|l| l.may_delete));
    let access = Memo::new(move |_| line.with(|l| l.access.clone()));
    let name = Memo::new(move |_| line.with(|l| l.name.clone()));
    let created = Memo::new(move |_| line.with(|l| l.created.clone()));
    let used = Memo::new(move |_| line.with(|l| l.last_used.is_some()));
    let last_used = Memo::new(move |_| line.with(|l| l.last_used.clone().unwrap_or_default()));
    let detail_href = move || links::key(&id.get());
    // Back to the same view after a delete: the URL's view, not the one being typed (a search
    // reaches the URL when the field loses focus, as it does before a click on this link), so
    // 25 links need not be rewritten on every keystroke.
    let delete_href = move || {
        let back = url.with(|u| crate::url::query(&u.to_query()));
        links::delete_key(&id.get(), &back)
    };
    let row = NodeRef::<leptos::html::Tr>::new();
    keep_focus_on_its_key(row, id);
    view! {
        <tr node_ref=row data-key-id=move || id.get() data-status=move || status.with(|s| s.as_str().to_owned())>
            <td class="access-key">
                // The contract lets a key (a failed one) have no API key: nothing to copy.
                <Show when=move || access.with(|a| !a.is_empty())
                    fallback=|| view! { <span class="muted">"None"</span> }>
                    <code class="mono">{text(|l| &l.access)}</code>
                    // Follows the line's key: the label changes with it, and a shown "Copied"
                    // goes back to "Copy" once the line stands for another key.
                    <CopyButton text=access label=Signal::derive(move || format!("Copy API key {}", access.get()))/>
                </Show>
            </td>
            // The labels head the cells where a phone shows each key as a card (style/app.css).
            <td data-label="Application"><span class="name">{text(|l| &l.application)}</span></td>
            <td data-label="Arx">
                <div class="name">{text(|l| &l.arx)}</div>
                <div class="muted small">{text(|l| &l.arx_detail)}</div>
            </td>
            <td data-label="Status">{move || view! { <StatusBadge status=status.get() deleting=deleting.get()/> }}</td>
            <td data-label="Created"><TimeText shown=created/></td>
            <td data-label="Created by"><span class="name">{text(|l| &l.creator)}</span></td>
            <td data-label="Last used">
                <Show when=move || used.get()
                    // Said in words, hidden from sight: a name (aria-label) on a plain span is
                    // not read out by every screen reader.
                    fallback=|| view! {
                        <span class="muted" aria-hidden="true">"—"</span>
                        <span class="visually-hidden">"Never used or not reported"</span>
                    }>
                    <TimeText shown=last_used/>
                </Show>
            </td>
            <td class="row-actions">
                // Plain links: the router handles their clicks; `A` would add memos on the
                // location that a line never needs. Named by aria-label, not by hidden text: an
                // attribute change needs no layout.
                <a href=detail_href class="link" aria-label=move || format!("Details of {}", name.get())>"Details"</a>
                {move || may_delete.get().then(|| {
                    // Gone from under the focus (the key turned pending: deleted elsewhere), the
                    // focus stays on the line, on its Details. Not when the line itself goes (its
                    // key left the page): the line's clean-up, after this one, takes the focus
                    // from here to this key's Delete on its new line.
                    let link = NodeRef::<leptos::html::A>::new();
                    on_cleanup(move || {
                        let line_stays = id.try_with_untracked(|id| !id.is_empty()).unwrap_or(false);
                        if line_stays && crate::focus::had_focus(link.try_get_untracked().flatten()) {
                            if let Some(details) = row.try_get_untracked().flatten().and_then(|tr| {
                                tr.query_selector("a.link:not(.danger)").ok().flatten()
                            }) {
                                crate::focus::focus(&details, true);
                            }
                        }
                    });
                    view! {
                        <a node_ref=link href=delete_href class="link danger" data-testid="delete-key" data-history-state=links::OPENED_FROM_LIST
                            aria-label=move || format!("Delete {}", name.get())>"Delete"</a>
                    }
                })}
            </td>
        </tr>
    }
}

/// When the key on this line changes under the focus (the list was read again while the person
/// was on one of its controls), moves the focus to the line that now shows that key, or to the
/// table if it has left the page ([`crate::focus::follow_key`]): otherwise Enter would act on
/// another key (copy its API key, open it) than the one the person chose.
fn keep_focus_on_its_key(row: NodeRef<leptos::html::Tr>, id: Memo<String>) {
    // The key this line showed last, for when the line itself goes: the page has a row fewer
    // (a key above left it), and this line's key may be one line up.
    let last = StoredValue::new(String::new());
    on_cleanup(move || {
        let key = last.try_get_value().unwrap_or_default();
        let Some((table, active)) = focus_on(row).filter(|_| !key.is_empty()) else {
            return;
        };
        // Once the lines that stay show their new keys (a task later): read now, the key would
        // still be on this line.
        set_timeout(
            move || {
                if table.is_connected() && crate::focus::focus_lost() {
                    follow_its_key(&table, &key, &active);
                }
            },
            std::time::Duration::ZERO,
        );
    });
    Effect::new(move |before: Option<String>| {
        let now = id.get();
        // Not the empty id of a line about to go (its key left the page): the one it showed.
        if !now.is_empty() {
            last.set_value(now.clone());
        }
        // Cheap checks first: this runs for every line on every keystroke of a search.
        let Some(before) = before.filter(|b| !b.is_empty() && *b != now) else {
            return now;
        };
        if let Some((table, active)) = focus_on(row) {
            follow_its_key(&table, &before, &active);
        }
        now
    });
}

/// The line's table and the focused control, when the focus is on the line.
fn focus_on(row: NodeRef<leptos::html::Tr>) -> Option<(web_sys::Element, web_sys::Element)> {
    let tr = row.try_get_untracked().flatten()?;
    let active = document().active_element()?;
    if !tr.contains(Some(&active)) {
        return None;
    }
    Some((tr.closest("table").ok().flatten()?, active))
}

/// Moves the focus from `control` to the same control of the line of `table` showing `key`.
fn follow_its_key(table: &web_sys::Element, key: &str, control: &web_sys::Element) {
    let target = crate::focus::follow_key(table, key, control);
    let _ = target.unchecked_into::<web_sys::HtmlElement>().focus();
}
