//! The route table, and the pages loaded on first visit. The release build (feature `split`)
//! cuts each group of pages below into its own wasm chunk with `wasm_split`, so the first load
//! carries only the shell and the dashboard; a page's chunk is fetched when it is first shown,
//! and [`prefetch`] fetches those of the signed-in pages once the dashboard has shown its keys. Other builds link the
//! same functions directly.
//!
//! A chunk that cannot be fetched (a dropped connection, a deploy that replaced the files) shows
//! [`PageLoadFailed`] with a way to try again; it never panics the app.

use leptos::prelude::*;

use crate::app::RequireSession;
use crate::components::skeleton::PageSkeleton;
use crate::links;
use crate::pages::create_key::draft::Step;
use crate::pages::create_key::key_step::KeyStep;
use crate::pages::create_key::steps::{ApplicationStep, ArxStep};
use crate::pages::create_key::summary::SummaryStep;
use crate::pages::create_key::CreateKeyPage;
use crate::pages::dashboard::delete_dialog::DeleteKeyDialog;
use crate::pages::key_detail::KeyDetailPage;
use crate::pages::sign_in::SignInPage;
use crate::router::{decode_segment, lazy_view, redirect, use_router, Shown};

/// A page of the console, as its path names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/sign-in`.
    SignIn,
    /// `/`, and `/keys/:id/delete`: the delete dialog of key `delete` over the dashboard.
    Dashboard {
        /// The key whose delete dialog is open.
        delete: Option<String>,
    },
    /// `/keys/new` (which goes on to step 1), and `/keys/new/:step`.
    Wizard(Option<Step>),
    /// `/keys/:id`.
    KeyDetail(String),
    /// Any other path.
    NotFound,
}

impl Route {
    /// The page at `path` (percent-encoded, as in the address bar; a trailing `/` is ignored).
    pub fn of(path: &str) -> Self {
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut segments = path.split('/');
        if segments.next() != Some("") {
            return Self::NotFound;
        }
        let segments: Vec<&str> = segments.collect();
        match segments.as_slice() {
            [] => Self::Dashboard { delete: None },
            ["sign-in"] => Self::SignIn,
            ["keys", "new"] => Self::Wizard(None),
            ["keys", "new", slug] => Step::ALL
                .into_iter()
                .find(|s| s.slug() == *slug)
                .map_or(Self::NotFound, |s| Self::Wizard(Some(s))),
            ["keys", id, "delete"] if !id.is_empty() => Self::Dashboard {
                delete: Some(decode_segment(id)),
            },
            ["keys", id] if !id.is_empty() => Self::KeyDetail(decode_segment(id)),
            _ => Self::NotFound,
        }
    }

    /// The page without what its nested view shows: moving between a page's nested views
    /// (the dialog over the dashboard, the wizard's steps) keeps the page.
    pub fn frame(self) -> Self {
        match self {
            Self::Dashboard { .. } => Self::Dashboard { delete: None },
            Self::Wizard(_) => Self::Wizard(None),
            route => route,
        }
    }
}

/// Reads the route from the router's address, once per change of the address, for every view
/// below the caller ([`current_route`]).
pub fn provide_route() {
    let router = use_router();
    provide_context(Memo::new(move |_| router.with(|a| Route::of(&a.path))));
}

/// The route of the current address (tracked), as [`provide_route`] reads it.
pub fn current_route() -> Memo<Route> {
    expect_context::<Memo<Route>>()
}

/// A chunk of the console's code could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkLoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkLoadError
    }
}

