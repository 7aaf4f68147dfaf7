//! Search and filters above the key table; "/" goes to the search from anywhere on the page.

use leptos::ev;
use leptos::prelude::*;
use platform_types::KeyStatus;
use wasm_bindgen::JsCast;

use super::tools::Typed;
use super::use_keys::UseKeys;
use super::use_view::UseView;
use super::view_state::{ViewState, SEARCH_MAX_CHARS, STATUS_FILTERS};
use crate::components::status_badge::status_label;
use crate::fold;
use crate::routes::{current_route, Route};

/// The search field's id (the label's target, and "/" finds it by it).
pub const SEARCH_ID: &str = "key-search";
/// Id of the "Show deleted" box.
pub const SHOW_DELETED_ID: &str = "show-deleted";

/// The search field, the status, application and Arx filters, and "Show deleted". `typed` is
/// what the stand-in field held when this took its place.
#[component]
pub fn Toolbar(keys: UseKeys, view: UseView, typed: Typed) -> impl IntoView {
    if let Some(text) = typed
        .text
        .filter(|t| view.state.with_untracked(|s| &s.search != t))
    {
        view.type_search.run(text);
    }
    let field = NodeRef::<leptos::html::Input>::new();
    if let Some((start, end)) = typed.focus {
        // The toolbar goes into the page a tick or two after it is built, in the same task as
        // the stand-in leaves it. The caret follows as soon as the field is in, within that task:
        // no other task (the next keystroke, say) can come between and find no field focused.
        leptos::task::spawn_local(async move {
            for _ in 0..8 {
                // The dashboard may have gone meanwhile, and the reference with it.
                if let Some(el) = field
                    .try_get_untracked()
                    .flatten()
                    .filter(|el| el.is_connected())
                {
                    let _ = el.focus();
                    let _ = el.set_selection_range(start, end);
                    return;
                }
                leptos::task::tick().await;
            }
        });
    }
    let applications = Memo::new(move |_| {
        keys.facts()
            .map(|f| options(f.applications.iter().cloned()))
            .unwrap_or_default()
    });
    let clusters = Memo::new(move |_| {
        keys.facts()
            .map(|f| {
                options(f.clusters.iter().map(|c| {
                    (
                        c.id.clone(),
                        crate::shown::name(c.display_name()).into_owned(),
                    )
                }))
            })
            .unwrap_or_default()
    });
    let filter = move |id: &'static str, apply: fn(&mut ViewState, Option<String>)| {
        move |ev: ev::Event| {
            let v = event_target_value(&ev);
            view.choose(id, |s| apply(s, (!v.is_empty()).then_some(v)));
        }
    };
    view! {
        <div class="toolbar" role="search">
            <div class="field search-field">
                <label for=SEARCH_ID>"Search" <kbd class="shortcut" aria-hidden="true">"/"</kbd></label>
                <input id=SEARCH_ID node_ref=field type="search" placeholder="API key, application, Arx or creator"
                    autocomplete="off" spellcheck="false" aria-keyshortcuts="/" maxlength=SEARCH_MAX_CHARS
                    prop:value=move || view.state.with(|s| s.search.clone())
                    on:input=move |ev| view.type_search.run(event_target_value(&ev))
                    on:change=move |_| { view.commit_search.try_run(()); }/>
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" on:change=filter("filter-status", |s, v| s.status = v)
                    prop:value=move || view.state.with(|s| s.status.clone().unwrap_or_default())>
                    <option value="">"All statuses"</option>
                    {STATUS_FILTERS.map(|s| view! { <option value=s>{status_label(&KeyStatus::parse(s))}</option> })}
                </select>
            </div>
            <NamedFilter id="filter-app" label="Application" all="All applications"
                options=applications get=|s| &s.application set=|s, v| s.application = v view/>
            <NamedFilter id="filter-arx" label="Arx" all="All Arx"
                options=clusters get=|s| &s.arx set=|s, v| s.arx = v view/>
            <label class="checkbox">
                // The status filter "Deleted" shows them whatever the box says: it is ticked
                // and fixed then, so it never contradicts the list.
                <input type="checkbox" id=SHOW_DELETED_ID
                    on:change=move |ev| { let on = event_target_checked(&ev); view.change(|s| s.show_deleted = on) }
                    prop:checked=move || view.state.with(ViewState::shows_deleted)
                    disabled=move || view.state.with(only_deleted)/>
                " Show deleted"
            </label>
        </div>
    }
}

