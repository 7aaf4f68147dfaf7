//! Pages loaded on first visit. The release build (feature `split`) cuts each group below into
//! its own wasm chunk with `wasm_split`, so the first load carries only the shell and the
//! dashboard; the router fetches a chunk while it navigates, and [`prefetch`] fetches them all
//! once the dashboard has shown its keys. Other builds link the same functions directly.
//!
//! A chunk that cannot be fetched (a dropped connection, a deploy that replaced the files) shows
//! [`PageLoadFailed`] with a way to try again; it never panics the app.

use leptos::prelude::*;
use leptos_router::{components::Redirect, LazyRoute};

use crate::app::RequireSession;
use crate::links;
use crate::pages::create_key::key_step::KeyStep;
use crate::pages::create_key::steps::{ApplicationStep, ArxStep, SummaryStep};
use crate::pages::create_key::CreateKeyPage;
use crate::pages::dashboard::delete_dialog::DeleteKeyDialog;
use crate::pages::key_detail::KeyDetailPage;
use crate::pages::sign_in::SignInPage;

/// A chunk of the console's code could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkLoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkLoadError
    }
}

/// Declares `$route`, a lazily loaded route whose view `$load` builds; functions that name the
/// same `$chunk` share one wasm chunk.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $chunk:ident, $load:ident, $preload:ident, $view:expr) => {
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_: Self) -> AnyView {
                #[cfg(feature = "split")]
                let loaded = $load().await;
                #[cfg(not(feature = "split"))]
                let loaded = $load();
                loaded.unwrap_or_else(|ChunkLoadError| view! { <PageLoadFailed/> }.into_any())
            }
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
    SignInRoute => sign_in, sign_in_view, preload_sign_in, view! { <SignInPage/> }
);
lazy_page!(
    /// `/keys/:id/delete`, the dialog over the dashboard.
    DeleteRoute => delete, delete_view, preload_delete, view! { <DeleteKeyDialog/> }
);
lazy_page!(
    /// `/keys/:id`.
    KeyDetailRoute => detail, detail_view, preload_detail,
    view! { <RequireSession><KeyDetailPage/></RequireSession> }
);
lazy_page!(
    /// `/keys/new`, the wizard's frame; its steps below share its chunk.
    WizardRoute => wizard, wizard_view, preload_wizard,
    view! { <RequireSession><CreateKeyPage/></RequireSession> }
);
lazy_page!(
    /// Step 1.
    ApplicationStepRoute => wizard, application_step_view, preload_application_step,
    view! { <ApplicationStep/> }
);
lazy_page!(
    /// Step 2.
    ArxStepRoute => wizard, arx_step_view, preload_arx_step, view! { <ArxStep/> }
);
lazy_page!(
    /// Step 3.
    SummaryStepRoute => wizard, summary_step_view, preload_summary_step, view! { <SummaryStep/> }
);
lazy_page!(
    /// Step 4.
    KeyStepRoute => wizard, key_step_view, preload_key_step, view! { <KeyStep/> }
);

/// `/keys/new` itself: on to step 1 (kept in the first load; it is one redirect).
pub fn wizard_start() -> impl IntoView {
    view! { <Redirect path=links::NEW_KEY/> }
}

/// Fetches every chunk when the browser is idle, so that the first visit to a page does not wait
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
            <h1>"This page could not be loaded"</h1>
            <p>
                "Part of the console could not be fetched; the connection may have dropped. "
                "Nothing has been changed."
            </p>
            <button type="button" class="button" on:click=reload>"Try again"</button>
        </section>
    }
}
