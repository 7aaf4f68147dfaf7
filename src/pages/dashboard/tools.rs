//! What the dashboard adds once its first rows are on screen: the search and filters, the pager,
//! keeping the list live, and the person's place in it on Back. The first view needs none of it,
//! so in the release build it is a wasm chunk of its own (`dashboard_tools`), fetched once the
//! rows are drawn.
//!
//! Until it is there, a plain search field stands in the toolbar's place: what is typed into it
//! is taken over by the real one, so no keystroke is lost, and "/" goes to it as to the real one;
//! the filters appear with the chunk. A change of the view's search meanwhile ("Clear filters",
//! Back or Forward) draws the field anew ([`ToolbarPlaceholder`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::live::{keep_live, StaleNotice};
use super::pager::Pager;
use super::place::keep_place;
use super::table::Shown;
use super::toolbar::{use_slash_to_search, Toolbar, SEARCH_ID};
use super::use_keys::UseKeys;
use super::use_view::UseView;
use super::view_state::SEARCH_MAX_CHARS;
use crate::api::use_api_client;
use crate::routes::ChunkLoadError;

/// A view builder of the `dashboard_tools` chunk (in the release build; a plain function
/// otherwise).
macro_rules! in_tools_chunk {
    (fn $name:ident() $body:block) => {
        #[cfg_attr(
            feature = "split",
            ::leptos::wasm_split::wasm_split(
                dashboard_tools,
                wasm_split_path = ::leptos::wasm_split,
                fallible
            )
        )]
        fn $name() -> Result<AnyView, ChunkLoadError> $body
    };
}

/// Calls an [`in_tools_chunk!`] function: awaited where its chunk may still have to be fetched.
macro_rules! from_chunk {
    ($load:ident) => {{
        #[cfg(feature = "split")]
        let loaded = $load().await;
        #[cfg(not(feature = "split"))]
        let loaded = $load();
        loaded
    }};
}

/// The toolbar, once its code is there; a plain search field until then.
#[component]
pub fn LiveToolbar() -> impl IntoView {
    use_slash_to_search();
    later(|| view! { <ToolbarPlaceholder/> }.into_any(), async {
        code_here(from_chunk!(toolbar_view))
            .unwrap_or_else(|ChunkLoadError| view! { <ToolsFailed/> }.into_any())
    })
}

/// The pager, once its code is there.
#[component]
pub fn LivePager() -> impl IntoView {
    later(|| ().into_any(), async {
        code_here(from_chunk!(pager_view)).unwrap_or_else(|ChunkLoadError| ().into_any())
    })
}

/// `waiting` until `load`, started once the first rows are drawn, has built the view.
fn later(
    waiting: fn() -> AnyView,
    load: impl std::future::Future<Output = AnyView> + 'static,
) -> impl IntoView {
    let slot = Slot::default();
    after_first_rows(move || slot.fill(load));
    move || slot.take().unwrap_or_else(waiting)
}

/// A view that comes later. Not a `Suspense`: one of those, mounted and dropped with each visit
/// to the dashboard, left DOM markers behind, held from the wasm (the memory benchmark's
/// detached nodes grew by about one per create → delete cycle).
#[derive(Clone, Copy)]
struct Slot {
    ready: RwSignal<bool>,
    view: StoredValue<Option<AnyView>, LocalStorage>,
}

impl Default for Slot {
    fn default() -> Self {
        Self {
            ready: RwSignal::new(false),
            view: StoredValue::new_local(None),
        }
    }
}

impl Slot {
    /// Builds the view in a task of the calling owner, which drops it if the page goes first.
    fn fill(self, build: impl std::future::Future<Output = AnyView> + 'static) {
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let view = build.await;
            self.view.try_set_value(Some(view));
            self.ready.try_set(true);
        });
    }

    /// The view, once (tracked: `None` until it is there).
    fn take(self) -> Option<AnyView> {
        self.ready
            .get()
            .then(|| self.view.try_update_value(Option::take).flatten())
            .flatten()
    }
}

/// Whether the tools' code is here: once a tool has been built from it, its chunk has been
/// fetched.
static CODE_HERE: AtomicBool = AtomicBool::new(false);

/// Notes that the tools' code is here when `loaded` is a tool built from it.
fn code_here(loaded: Result<AnyView, ChunkLoadError>) -> Result<AnyView, ChunkLoadError> {
    if loaded.is_ok() {
        CODE_HERE.store(true, Ordering::Relaxed);
    }
    loaded
}

