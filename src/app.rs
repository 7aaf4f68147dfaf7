//! The application: boot, providers, the router with its route table, the layout, NotFound.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::announcer::{provide_announcer, Announcer};
use crate::config::{ConfigError, RuntimeConfig};
use crate::pages::dashboard::DashboardPage;
use crate::pages::not_found::NotFoundPage;

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
    provide_context(config);
    provide_announcer();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=DashboardPage/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// Header, main region and the polite status region shared by every page.
#[component]
fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                " Onqlave "
                <span class="brand-product">"API Keys"</span>
            </A>
            <nav aria-label="Main" class="app-nav">
                <A href="/">"API keys"</A>
            </nav>
        </header>
        <main id="main" class="app-main" tabindex="-1">
            {children()}
        </main>
        <Announcer/>
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
