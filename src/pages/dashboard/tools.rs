//! What the dashboard adds once its first rows are on screen: the search and filters, the pager,
//! and keeping the list live. The first view needs none of it, so in the release build it is a
//! wasm chunk of its own (`dashboard_tools`), fetched as the rows appear.
//!
//! Until it is there, a plain search field stands in the toolbar's place: what is typed into it
//! is taken over by the real one, so no keystroke is lost; the filters appear with the chunk.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::live::keep_live;
use super::pager::Pager;
use super::table::Shown;
use super::toolbar::{Toolbar, SEARCH_ID};
use super::use_keys::UseKeys;
use super::use_view::UseView;
use crate::api::use_api_client;
use crate::routes::ChunkLoadError;

/// The toolbar, once its code is there; a plain search field until then.
#[component]
pub fn LiveToolbar() -> impl IntoView {
    let after_rows = after_first_rows();
    move || {
        if !after_rows.get() {
            return view! { <ToolbarPlaceholder/> }.into_any();
        }
        view! {
        <Suspense fallback=|| view! { <ToolbarPlaceholder/> }>
            {Suspend::new(async {
                #[cfg(feature = "split")]
                let loaded = toolbar_view().await;
                #[cfg(not(feature = "split"))]
                let loaded = toolbar_view();
                loaded.unwrap_or_else(|ChunkLoadError| view! { <ToolsFailed/> }.into_any())
            })}
        </Suspense>
        }
        .into_any()
    }
}

/// The pager, once its code is there.
#[component]
pub fn LivePager() -> impl IntoView {
    let after_rows = after_first_rows();
    move || {
        if !after_rows.get() {
            return ().into_any();
        }
        view! {
        <Suspense>
            {Suspend::new(async {
                #[cfg(feature = "split")]
                let loaded = pager_view().await;
                #[cfg(not(feature = "split"))]
                let loaded = pager_view();
                loaded.unwrap_or_else(|ChunkLoadError| ().into_any())
            })}
        </Suspense>
        }
        .into_any()
    }
}

/// True from the frame after this view is built: the rows built beside it are in the page by
/// then, and fetching the tools' code does not come before them.
fn after_first_rows() -> RwSignal<bool> {
    let ready = RwSignal::new(false);
    request_animation_frame(move || {
        ready.try_set(true);
    });
    ready
}

#[cfg_attr(
    feature = "split",
    ::leptos::wasm_split::wasm_split(
        dashboard_tools,
        wasm_split_path = ::leptos::wasm_split,
        fallible
    )
)]
fn toolbar_view() -> Result<AnyView, ChunkLoadError> {
    let keys = expect_context::<UseKeys>();
    let view = expect_context::<UseView>();
    keep_live(keys, use_api_client());
    let typed = placeholder_state();
    Ok(view! { <Toolbar keys view typed/> }.into_any())
}

#[cfg_attr(
    feature = "split",
    ::leptos::wasm_split::wasm_split(
        dashboard_tools,
        wasm_split_path = ::leptos::wasm_split,
        fallible
    )
)]
fn pager_view() -> Result<AnyView, ChunkLoadError> {
    let view = expect_context::<UseView>();
    let shown = expect_context::<Shown>();
    Ok(view! { <Pager view shown/> }.into_any())
}

/// What the stand-in field holds as the toolbar takes over: its text, and its caret when it has
/// the focus.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The text.
    pub text: String,
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
    Typed {
        text: field.value(),
        focus: focused.then(|| {
            (
                field.selection_start().ok().flatten().unwrap_or(0),
                field.selection_end().ok().flatten().unwrap_or(0),
            )
        }),
    }
}

/// The search field alone, without behaviour, in the toolbar's place.
#[component]
fn ToolbarPlaceholder() -> impl IntoView {
    let view = expect_context::<UseView>();
    let search = view.url.with_untracked(|s| s.search.clone());
    view! {
        <div class="toolbar" role="search" aria-busy="true">
            <div class="field search-field">
                <label for=SEARCH_ID>"Search"</label>
                <input id=SEARCH_ID type="search" placeholder="API key, application, Arx or creator"
                    autocomplete="off" spellcheck="false" value=search/>
            </div>
        </div>
    }
}

/// The toolbar's code could not be fetched: the list stays, and a reload brings the rest.
#[component]
fn ToolsFailed() -> impl IntoView {
    view! {
        <p class="notice" role="status">
            "Search and filters could not be loaded; the connection may have dropped. Reload the page to try again."
        </p>
    }
}