/// Runs `start` in the frame that draws the calling view and the rows built beside it. The first
/// time, the tools' code is still to be fetched (a dozen requests, some milliseconds of the main
/// thread), which must not hold up the first rows' paint: `start` then runs in a task posted from
/// that frame's animation-frame callback, after the frame's style, layout and paint. Once the code
/// is here (a dashboard built anew: back from a key's page, a search that matches again), `start`
/// runs in the callback itself, so the tools are drawn in the same frame as the rows. Not at all
/// if the view has gone by then (a link followed as the rows appeared): the tools would look for
/// its contexts, and a panic ends the whole page.
fn after_first_rows(start: impl FnOnce() + 'static) {
    let owner = Owner::current();
    let gone = Arc::new(AtomicBool::new(false));
    on_cleanup({
        let gone = Arc::clone(&gone);
        move || gone.store(true, Ordering::Relaxed)
    });
    let run = move || {
        if gone.load(Ordering::Relaxed) {
            return;
        }
        match owner {
            Some(o) => o.with(start),
            None => start(),
        }
    };
    request_animation_frame(move || {
        if CODE_HERE.load(Ordering::Relaxed) {
            run();
        } else {
            set_timeout(run, std::time::Duration::ZERO);
        }
    });
}

in_tools_chunk! {
    fn toolbar_view() {
        let keys = expect_context::<UseKeys>();
        let view = expect_context::<UseView>();
        keep_live(keys, use_api_client());
        keep_place();
        if let Some(shown) = use_context::<Shown>() {
            super::pager::say_what_is_shown(view, shown);
        }
        let typed = placeholder_state();
        Ok(view! { <StaleNotice keys/> <Toolbar keys view typed/> }.into_any())
    }
}

in_tools_chunk! {
    fn pager_view() {
        let view = expect_context::<UseView>();
        let shown = expect_context::<Shown>();
        Ok(view! { <Pager view shown/> }.into_any())
    }
}

/// What the stand-in field holds as the toolbar takes over: its text if the person changed it,
/// and its caret when it has the focus.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The text, if it is not the one the field was last drawn with: an untouched field says
    /// nothing, and the view's search stands.
    pub text: Option<String>,
    /// The selection, when the field had the focus.
    pub focus: Option<(u32, u32)>,
}

fn placeholder_state() -> Typed {
    let Some(field) = document()
        .get_element_by_id(SEARCH_ID)
        .and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Typed::default();
    };
    let focused = document()
        .active_element()
        .is_some_and(|a| a.is_same_node(Some(&field)));
    let text = field.value();
    Typed {
        text: (text != field.default_value()).then_some(text),
        focus: focused.then(|| {
            (
                field.selection_start().ok().flatten().unwrap_or(0),
                field.selection_end().ok().flatten().unwrap_or(0),
            )
        }),
    }
}

/// The search field alone, without behaviour, in the toolbar's place, drawn with the view's search.
///
/// A search changed while it stands ("Clear filters", Back or Forward) is drawn into it anew, what
/// was typed included: the toolbar, taking over what the field holds, would otherwise bring the
/// old search back. Only a changed search: a sort or a filter leaves what was typed. The effect
/// lives as long as the field, and runs in a microtask of the change's task, before the toolbar
/// can take over (in a frame or a task after it). A field that shows the search already is left
/// alone: the toolbar taking over what was typed makes that text the view's search, and a write to
/// the field then, as it hands over its focus, left the new field without the focus when it
/// arrived (`e2e/dashboard.spec.mjs`).
#[component]
fn ToolbarPlaceholder() -> impl IntoView {
    let view = expect_context::<UseView>();
    let search = view.state.with_untracked(|s| s.search.clone());
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::watch(
        move || view.state.with(|s| s.search.clone()),
        move |search, before, _| {
            let Some(field) = field.get_untracked() else {
                return;
            };
            if before.is_some_and(|b| b != search) && field.value() != *search {
                field.set_default_value(search);
                field.set_value(search);
            }
        },
        false,
    );
    view! {
        <div class="toolbar" role="search" aria-busy="true">
            <div class="field search-field">
                <label for=SEARCH_ID>"Search" <kbd class="shortcut" aria-hidden="true">"/"</kbd></label>
                <input id=SEARCH_ID node_ref=field type="search" placeholder="API key, application, Arx or creator"
                    autocomplete="off" spellcheck="false" aria-keyshortcuts="/" maxlength=SEARCH_MAX_CHARS value=search/>
            </div>
        </div>
    }
}

/// The tools' code could not be fetched: the list's first page stays, and a reload brings the
/// rest (the toolbar, the pager and the status polls all come with that code).
#[component]
fn ToolsFailed() -> impl IntoView {
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <p class="notice" role="status">
            "Search, filters, paging and live status could not be loaded: the list shows its first page as it was read, and the connection may have dropped. Reloading the page tries again. "
            <button type="button" class="button secondary small" on:click=reload>"Reload"</button>
        </p>
    }
}