/// Declares `$page`, the view of a page whose code `$load` builds once its chunk `$chunk` is
/// fetched, showing `$waiting` meanwhile (a page skeleton unless given: a nested view waits
/// with nothing, its page being on screen); functions that name the same `$chunk` share one
/// wasm chunk.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $page:ident => $chunk:ident, $load:ident, $preload:ident, $view:expr) => {
        lazy_page!($(#[$doc])* $page => $chunk, $load, $preload, $view, || view! { <PageSkeleton/> });
    };
    ($(#[$doc:meta])* $page:ident => $chunk:ident, $load:ident, $preload:ident, $view:expr, $waiting:expr) => {
        $(#[$doc])*
        pub fn $page() -> impl IntoView {
            let load = |shown: Shown| async move {
                let failed = |ChunkLoadError| view! { <PageLoadFailed/> }.into_any();
                #[cfg(feature = "split")]
                if let Err(e) = $preload().await {
                    return Some(failed(e.into()));
                }
                if !shown.is_shown() {
                    return None;
                }
                // The chunk is here: `$load` builds the view without waiting.
                #[cfg(feature = "split")]
                let loaded = $load().await;
                #[cfg(not(feature = "split"))]
                let loaded = $load();
                Some(loaded.unwrap_or_else(failed))
            };
            lazy_view(load, $waiting)
        }

        #[cfg_attr(
            feature = "split",
            ::leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                preload(#[allow(dead_code)] $preload),
                fallible
            )
        )]
        fn $load() -> Result<AnyView, ChunkLoadError> {
            Ok($view.into_any())
        }
    };
}

lazy_page!(
    /// `/sign-in`.
    sign_in_page => sign_in, sign_in_view, preload_sign_in, view! { <SignInPage/> }
);
lazy_page!(
    /// `/keys/:id/delete`, the dialog over the dashboard.
    delete_dialog => delete, delete_view, preload_delete, view! { <DeleteKeyDialog/> }, || ()
);
lazy_page!(
    /// `/keys/:id`.
    key_detail_page => detail, detail_view, preload_detail,
    view! { <RequireSession><KeyDetailPage/></RequireSession> }
);
lazy_page!(
    /// `/keys/new`, the wizard's frame; its steps below share its chunk.
    wizard_page => wizard, wizard_view, preload_wizard,
    view! { <RequireSession><CreateKeyPage/></RequireSession> }
);
lazy_page!(
    /// Step 1.
    application_step => wizard, application_step_view, preload_application_step,
    view! { <ApplicationStep/> }, || ()
);
lazy_page!(
    /// Step 2.
    arx_step => wizard, arx_step_view, preload_arx_step, view! { <ArxStep/> }, || ()
);
lazy_page!(
    /// Step 3.
    summary_step => wizard, summary_step_view, preload_summary_step, view! { <SummaryStep/> },
    || ()
);
lazy_page!(
    /// Step 4.
    key_step => wizard, key_step_view, preload_key_step, view! { <KeyStep/> }, || ()
);

/// The wizard's step at the current address: `/keys/new` itself goes on to step 1, with the
/// choices its address carries (a link made by hand or by another tool).
pub fn wizard_step_view(step: Option<Step>) -> AnyView {
    match step {
        None => {
            let query = window().location().search().unwrap_or_default();
            redirect(format!("{}{query}", links::NEW_KEY)).into_any()
        }
        Some(Step::Application) => application_step().into_any(),
        Some(Step::Arx) => arx_step().into_any(),
        Some(Step::Summary) => summary_step().into_any(),
        Some(Step::Key) => key_step().into_any(),
    }
}

/// Fetches the signed-in pages' chunks when the browser is idle, so that the first visit to a page does not wait
/// for the network. Errors are left for the navigation that needs the chunk to report.
pub fn prefetch() {
    #[cfg(feature = "split")]
    request_idle_callback(|| {
        leptos::task::spawn_local(async {
            let _ = preload_wizard().await;
            let _ = preload_delete().await;
            let _ = preload_detail().await;
        });
    });
}

/// Shown in place of a page whose code could not be fetched.
#[component]
pub fn PageLoadFailed() -> impl IntoView {
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <section class="panel error-panel" role="alert" data-testid="page-load-failed">
            <h1 data-arrive>"This page could not be loaded"</h1>
            <p>
                "Part of the console could not be fetched; the connection may have dropped. "
                "Nothing has been changed."
            </p>
            <button type="button" class="button" on:click=reload>"Try again"</button>
        </section>
    }
}