/// A filter by one of the list's applications or Arx: `(id, name)` options, "all" first.
#[component]
fn NamedFilter(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    options: Memo<Vec<(String, String)>>,
    get: fn(&ViewState) -> &Option<String>,
    set: fn(&mut ViewState, Option<String>),
    view: UseView,
) -> impl IntoView {
    let on_change = move |ev: ev::Event| {
        let v = event_target_value(&ev);
        view.choose(id, |s| set(s, (!v.is_empty()).then_some(v)));
    };
    let selected = move || view.state.with(|s| get(s).clone().unwrap_or_default());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=on_change prop:value=selected>
                <option value="">{all}</option>
                <For each=move || options.get() key=|a| a.0.clone() let:a>
                    <option value=a.0.clone()>{a.1.clone()}</option>
                </For>
            </select>
        </div>
    }
}
/// A filter's options, `(id, name)` by name, case aside, as the table sorts names. An id listed
/// twice is offered once, under its first listing (as a row finds it): the options are keyed by
/// id.
fn options(named: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut named: Vec<(String, String)> = named.collect();
    // Stable sorts: by id to drop the later listings of an id, then by name.
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named.dedup_by(|a, b| a.0 == b.0);
    named.sort_by(|a, b| {
        fold::cmp_sort_keys(&fold::sort_key(&a.1), &fold::sort_key(&b.1))
            .then_with(|| a.1.cmp(&b.1))
    });
    named
}

/// "/" focuses and selects the search, as in most consoles; not while typing in a field, over a
/// dialog, or with Ctrl, Meta or Alt. Set up with the stand-in field, which has the same id, so a
/// "/" pressed before the toolbar is live is not lost: the stand-in takes the focus and what is
/// typed next, and the toolbar takes both over.
pub(super) fn use_slash_to_search() {
    // The delete dialog's route, not only its element: its code may still be on its way, and
    // the search behind it is not what the person is at.
    let route = current_route();
    let slash = window_event_listener(ev::keydown, move |e| {
        let plain = e.key() == "/" && !(e.ctrl_key() || e.meta_key() || e.alt_key());
        let dialog_routed =
            route.with_untracked(|r| matches!(r, Route::Dashboard { delete: Some(_) }));
        if !plain || e.default_prevented() || dialog_routed || typing_or_in_dialog(&e) {
            return;
        }
        let field = document().get_element_by_id(SEARCH_ID);
        if let Some(field) = field.and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            e.prevent_default();
            let _ = field.focus();
            field.select();
        }
    });
    on_cleanup(move || slash.remove());
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

/// Whether the status filter asks for deleted keys only.
fn only_deleted(state: &ViewState) -> bool {
    state.status.as_deref() == Some("deleted")
}

#[cfg(test)]
mod tests {
    use super::options;
    use platform_types::Arx;

    fn arx(id: &str, name: &str) -> Arx {
        Arx {
            id: id.into(),
            name: name.into(),
            ..Arx::default()
        }
    }

    #[test]
    fn options_are_ordered_by_name_case_aside() {
        let clusters = [
            arx("arx-1", "Zeta"),
            arx("arx-2", "acme"),
            arx("arx-3", "Beta"),
        ];
        let names: Vec<String> = options(clusters.iter().map(|c| (c.id.clone(), c.name.clone())))
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        assert_eq!(names, ["acme", "Beta", "Zeta"]);
    }

    #[test]
    fn an_arx_listed_twice_is_offered_once_under_its_first_listing() {
        let clusters = [
            arx("arx-1", "Alpha"),
            arx("arx-2", "Beta"),
            arx("arx-1", "Zeta"),
        ];
        let options = options(clusters.iter().map(|c| (c.id.clone(), c.name.clone())));
        assert_eq!(
            options,
            [
                ("arx-1".to_owned(), "Alpha".to_owned()),
                ("arx-2".to_owned(), "Beta".to_owned())
            ]
        );
    }
}
