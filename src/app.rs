//! The application: boot, providers, the router with its route table, the layout, NotFound.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::{path, Lazy};

use crate::api::{provide_api_client, use_api_client};
use crate::components::announcer::{provide_announcer, Announcer};
use crate::config::{ConfigError, RuntimeConfig};
use crate::pages::dashboard::DashboardPage;
use crate::pages::not_found::NotFoundPage;
use crate::routes::{
    wizard_start, ApplicationStepRoute, ArxStepRoute, DeleteRoute, KeyDetailRoute, KeyStepRoute,
    SignInRoute, SummaryStepRoute, WizardRoute,
};
use crate::session::{provide_session, use_session, RequireSession};

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
    let client = provide_api_client(config, session);
    leptos::task::spawn_local(async move { session.restore(&client).await });
    // The routes are built one task later, after the restore above has sent its request:
    // building them takes longer than that round trip, and the two now overlap.
    let routes_ready = RwSignal::new(false);
    leptos::task::spawn_local(async move { routes_ready.set(true) });
    view! {
        <Show when=move || routes_ready.get()>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()}/>
                    <ParentRoute path=path!("") view=|| view! { <RequireSession><DashboardPage/></RequireSession> }>
                        <Route path=path!("") view=|| ()/>
                        <Route path=path!("keys/:id/delete") view={Lazy::<DeleteRoute>::new()}/>
                    </ParentRoute>
                    <ParentRoute path=path!("/keys/new") view={Lazy::<WizardRoute>::new()}>
                        <Route path=path!("application") view={Lazy::<ApplicationStepRoute>::new()}/>
                        <Route path=path!("arx") view={Lazy::<ArxStepRoute>::new()}/>
                        <Route path=path!("summary") view={Lazy::<SummaryStepRoute>::new()}/>
                        <Route path=path!("key") view={Lazy::<KeyStepRoute>::new()}/>
                        <Route path=path!("") view=wizard_start/>
                    </ParentRoute>
                    <Route path=path!("/keys/:id") view={Lazy::<KeyDetailRoute>::new()}/>
                </Routes>
            </Layout>
        </Router>
        </Show>
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
            <UserMenu/>
        </header>
        <main id="main" class="app-main" tabindex="-1">
            {children()}
        </main>
        <Announcer/>
    }
}

/// The signed-in person, their role by display name, and sign-out.
#[component]
fn UserMenu() -> impl IntoView {
    let session = use_session();
    let client = use_api_client();
    move || {
        session.signed_in().map(|s| {
            let roles = if s.user.roles.is_empty() {
                "No role".to_owned()
            } else {
                s.user
                    .roles
                    .iter()
                    .map(|r| platform_types::role_display_name(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let name = if s.user.full_name.is_empty() {
                s.user.email_address.clone()
            } else {
                s.user.full_name.clone()
            };
            let client = client.clone();
            view! {
                <div class="user-menu">
                    <span class="user-name" title=s.user.email_address.clone()>{name}</span>
                    <span class="user-role" data-testid="user-role">{roles}</span>
                    <button type="button" class="button secondary small"
                        on:click=move |_| session.sign_out(&client)>"Sign out"</button>
                </div>
            }
        })
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
