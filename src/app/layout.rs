//! The frame around every page: header with the signed-in person, main region, status region.

use leptos::prelude::*;

use crate::api::use_api_client;
use crate::components::announcer::Announcer;
use crate::routes::{current_route, Route};
use crate::session::{use_session, Phase};

/// Header, main region and the polite status region shared by every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let route = current_route();
    let session = use_session();
    let client = use_api_client();
    let on_dashboard = move || {
        route
            .with(|r| matches!(r, Route::Dashboard { .. }))
            .then_some("page")
    };
    // The browser's own jump would add `#main` to the address and a history entry, so that Back
    // first went nowhere; the focus is moved to the main region instead.
    let skip = |ev: leptos::ev::MouseEvent| {
        if let Some(main) = crate::focus::main_region() {
            ev.prevent_default();
            crate::focus::focus(&main, false);
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>"Skip to content"</a>
        <header class="app-header">
            <a href="/" class="brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                " Onqlave "
                <span class="brand-product">"API Keys"</span>
            </a>
            // Only for someone signed in: signed out, every page is the sign-in page.
            <Show when=move || session.phase() == Phase::SignedIn>
                <nav aria-label="Main" class="app-nav">
                    <a href="/" aria-current=on_dashboard>"API keys"</a>
                </nav>
            </Show>
            <UserMenu/>
        </header>
        // Whatever page waits, it is told that its request is being tried again rather than
        // left on its loading state for up to a minute. Always in the page, so that a screen
        // reader hears the text when it comes.
        <div class="still-trying" role="status" data-testid="still-trying">
            {move || client.retrying().then_some("Still trying to reach the platform…")}
        </div>
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
            let name = crate::shown::name(if s.user.full_name.is_empty() {
                &s.user.email_address
            } else {
                &s.user.full_name
            })
            .into_owned();
            let client = client.clone();
            view! {
                <div class="user-menu">
                    <span class="user-name" title=crate::shown::owned(s.user.email_address.clone())>{name}</span>
                    <span class="user-role" data-testid="user-role">{roles}</span>
                    <button type="button" class="button secondary small"
                        on:click=move |_| session.sign_out(&client)>"Sign out"</button>
                </div>
            }
        })
    }
}
