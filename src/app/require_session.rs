//! The gate in front of every page that needs a signed-in person.

use leptos::prelude::*;

use crate::api::{use_api_client, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::PageSkeleton;
use crate::router::{redirect, use_router};
use crate::session::{safe_return_path, use_session, AuthState, Phase};

/// What the gate shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Wait,
    Unreachable,
    SignIn,
    Page,
}

/// Renders `children` only for a signed-in person: a skeleton while the session is restored,
/// a retry when the platform is unreachable, and the sign-in page (remembering this route)
/// otherwise. Re-renders only when what it shows changes, never on a token refresh. A page that
/// holds the session (the one-time secrets on screen) stays through a sign-out.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let client = use_api_client();
    let router = use_router();
    let gate = Memo::new(move |_| match (session.phase(), session.held()) {
        (Phase::SignedIn, _) | (_, true) => Gate::Page,
        (Phase::Restoring, false) => Gate::Wait,
        (Phase::Unreachable, false) => Gate::Unreachable,
        (Phase::SignedOut, false) => Gate::SignIn,
    });
    move || match gate.get() {
        Gate::Wait => view! { <PageSkeleton/> }.into_any(),
        Gate::Unreachable => {
            let error = match session.state_untracked() {
                AuthState::Unreachable(e) => e,
                _ => ApiError::Network(String::new()),
            };
            let client = client.clone();
            let retry = Callback::new(move |_| {
                let client = client.clone();
                leptos::task::spawn_local(async move { session.restore(&client).await });
            });
            view! { <ErrorPanel title="The console cannot reach the platform" error on_retry=retry/> }
                .into_any()
        }
        Gate::SignIn => {
            // After a sign-out, the next sign-in (perhaps someone else's) does not return to the
            // page of the person who left; it lands on the dashboard, whose query starts afresh.
            let return_to = if untrack(|| session.left()) {
                None
            } else {
                let here = router.with_untracked(|a| format!("{}{}", a.path, a.search));
                safe_return_path(&here).filter(|p| p != "/")
            };
            redirect(crate::links::sign_in(return_to.as_deref())).into_any()
        }
        Gate::Page => children().into_any(),
    }
}
