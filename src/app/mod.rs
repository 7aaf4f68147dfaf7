//! The application: boot, providers, the router with its route table, NotFound.

mod arrival;
mod layout;
mod require_session;

pub use layout::Layout;
pub use require_session::RequireSession;

use leptos::prelude::*;

use crate::api::provide_api_client;
use crate::components::announcer::{provide_announcer, use_announcer};
use crate::config::{ConfigError, RuntimeConfig};
use crate::pages::dashboard::DashboardPage;
use crate::pages::not_found::NotFoundPage;
use crate::router::provide_router;
use crate::routes::{
    current_route, key_detail_page, provide_route, sign_in_page, wizard_page, Route,
};
use crate::session::{provide_session, start_session, Phase};

/// Loads the runtime configuration, then replaces the static skeleton of `index.html` with the app.
#[cfg(target_arch = "wasm32")]
pub async fn boot() {
    let config = crate::config::load().await;
    if let Some(el) = document().get_element_by_id("boot") {
        el.remove();
    }
    match config {
        Ok(config) => leptos::mount::mount_to_body(move || view! { <App config/> }),
        Err(error) => leptos::mount::mount_to_body(move || view! { <ConfigErrorPage error/> }),
    }
}

/// Native builds have no browser to boot into; this keeps `cargo test` of the workspace building.
#[cfg(not(target_arch = "wasm32"))]
pub async fn boot() {}

/// The console: providers, layout and routes.
#[component]
pub fn App(
    /// The runtime configuration read at boot.
    config: RuntimeConfig,
) -> impl IntoView {
    provide_announcer();
    let session = provide_session();
    crate::created_here::provide(session);
    crate::key_events::provide_deleted_here(session);
    crate::pages::dashboard::kept::provide(session);
    let client = provide_api_client(config, std::sync::Arc::new(session));
    start_session(session, &client);
    // What was said to the person who signed out is not left in the page for the next one;
    // why the session ended is said instead (the sign-in page shows it too, but a region
    // inserted with its text is not read out).
    let announce = use_announcer();
    Effect::new(move |_| {
        if session.phase() == Phase::SignedOut {
            // The notice as it is now ("Signing out…" while the platform has not answered);
            // the sign-in page says it when it changes.
            announce.say(untrack(|| session.ended_notice()).unwrap_or_default());
        }
    });
    provide_router();
    provide_route();
    arrival::follow_route();
    let route = current_route();
    let page = Memo::new(move |_| route.get().frame());
    view! {
        <Layout>
            {move || match page.get() {
                Route::SignIn => sign_in_page().into_any(),
                Route::Dashboard { .. } => {
                    view! { <RequireSession><DashboardPage/></RequireSession> }.into_any()
                }
                Route::Wizard(_) => wizard_page().into_any(),
                Route::KeyDetail(_) => key_detail_page().into_any(),
                Route::NotFound => view! { <NotFoundPage/> }.into_any(),
            }}
        </Layout>
    }
}

/// Shown instead of the app when `config.json` cannot be used.
#[component]
pub fn ConfigErrorPage(
    /// What went wrong.
    error: ConfigError,
) -> impl IntoView {
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <main id="main" class="app-main">
            <section class="panel error-panel" role="alert">
                <h1>"The console cannot start"</h1>
                <p>{error.to_string()}</p>
                <p>
                    "The deployment's runtime configuration needs fixing. "
                    "If you operate this console, check config.json beside index.html."
                </p>
                <button type="button" class="button" on:click=reload>"Try again"</button>
            </section>
        </main>
    }
}
